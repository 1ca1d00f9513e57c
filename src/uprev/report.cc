#include "uprev/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/ansi_style.h"
#include "base/strings.h"
#include "config/report.h"

namespace kmeta::uprev {

namespace {

using Style = AnsiStyle;

std::string indent(std::string_view text, std::string_view pad) {
  std::string out;
  for (std::string_view l : split_lines(text)) {
    out += l.empty() ? std::string() : std::string(pad) + std::string(l);
    out += '\n';
  }
  return out;
}

std::string kind_colour(const Style& st, ChangeKind k, std::string_view s) {
  switch (k) {
    case ChangeKind::regressed:
    case ChangeKind::vanished: return st.red(s);
    case ChangeKind::newly_unknown:
    case ChangeKind::new_failure: return st.yellow(s);
    case ChangeKind::newly_satisfied: return st.green(s);
    default: return st.bold(s);
  }
}

std::string fix_lines_text(const std::vector<config::FixLine>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : ", ") + l.line();
  return out;
}

void render_candidates(std::string& out, const std::vector<RenameCandidate>& cs, const Style& st) {
  if (cs.empty()) {
    out += "    no rename candidate in NEW\n";
    return;
  }
  out += "    rename candidates (by evidence):\n";
  int i = 0;
  for (const RenameCandidate& c : cs) {
    out += fmt::format("      {}. CONFIG_{} [{}] score {}{}\n", ++i, c.symbol, c.type, c.score,
                       c.score >= kProbableRename ? " (probable)" : "");
    out += st.dim(fmt::format("         {}", fmt::join(c.evidence, "; "))) + "\n";
    if (c.at.valid()) out += st.dim(fmt::format("         defined at {}", c.at.str())) + "\n";
    if (c.checked) {
      std::string verdict = c.holds ? st.green("holds") : st.red("does not hold");
      out += fmt::format("         requesting CONFIG_{}={} on NEW gives {}: {}\n", c.symbol, c.requested,
                         c.result, verdict);
      if (!c.holds && !c.note.empty()) out += fmt::format("         {}\n", c.note);
      if (!c.fix.empty())
        out += fmt::format("         verified fix: also request {}\n", fix_lines_text(c.fix));
    }
  }
}

void render_fix(std::string& out, const config::Finding& f) {
  if (f.fix.status == config::Fix::Status::verified) {
    out += fmt::format("    fix (verified by resolving NEW again): add to {}:\n", f.fix.fragment);
    for (const auto& l : f.fix.lines) out += fmt::format("      {}\n", l.line());
  } else if (f.fix.status == config::Fix::Status::none) {
    out += fmt::format("    no fix: {}\n", f.fix.reason);
  } else {
    out += fmt::format("    no fix computed for a {} finding\n", config::to_string(f.kind));
  }
}

void render_change(std::string& out, const SymbolChange& c, const Style& st) {
  out += fmt::format("  {}  {}\n", st.bold("CONFIG_" + c.symbol), c.summary);
  if (c.from.requested && c.from.at.valid() && c.kind != ChangeKind::vanished)
    out += st.dim(fmt::format("    OLD request at {}", c.from.at.str())) + "\n";
  if (c.to.requested && c.to.at.valid() && c.kind != ChangeKind::newly_unknown &&
      c.kind != ChangeKind::new_failure)
    out += st.dim(fmt::format("    NEW request at {}", c.to.at.str())) + "\n";
  if (c.kind == ChangeKind::regressed || c.kind == ChangeKind::new_failure) {
    if (c.to.finding) {
      std::string f = config::render_finding(*c.to.finding);
      out += "    NEW's audit:\n" + indent(f, "    ");
      render_fix(out, *c.to.finding);
    }
    if (!c.why.empty()) out += "    why on NEW:\n" + indent(c.why, "      ");
  }
  if (c.kind == ChangeKind::vanished) render_candidates(out, c.renames, st);
}

}  // namespace

