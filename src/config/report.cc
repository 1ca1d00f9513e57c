#include "config/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/ansi_style.h"

namespace kmeta::config {

namespace {

using Style = AnsiStyle;

bool severe(FindingKind k) { return k <= FindingKind::bad_value || k == FindingKind::unexplained; }

std::string show_value(const std::string& v) { return v.empty() ? "n" : v; }

std::string class_tag(const Finding& f) {
  std::string tag = to_string(f.hw);
  if (!f.kconf_class.empty() && f.kconf_class != "hardware" && f.kconf_class != "non-hardware")
    tag += ", " + f.kconf_class;
  return tag;
}

void render_chain(std::string& out, const std::vector<Location>& chain, int max, const Style& st) {
  int n = 0;
  for (const Location& l : chain) {
    if (!l.valid()) continue;
    if (n == max) {
      out += st.dim(fmt::format("      ... {} more", chain.size() - n)) + "\n";
      break;
    }
    out += st.dim(fmt::format("      {} {}", n == 0 ? "from" : "  via", l.str())) + "\n";
    ++n;
  }
}

void render_one(std::string& out, const Finding& f, const TextOptions& opt, const Style& st) {
  std::string got =
      f.written ? show_value(f.actual) : (f.actual == "n" || f.actual.empty() ? "not set" : f.actual);
  out += fmt::format("  {}: requested {}, got {}  {}\n", st.bold("CONFIG_" + f.symbol),
                     show_value(f.requested), got, st.dim("[" + class_tag(f) + "]"));
  if (f.at.valid()) out += fmt::format("    at {}\n", f.at.str());
  render_chain(out, f.chain, opt.max_chain, st);
  if (!f.message.empty()) out += fmt::format("    {}\n", f.message);
  for (const Term& t : f.terms) {
    out += fmt::format("      {} (={})", t.expr, t.value);
    if (t.where.valid()) out += st.dim("  " + t.where.str());
    out += '\n';
  }
  for (const Cause& c : f.causes) {
    out += fmt::format("    {}{}", std::string(static_cast<size_t>(2 * c.depth), ' '), c.reason);
    if (c.where.valid()) out += st.dim("  " + c.where.str());
    out += '\n';
  }
  if (!f.by.empty()) {
    out += "    by:";
    for (const auto& b : f.by) out += " " + b;
    out += '\n';
  }
  if (!f.suggestion.empty()) out += fmt::format("    {}\n", f.suggestion);
  switch (f.fix.status) {
    case Fix::Status::not_attempted: break;
    case Fix::Status::verified:
      out += st.green(fmt::format("    fix (verified): add to {}", f.fix.fragment)) + "\n";
      for (const FixLine& l : f.fix.lines) out += st.green("        " + l.line()) + "\n";
      break;
    case Fix::Status::none: out += st.dim(fmt::format("    no fix: {}", f.fix.reason)) + "\n"; break;
  }
}

}  // namespace

std::string render_finding(const Finding& f, const TextOptions& opt) {
  std::string out;
  render_one(out, f, opt, Style{});
  return out;
}

std::string render_text(const AuditReport& r, const AuditLevels& levels, const TextOptions& opt) {
  Style st{opt.colour};
  ShownCounts c = count_shown(r, levels);
  std::string out;
  if (c.total() == 0 && (!opt.show_hidden || c.hidden_findings == 0)) {
    out += fmt::format("kmeta audit: {} of {} requested values are in .config", r.matched + r.equivalent,
                       r.requested);
    if (c.hidden_findings)
      out += fmt::format("; {} findings hidden at audit level {} (--audit-level 2 shows them)",
                         c.hidden_findings, levels.audit_level);
    out += '\n';
    return out;
  }
  out +=
      fmt::format("kmeta audit: {} requested value{} did not stick", c.findings, c.findings == 1 ? "" : "s");
  if (c.fragment_findings)
    out += fmt::format(", {} fragment problem{}", c.fragment_findings, c.fragment_findings == 1 ? "" : "s");
  if (c.redefinitions)
    out += fmt::format(", {} conflicting redefinition{}", c.redefinitions, c.redefinitions == 1 ? "" : "s");
  out += '\n';
  std::string notes;
  if (c.hidden_findings && !opt.show_hidden)
    notes += fmt::format("{} more hidden at audit level {}", c.hidden_findings, levels.audit_level);
  if (r.equivalent) {
    if (!notes.empty()) notes += "; ";
    notes += fmt::format("{} textual differences with the same meaning not reported", r.equivalent);
  }
  if (!notes.empty()) out += st.dim("(" + notes + ")") + "\n";

  for (int k = 0; k < kFindingKinds; ++k) {
    FindingKind kind = static_cast<FindingKind>(k);
    std::vector<const Finding*> group;
    for (const auto& f : r.findings)
      if (f.kind == kind && (opt.show_hidden || shown(f, levels))) group.push_back(&f);
    if (group.empty()) continue;
    std::string head = fmt::format("{} ({})", title(kind), group.size());
    out += "\n" + (severe(kind) ? st.red(head) : st.yellow(head)) + "\n";
    for (const Finding* f : group) render_one(out, *f, opt, st);
  }
  if (c.fragment_findings) {
    out += "\n" + st.yellow(fmt::format("fragment problems ({})", c.fragment_findings)) + "\n";
    for (const auto& f : r.fragment_findings) {
      if (!shown(f, levels)) continue;
      out += fmt::format("  {}: {}: {}\n", f.at.str(), to_string(f.issue.kind), f.issue.message);
      out += st.dim("      " + f.issue.text) + "\n";
    }
  }
  if (c.redefinitions) {
    out += "\n" + st.yellow(fmt::format("redefined with different values ({})", c.redefinitions)) + "\n";
    for (const auto& d : r.redefinitions) {
      if (!shown(d, levels)) continue;
      out += fmt::format("  {}\n", st.bold("CONFIG_" + d.symbol));
      for (size_t i = 0; i < d.sites.size(); ++i)
        out += fmt::format("      {:<8} {}{}\n", show_value(d.sites[i].value), d.sites[i].at.str(),
                           i + 1 == d.sites.size() ? "  (wins)" : "");
    }
  }
  return out;
}

std::string render_mismatch_file(const AuditReport& r, bool classify) {
  std::string out;
  for (int k = 0; k < kFindingKinds; ++k) {
    for (const auto& f : r.findings) {
      if (static_cast<int>(f.kind) != k) continue;
      if (classify && f.hw == HwClass::non_hardware && f.kconf_class != "required") continue;
      out += fmt::format("[{}]\n", to_string(f.kind));
      render_one(out, f, TextOptions{}, Style{});
    }
  }
  return out;
}

namespace {

nlohmann::json loc_json(const Location& l) {
  if (!l.valid()) return nullptr;
  return {{"file", l.file}, {"line", l.line}};
}

nlohmann::json chain_json(const std::vector<Location>& chain) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& l : chain) a.push_back(loc_json(l));
  return a;
}

}  // namespace

