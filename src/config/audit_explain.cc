// The audit's explanations: why a requested value was not reached, down to
// the root cause (audit_internal.h).
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "base/strings.h"
#include "config/audit_internal.h"

namespace kmeta::config::audit_internal {

void Auditor::explain_low(Finding& f, SymbolId t, Tristate need, int depth,
                          std::unordered_set<SymbolId>& seen) {
  if (depth > 5 || f.causes.size() >= 12 || !seen.insert(t).second) return;
  const kc::Symbol& ts = m_.sym(t);
  std::string n = name(t);
  if (ts.is(kc::kSymConst)) return;
  if (!defined(t)) {
    f.causes.push_back({n, "n", not_defined_reason(n), {}, depth});
    return;
  }
  std::string v = value_of(t);
  if (const SymbolRequests* r = c_.merge.find(n)) {
    std::string rv = r->winner().value.value;
    Location at = request_location(*r);
    if (bool_like(ts.type) && tri_of(rv) < need) {
      f.causes.push_back(
          {n, v, fmt::format("{} is requested {} at {}", n, rv, at.str()), def_location(t), depth});
      return;
    }
    f.causes.push_back({n, v, fmt::format("{} is requested {} at {} but is {} itself", n, rv, at.str(), v),
                        def_location(t), depth});
  } else if (has_prompt(t) && c_.cfg.visibility(t) >= need) {
    f.causes.push_back({n, v, fmt::format("{} is {}: no fragment requests it (its default is {})", n, v, v),
                        def_location(t), depth});
    return;
  } else if (!has_prompt(t)) {
    std::vector<ExprId> sel = or_terms(m_, ts.rev_dep);
    if (sel.empty()) {
      f.causes.push_back(
          {n, v, fmt::format("{} has no prompt and nothing selects it", n), def_location(t), depth});
      return;
    }
    std::string list;
    for (size_t i = 0; i < sel.size() && i < 6; ++i)
      list +=
          fmt::format("{}{} (={})", i ? ", " : "", m_.expr_to_string(sel[i]), tri_str(c_.cfg.eval(sel[i])));
    if (sel.size() > 6) list += fmt::format(", and {} more", sel.size() - 6);
    f.causes.push_back({n, v, fmt::format("{} has no prompt: only select sets it, from {}", n, list),
                        def_location(t), depth});
    for (size_t i = 0; i < sel.size() && i < 2; ++i) {
      SymbolId by = m_.expr(sel[i]).kind == ExprKind::symbol ? m_.expr(sel[i]).sym : kc::kNone;
      if (by == kc::kNone) {
        auto ts2 = and_terms(m_, sel[i]);
        if (!ts2.empty() && m_.expr(ts2.front()).kind == ExprKind::symbol) by = m_.expr(ts2.front()).sym;
      }
      if (by != kc::kNone) explain_low(f, by, need, depth + 1, seen);
    }
    return;
  } else {
    f.causes.push_back(
        {n, v, fmt::format("{} is {}: its prompt is not visible", n, v), def_location(t), depth});
  }
  bool from_prompt = false;
  for (ExprId b : blocking_terms(t, need, &from_prompt)) {
    const kc::Expr& x = m_.expr(b);
    if (x.kind == ExprKind::symbol) {
      explain_low(f, x.sym, dep_need(t, need), depth + 1, seen);
    } else {
      f.causes.push_back({"", term_value(b),
                          fmt::format("{} needs {} (={})", n, m_.expr_to_string(b), term_value(b)),
                          term_location(m_, t, b), depth + 1});
    }
  }
}

void Auditor::explain_blocking(Finding& f, SymbolId s, Tristate need) {
  bool from_prompt = false;
  std::vector<ExprId> blocks = blocking_terms(s, need, &from_prompt);
  for (ExprId b : blocks) f.terms.push_back({m_.expr_to_string(b), term_value(b), term_location(m_, s, b)});
  std::unordered_set<SymbolId> seen{s};
  for (ExprId b : blocks) {
    const kc::Expr& x = m_.expr(b);
    if (x.kind == ExprKind::symbol) {
      explain_low(f, x.sym, dep_need(s, need), 1, seen);
    } else if (x.kind == ExprKind::not_ && m_.expr(x.left).kind == ExprKind::symbol) {
      SymbolId t = m_.expr(x.left).sym;
      std::string n = name(t);
      std::string why;
      if (const SymbolRequests* r = c_.merge.find(n))
        why = fmt::format("requested {} at {}", r->winner().value.value, request_location(*r).str());
      else if (c_.cfg.rev_dep_value(t) != Tristate::no)
        why = "selected";
      else
        why = "its default";
      f.causes.push_back(
          {n, value_of(t), fmt::format("{} is {} ({})", n, value_of(t), why), def_location(t), 1});
    } else if (x.kind == ExprKind::or_) {
      for (ExprId alt : or_terms(m_, b))
        if (m_.expr(alt).kind == ExprKind::symbol)
          explain_low(f, m_.expr(alt).sym, dep_need(s, need), 1, seen);
    }
  }
  std::string list;
  for (const Term& t : f.terms)
    list += fmt::format("{}{} (={})", list.empty() ? "" : " && ", t.expr, t.value);
  if (from_prompt && !f.terms.empty())
    f.message = fmt::format("the prompt is only visible if {}", list);
  else if (!f.terms.empty())
    f.message = fmt::format("depends on {}", list);
  else
    f.message = "its dependencies are not met";
}

void Auditor::explain_promptless(Finding& f, SymbolId s, Tristate need) {
  const kc::Symbol& sy = m_.sym(s);
  std::vector<ExprId> sel = or_terms(m_, sy.rev_dep);
  if (sel.empty()) {
    f.message = "it has no prompt, so a fragment cannot set it, and nothing selects it";
  } else {
    f.message = "it has no prompt, so a fragment cannot set it; only select can";
    for (ExprId t : sel)
      f.terms.push_back({"selected by " + m_.expr_to_string(t), tri_str(c_.cfg.eval(t)), {}});
  }
  std::unordered_set<SymbolId> seen{s};
  for (size_t i = 0; i < sel.size() && i < 3; ++i) {
    auto ts = and_terms(m_, sel[i]);
    if (!ts.empty() && m_.expr(ts.front()).kind == ExprKind::symbol && c_.cfg.eval(sel[i]) < need)
      explain_low(f, m_.expr(ts.front()).sym, need, 1, seen);
  }
}

void Auditor::unknown(Finding& f) {
  f.kind = FindingKind::unknown_symbol;
  f.message = fmt::format("CONFIG_{} is not a symbol of this kernel for ARCH={}", f.symbol, c_.arch);
  // Another architecture?
  if (c_.tree) {
    std::vector<Location> locs = c_.tree->all(f.symbol);
    if (!locs.empty()) {
      f.suggestion = fmt::format("defined only outside ARCH={}: {}", c_.arch, locs.front().str());
      if (locs.size() > 1) f.suggestion += fmt::format(" (and {} more)", locs.size() - 1);
      f.fix.status = Fix::Status::none;
      f.fix.reason =
          "the symbol belongs to another architecture; move the line into an "
          "`if [ \"$KARCH\" = ... ]` block or a fragment of that architecture";
      return;
    }
  }
  // Renamed? A symbol whose help text names the old name.
  if (!help_indexed_) {
    help_indexed_ = true;
    for (SymbolId s : m_.symbol_ids()) {
      if (!defined(s)) continue;
      for (kc::NodeId n : m_.sym(s).nodes)
        for (std::string_view w : split(m_.help(n), ' ')) {
          std::string word;
          for (char ch : w)
            if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') word += ch;
          if (starts_with(word, "CONFIG_")) word = word.substr(7);
          if (word.size() > 3 && word.find('_') != std::string::npos) {
            auto& v = help_mentions_[word];
            if (v.empty() || v.back() != s) v.push_back(s);
          }
        }
    }
  }
  if (auto it = help_mentions_.find(f.symbol); it != help_mentions_.end() && !it->second.empty()) {
    SymbolId s = it->second.front();
    f.suggestion =
        fmt::format("probably renamed to CONFIG_{}: its help text ({}) names {}; write CONFIG_{}={}", name(s),
                    def_location(s).str(), f.symbol, name(s), f.requested);
    return;
  }
  if (defined_names_.empty())
    for (SymbolId s : m_.symbol_ids())
      if (defined(s) && !m_.sym(s).name.empty()) defined_names_.push_back(m_.sym(s).name);
  std::string guess = suggest(f.symbol, defined_names_);
  if (!guess.empty()) {
    f.suggestion = fmt::format("did you mean CONFIG_{}?", guess);
  } else {
    f.suggestion = "no similar symbol in this kernel (removed, or out of tree?)";
  }
}

}  // namespace kmeta::config::audit_internal