std::string render_text(const UprevRequest& req, const UprevResult& res, const ReportOptions& opt) {
  Style st{opt.colour};
  std::string out;
  const config::BspRequest* bsp = req.to.bsp ? &*req.to.bsp : nullptr;
  out +=
      st.bold(fmt::format("kmeta uprev: OLD {} -> NEW {}{}", req.from_label, req.to_label,
                          bsp ? fmt::format(", {} {}, ARCH={}", bsp->machine, bsp->ktype, bsp->arch) : ""));
  out += "\n";
  out += fmt::format(
      "requests: {} symbols; {} regressed, {} vanished, {} newly unknown, {} new failures, {} newly "
      "satisfied, {} value changed, {} unchanged\n",
      res.changes.size(), res.counts[0], res.counts[1], res.counts[2], res.counts[3], res.counts[4],
      res.counts[5], res.counts[6]);
  if (!res.requirements.empty()) {
    size_t ok = 0;
    for (const auto& r : res.requirements) ok += r.holds;
    std::string line = fmt::format("requirements: {}/{} hold on NEW", ok, res.requirements.size());
    out += (res.requirements_hold ? st.green(line) : st.red(line)) + "\n";
  }
  out += fmt::format("config diff: {} removed, {} added, {} changed\n", res.delta.removed.size(),
                     res.delta.added.size(), res.delta.changed.size());
  out += "patches: not checked (kmeta cannot build the kernel tree from the metadata yet)\n";

  for (int k = 0; k < kChangeKinds; ++k) {
    auto kind = static_cast<ChangeKind>(k);
    if (res.counts[k] == 0) continue;
    if (kind == ChangeKind::unchanged && !opt.all) continue;
    out += "\n" + kind_colour(st, kind, fmt::format("== {} [{}]", title(kind), res.counts[k])) + "\n";
    for (const SymbolChange& c : res.changes)
      if (c.kind == kind) render_change(out, c, st);
  }

  if (!res.requirements.empty()) {
    out += "\n" + st.bold("== requirements on NEW") + "\n";
    // Failing first, then in file order.
    for (int pass = 0; pass < 2; ++pass)
      for (const RequirementResult& r : res.requirements) {
        if (r.holds != (pass == 1)) continue;
        std::string mark = r.holds ? st.green("ok  ") : st.red("FAIL");
        out +=
            fmt::format("  {} CONFIG_{}={}  (NEW: {}; OLD: {}{})  {}\n", mark, r.symbol, r.value, r.to.value,
                        r.from.value, r.from.defined ? "" : ", not a symbol of OLD", st.dim(r.at.str()));
        if (r.holds) continue;
        if (!r.to.defined) out += "    not a symbol of NEW\n";
        if (r.queue_fixes)
          out += fmt::format(
              "    fix (verified by resolving NEW again): request it, e.g. queue {} after the BSP\n",
              r.at.file.str());
        if (r.finding) {
          out +=
              "    requested on NEW, the audit says:\n" + indent(config::render_finding(*r.finding), "    ");
          render_fix(out, *r.finding);
        }
        if (!r.why.empty()) out += "    why on NEW:\n" + indent(r.why, "      ");
        if (!r.renames.empty()) render_candidates(out, r.renames, st);
      }
  }

  out += "\n" + st.bold("== config diff OLD -> NEW") + "\n";
  for (auto g : {DiffEntry::Group::removed, DiffEntry::Group::added, DiffEntry::Group::changed}) {
    size_t n = 0;
    for (const DiffEntry& e : res.diff) n += e.group == g;
    if (n == 0) continue;
    out += fmt::format("-- {} [{}]\n", to_string(g), n);
    size_t shown = 0;
    for (const DiffEntry& e : res.diff) {
      if (e.group != g) continue;
      if (opt.max_diff && shown == opt.max_diff) {
        out += fmt::format("  ... {} more (uprev.txt / --json list all)\n", n - shown);
        break;
      }
      ++shown;
      std::string what = g == DiffEntry::Group::removed ? fmt::format("-{} {}", e.symbol, e.from)
                         : g == DiffEntry::Group::added ? fmt::format("+{} {}", e.symbol, e.to)
                                                        : fmt::format(" {} {} -> {}", e.symbol, e.from, e.to);
      out += fmt::format("  {}  {}\n", what, st.dim(e.why));
    }
  }
  return out;
}