nlohmann::json to_json(const Finding& f) {
  nlohmann::json x;
  x["kind"] = to_string(f.kind);
  x["symbol"] = "CONFIG_" + f.symbol;
  x["requested"] = show_value(f.requested);
  x["actual"] = show_value(f.actual);
  x["written"] = f.written;
  x["at"] = loc_json(f.at);
  x["chain"] = chain_json(f.chain);
  x["fragment"] = f.fragment;
  x["kconf_class"] = f.kconf_class;
  x["classification"] = to_string(f.hw);
  x["y_or_m"] = f.y_or_m;
  x["message"] = f.message;
  nlohmann::json terms = nlohmann::json::array();
  for (const auto& t : f.terms)
    terms.push_back({{"expr", t.expr}, {"value", t.value}, {"at", loc_json(t.where)}});
  x["terms"] = terms;
  nlohmann::json causes = nlohmann::json::array();
  for (const auto& cs : f.causes)
    causes.push_back(
        {{"symbol", cs.symbol.empty() ? nlohmann::json(nullptr) : nlohmann::json("CONFIG_" + cs.symbol)},
         {"value", cs.value},
         {"reason", cs.reason},
         {"depth", cs.depth},
         {"at", loc_json(cs.where)}});
  x["causes"] = causes;
  x["by"] = f.by;
  x["suggestion"] = f.suggestion;
  const char* st = f.fix.status == Fix::Status::verified ? "verified"
                   : f.fix.status == Fix::Status::none   ? "none"
                                                         : "not-attempted";
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : f.fix.lines) lines.push_back(l.line());
  x["fix"] = {{"status", st}, {"fragment", f.fix.fragment}, {"lines", lines}, {"reason", f.fix.reason}};
  return x;
}

nlohmann::json to_json(const AuditReport& r, const AuditLevels& levels) {
  ShownCounts c = count_shown(r, levels);
  nlohmann::json j;
  j["summary"] = {{"requested", r.requested},
                  {"matched", r.matched},
                  {"equivalent", r.equivalent},
                  {"findings", r.findings.size()},
                  {"shown_findings", c.findings},
                  {"hidden_findings", c.hidden_findings},
                  {"fragment_findings", c.fragment_findings},
                  {"redefinitions", c.redefinitions},
                  {"levels",
                   {{"audit_level", levels.audit_level},
                    {"bsp_audit_level", levels.bsp_audit_level},
                    {"werror", levels.werror}}}};
  nlohmann::json fs = nlohmann::json::array();
  for (const auto& f : r.findings) {
    nlohmann::json x = to_json(f);
    x["shown"] = shown(f, levels);
    fs.push_back(std::move(x));
  }
  j["findings"] = std::move(fs);
  nlohmann::json ff = nlohmann::json::array();
  for (const auto& f : r.fragment_findings)
    ff.push_back({{"kind", to_string(f.issue.kind)},
                  {"symbol", f.issue.symbol.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json("CONFIG_" + f.issue.symbol)},
                  {"message", f.issue.message},
                  {"text", f.issue.text},
                  {"fragment", f.fragment},
                  {"at", loc_json(f.at)},
                  {"chain", chain_json(f.chain)},
                  {"shown", shown(f, levels)}});
  j["fragment_findings"] = std::move(ff);
  nlohmann::json rd = nlohmann::json::array();
  for (const auto& d : r.redefinitions) {
    nlohmann::json sites = nlohmann::json::array();
    for (const auto& s : d.sites)
      sites.push_back({{"value", show_value(s.value)},
                       {"fragment", s.fragment},
                       {"at", loc_json(s.at)},
                       {"chain", chain_json(s.chain)}});
    rd.push_back({{"symbol", "CONFIG_" + d.symbol},
                  {"differs", d.differs},
                  {"sites", sites},
                  {"shown", shown(d, levels)}});
  }
  j["redefinitions"] = std::move(rd);
  j["equivalent"] = r.equivalent_symbols;
  return j;
}

}  // namespace kmeta::config
