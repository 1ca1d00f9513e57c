#include "config/why.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "config/report.h"
#include "config/requests.h"

namespace kmeta::config {

namespace kc = kmeta::kconfig;

namespace {

bool bool_like(kc::SymbolType t) { return t == kc::SymbolType::boolean || t == kc::SymbolType::tristate; }

nlohmann::json loc_json(const Location& l) {
  if (!l.valid()) return nullptr;
  return {{"file", l.file}, {"line", l.line}};
}

}  // namespace

WhyRecord why(const ConfigRequest& req, ConfigResult& res, const std::string& symbol_in) {
  WhyRecord w;
  w.symbol = starts_with(symbol_in, "CONFIG_") ? symbol_in.substr(7) : symbol_in;
  const kc::Model& m = *res.kernel.model;
  kc::Configuration& cfg = *res.cfg;

  if (const SymbolRequests* r = res.merge.find(w.symbol)) {
    for (size_t i = 0; i < r->assignments.size(); ++i) {
      const Assignment& a = r->assignments[i];
      w.requests.push_back({a.value.value, location_of(res.queue, a.at), res.queue[a.at.fragment].queue_name,
                            i + 1 == r->assignments.size(), a.in_seed});
    }
  }
  for (const Finding& f : res.audit.findings)
    if (f.symbol == w.symbol) w.finding = &f;

  kc::SymbolId s = m.find(w.symbol);
  if (s == kc::kNone || !m.sym(s).is(kc::kSymDefined)) {
    w.source = "undefined";
    w.value = "n";
    w.explanation =
        fmt::format("CONFIG_{} is not a symbol of this kernel for ARCH={}", w.symbol, res.kernel.env.arch);
    if (res.tree)
      for (const Location& l : res.tree->all(w.symbol)) w.defined_at.push_back(l);
    if (!w.defined_at.empty())
      w.suggestion = "defined for another architecture at " + w.defined_at.front().str();
    if (w.finding && !w.finding->suggestion.empty()) w.suggestion = w.finding->suggestion;
    return w;
  }
  const kc::Symbol& sy = m.sym(s);
  w.known = true;
  w.type = kc::type_name(sy.type);
  w.value = bool_like(sy.type) ? std::string(1, kc::tri_char(cfg.tri(s))) : std::string(cfg.str(s));
  kc::Origin o = cfg.why(s);
  w.written = o.written;
  for (kc::NodeId n : sy.nodes) w.defined_at.push_back(m.node(n).where);
  for (kc::PropId p : sy.props)
    if (is_prompt(m.prop(p))) {
      w.prompt = m.prop(p).text;
      break;
    }
  std::string deps;
  cfg.print_expr(sy.dir_dep, deps);
  w.depends_on = sy.dir_dep == kc::kNone ? "" : deps;
  w.depends_value = std::string(1, kc::tri_char(cfg.eval(sy.dir_dep)));
  kc::Tristate need = bool_like(sy.type) && !w.requests.empty() && w.requests.back().value != "n"
                          ? (w.requests.back().value == "m" ? kc::Tristate::mod : kc::Tristate::yes)
                          : kc::Tristate::mod;
  for (kc::ExprId t : and_terms(m, sy.dir_dep))
    if (cfg.eval(t) < need)
      w.false_terms.push_back(
          {m.expr_to_string(t), std::string(1, kc::tri_char(cfg.eval(t))), term_location(m, s, t)});
  for (const auto& c : o.selectors) {
    std::string t;
    cfg.print_expr(c.term, t);
    w.selected_by.push_back(t);
  }
  for (const auto& c : o.impliers) {
    std::string t;
    cfg.print_expr(c.term, t);
    w.implied_by.push_back(t);
  }

  using Src = kc::Origin::Source;
  switch (o.source) {
    case Src::user: {
      w.source = "fragment";
      w.explanation = fmt::format("set by a fragment line{}",
                                  o.capped_by_visibility ? " (capped to m by its dependencies)" : "");
      Location l = map_seed_location(req, res, o.user_at);
      w.source_at = l;
      LineRef ref = res.merge.origin(o.user_at.line);
      if (ref.fragment != kNoFragment) w.source_chain = res.queue[ref.fragment].chain;
      break;
    }
    case Src::default_value:
      w.source = "default";
      w.source_at = o.default_prop != kc::kNone ? m.prop(o.default_prop).where : Location{};
      w.explanation =
          o.has_user_value && !o.user_value_used
              ? "the fragment's value is not used (the prompt is not visible), so the default applies"
              : "no fragment sets it: the default applies";
      break;
    case Src::implied:
      w.source = "imply";
      w.explanation = "raised by imply";
      break;
    case Src::selected:
      w.source = "select";
      w.explanation = fmt::format("selected: select forces it to at least {}", kc::tri_char(o.rev_dep));
      break;
    case Src::choice: {
      w.source = "choice";
      std::string chosen = o.chosen != kc::kNone ? m.sym(o.chosen).name : "";
      w.explanation =
          chosen == w.symbol ? "the choice picked it" : fmt::format("the choice picked {}", chosen);
      if (o.choice_default_prop != kc::kNone) w.source_at = m.prop(o.choice_default_prop).where;
      break;
    }
    case Src::initial:
      w.source = "not set";
      w.explanation =
          o.has_user_value && !o.user_value_used
              ? "the fragment's value is not used (the prompt is not visible) and no default applies"
              : "nothing sets it: no fragment, default, select or imply";
      break;
    case Src::constant:
    case Src::untyped:
    case Src::not_computed:
      w.source = "none";
      w.explanation = "not computed";
      break;
  }
  if (o.range_clamped)
    w.explanation += fmt::format("; {} was clamped to the range at {}", o.unclamped_value,
                                 m.prop(o.range_prop).where.str());
  return w;
}

std::string render_why(const WhyRecord& w) {
  std::string out;
  if (!w.known) {
    out += fmt::format("CONFIG_{}: unknown symbol\n  {}\n", w.symbol, w.explanation);
    if (!w.suggestion.empty()) out += "  " + w.suggestion + "\n";
  } else {
    out += fmt::format("CONFIG_{}={}  ({}{}){}\n", w.symbol, w.value, w.type,
                       w.prompt.empty() ? "" : " \"" + w.prompt + "\"",
                       w.written ? "" : "  [not written to .config]");
    for (const Location& l : w.defined_at) out += fmt::format("  defined at {}\n", l.str());
    out += fmt::format("  value from: {}: {}\n", w.source, w.explanation);
    if (w.source_at.valid()) out += fmt::format("    at {}\n", w.source_at.str());
    for (const Location& l : w.source_chain) out += fmt::format("      from {}\n", l.str());
    if (!w.depends_on.empty()) out += fmt::format("  depends on: {}  (={})\n", w.depends_on, w.depends_value);
    for (const Term& t : w.false_terms)
      out += fmt::format("    not met: {} (={}){}\n", t.expr, t.value,
                         t.where.valid() ? "  " + t.where.str() : "");
    for (const auto& s : w.selected_by) out += fmt::format("  selected by: {}\n", s);
    for (const auto& s : w.implied_by) out += fmt::format("  implied by: {}\n", s);
  }
  if (w.requests.empty()) {
    out += "  requested by: no fragment\n";
  } else {
    out += "  requested by:\n";
    for (const auto& r : w.requests)
      out += fmt::format("    {:<8} {}{}{}\n", r.value, r.at.str(), r.wins ? "  (last: wins)" : "",
                         r.in_seed ? "" : "  (deleted by the merge)");
  }
  if (w.finding) {
    out += "  audit:\n";
    std::string f = render_finding(*w.finding);
    for (std::string_view line : split_lines(f)) out += "  " + std::string(line) + "\n";
  }
  return out;
}

nlohmann::json to_json(const WhyRecord& w) {
  nlohmann::json j;
  j["symbol"] = "CONFIG_" + w.symbol;
  j["known"] = w.known;
  j["type"] = w.type;
  j["value"] = w.value;
  j["written"] = w.written;
  j["prompt"] = w.prompt;
  nlohmann::json defs = nlohmann::json::array();
  for (const auto& l : w.defined_at) defs.push_back(loc_json(l));
  j["defined_at"] = defs;
  j["source"] = w.source;
  j["explanation"] = w.explanation;
  j["source_at"] = loc_json(w.source_at);
  nlohmann::json chain = nlohmann::json::array();
  for (const auto& l : w.source_chain) chain.push_back(loc_json(l));
  j["source_chain"] = chain;
  j["depends_on"] = w.depends_on;
  j["depends_value"] = w.depends_value;
  nlohmann::json terms = nlohmann::json::array();
  for (const auto& t : w.false_terms)
    terms.push_back({{"expr", t.expr}, {"value", t.value}, {"at", loc_json(t.where)}});
  j["unmet"] = terms;
  j["selected_by"] = w.selected_by;
  j["implied_by"] = w.implied_by;
  nlohmann::json reqs = nlohmann::json::array();
  for (const auto& r : w.requests)
    reqs.push_back({{"value", r.value},
                    {"at", loc_json(r.at)},
                    {"fragment", r.fragment},
                    {"wins", r.wins},
                    {"in_seed", r.in_seed}});
  j["requests"] = reqs;
  j["finding"] =
      w.finding ? nlohmann::json(std::string(to_string(w.finding->kind))) : nlohmann::json(nullptr);
  j["suggestion"] = w.suggestion;
  return j;
}

}  // namespace kmeta::config