namespace {

nlohmann::json loc(const Location& l) {
  if (!l.valid()) return nullptr;
  return {{"file", l.file.str()}, {"line", l.line}};
}

nlohmann::json side_json(const SideState& s) {
  nlohmann::json j;
  j["requested"] = s.requested ? nlohmann::json(s.request) : nlohmann::json(nullptr);
  j["at"] = loc(s.at);
  j["fragment"] = s.fragment;
  j["defined"] = s.defined;
  j["value"] = s.value;
  j["written"] = s.written;
  j["satisfied"] = s.satisfied();
  j["finding"] = s.finding ? config::to_json(*s.finding) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json candidates_json(const std::vector<RenameCandidate>& cs) {
  nlohmann::json a = nlohmann::json::array();
  for (const RenameCandidate& c : cs) {
    nlohmann::json x;
    x["symbol"] = "CONFIG_" + c.symbol;
    x["score"] = c.score;
    x["probable"] = c.score >= kProbableRename;
    x["evidence"] = c.evidence;
    x["type"] = c.type;
    x["at"] = loc(c.at);
    x["new_in_new"] = c.new_in_to;
    if (c.checked) {
      nlohmann::json fix = nlohmann::json::array();
      for (const auto& l : c.fix) fix.push_back(l.line());
      x["check"] = {{"requested", c.requested},
                    {"result", c.result},
                    {"holds", c.holds},
                    {"note", c.note},
                    {"fix", fix}};
    } else {
      x["check"] = nullptr;
    }
    a.push_back(std::move(x));
  }
  return a;
}

}  // namespace

nlohmann::json to_json(const UprevRequest& req, const UprevResult& res) {
  nlohmann::json j;
  j["from"] = req.from_label;
  j["to"] = req.to_label;
  nlohmann::json counts;
  for (int k = 0; k < kChangeKinds; ++k) counts[to_string(static_cast<ChangeKind>(k))] = res.counts[k];
  j["counts"] = counts;
  nlohmann::json changes = nlohmann::json::array();
  for (const SymbolChange& c : res.changes) {
    nlohmann::json x;
    x["symbol"] = "CONFIG_" + c.symbol;
    x["kind"] = to_string(c.kind);
    x["summary"] = c.summary;
    x["old"] = side_json(c.from);
    x["new"] = side_json(c.to);
    if (c.kind == ChangeKind::vanished) x["renames"] = candidates_json(c.renames);
    if (!c.why.empty()) x["why"] = c.why;
    changes.push_back(std::move(x));
  }
  j["changes"] = std::move(changes);
  nlohmann::json reqs = nlohmann::json::array();
  for (const RequirementResult& r : res.requirements) {
    nlohmann::json x;
    x["symbol"] = "CONFIG_" + r.symbol;
    x["value"] = r.value;
    x["at"] = loc(r.at);
    x["holds"] = r.holds;
    x["held_on_old"] = r.held_on_old;
    x["old"] = side_json(r.from);
    x["new"] = side_json(r.to);
    x["finding"] = r.finding ? config::to_json(*r.finding) : nlohmann::json(nullptr);
    x["queue_fixes"] = r.queue_fixes;
    if (!r.why.empty()) x["why"] = r.why;
    if (!r.renames.empty()) x["renames"] = candidates_json(r.renames);
    reqs.push_back(std::move(x));
  }
  j["requirements"] = std::move(reqs);
  j["requirements_hold"] = res.requirements_hold;
  nlohmann::json diff = nlohmann::json::array();
  for (const DiffEntry& e : res.diff)
    diff.push_back({{"group", to_string(e.group)},
                    {"symbol", "CONFIG_" + e.symbol},
                    {"old", e.from},
                    {"new", e.to},
                    {"why", e.why}});
  j["config_diff"] = std::move(diff);
  j["patches"] = {{"checked", false}, {"reason", "kmeta cannot build the kernel tree from the metadata yet"}};
  if (req.all_vanished) {
    nlohmann::json v = nlohmann::json::array();
    for (const VanishedSymbol& s : res.all_vanished)
      v.push_back({{"symbol", "CONFIG_" + s.symbol}, {"candidates", candidates_json(s.candidates)}});
    j["all_vanished"] = std::move(v);
  }
  return j;
}

}  // namespace kmeta::uprev
