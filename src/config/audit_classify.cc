// The audit's classification: what kind of finding a requested value that
// was not reached is (audit_internal.h).
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "base/strings.h"
#include "config/audit_internal.h"

namespace kmeta::config::audit_internal {

void Auditor::classify_bool(Finding& f, const SymbolRequests& req, SymbolId s, Tristate want) {
  kc::Origin o = c_.cfg.why(s);
  Tristate got = c_.cfg.tri(s);
  const std::string n = name(s);
  if (c_.cfg.is_choice_value(s) && o.visibility != Tristate::no) {
    SymbolId w = o.chosen;
    if (w != kc::kNone && w != s && (want == Tristate::yes || got == Tristate::yes || want == Tristate::no)) {
      f.kind = FindingKind::choice_loser;
      std::string wn = name(w);
      f.by.push_back("CONFIG_" + wn);
      const SymbolRequests* wr = c_.merge.find(wn);
      switch (o.choice_rule) {
        case kc::Origin::ChoiceRule::user_y:
          if (wr)
            f.message = fmt::format("the choice picked {}, requested later at {} (the last request wins)", wn,
                                    request_location(*wr).str());
          else
            f.message = fmt::format("the choice picked {} (also requested y)", wn);
          break;
        case kc::Origin::ChoiceRule::default_member:
          f.message = fmt::format("the choice picked its default, {}", wn);
          break;
        default: f.message = fmt::format("the choice picked {}", wn); break;
      }
      if (want == Tristate::no && got == Tristate::yes)
        f.message = fmt::format("a choice always has one member set, and it is {}", n);
      return;
    }
  }
  if (got < want) {
    if (!has_prompt(s)) {
      f.kind = FindingKind::promptless;
      explain_promptless(f, s, want);
      return;
    }
    if (o.dir_dep < dep_need(s, want) || o.visibility < want) {
      f.kind = FindingKind::unmet_dependency;
      explain_blocking(f, s, want);
      if (o.visibility == Tristate::mod && want == Tristate::yes) f.message += "; the most it can be is m";
      return;
    }
    if (want == Tristate::mod && m_.sym(s).type == kc::SymbolType::tristate &&
        c_.cfg.modules_value() == Tristate::no) {
      f.kind = FindingKind::unmet_dependency;
      f.message = "modules are disabled (MODULES=n): m is not possible";
      return;
    }
  } else if (got > want) {
    if (o.rev_dep > want) {
      f.kind = FindingKind::select_override;
      for (const auto& sel : o.selectors)
        if (sel.value > want)
          f.by.push_back(fmt::format("{} (={})", m_.expr_to_string(sel.term), tri_str(sel.value)));
      f.message = fmt::format("selected to {} by {} symbol{}", tri_str(o.rev_dep), f.by.size(),
                              f.by.size() == 1 ? "" : "s");
      return;
    }
    if (o.source == kc::Origin::Source::implied) {
      f.kind = FindingKind::select_override;
      for (const auto& im : o.impliers)
        if (im.value > want)
          f.by.push_back(fmt::format("{} (={}, imply)", m_.expr_to_string(im.term), tri_str(im.value)));
      f.message = "raised by imply (the request cannot apply: the symbol is not visible)";
      return;
    }
    if (o.promoted_to_y && want == Tristate::mod) {
      f.kind = FindingKind::unmet_dependency;
      f.message = c_.cfg.modules_value() == Tristate::no ? "modules are disabled (MODULES=n): m becomes y"
                                                         : "m becomes y here (a bool in this configuration)";
      return;
    }
    if (!has_prompt(s)) {
      f.kind = FindingKind::promptless;
      f.message = o.default_prop != kc::kNone ? fmt::format("it has no prompt, so its default ({}) decides",
                                                            m_.prop(o.default_prop).where.str())
                                              : "it has no prompt, so a fragment cannot set it";
      return;
    }
    if (!o.user_value_used && o.visibility == Tristate::no) {
      f.kind = FindingKind::unmet_dependency;
      explain_blocking(f, s, Tristate::mod);
      if (o.default_prop != kc::kNone)
        f.message += fmt::format("; its default ({}) applies", m_.prop(o.default_prop).where.str());
      return;
    }
  }
  (void)req;
  f.kind = FindingKind::unexplained;
  f.message = "kmeta cannot explain this difference (please report it)";
}

void Auditor::classify_value(Finding& f, const SymbolRequests& req, SymbolId s) {
  kc::Origin o = c_.cfg.why(s);
  if (o.range_clamped) {
    f.kind = FindingKind::range_clamp;
    f.message = fmt::format("{} is outside the range at {}: clamped to {}",
                            o.unclamped_value.empty() ? f.requested : o.unclamped_value,
                            m_.prop(o.range_prop).where.str(), f.actual);
    return;
  }
  if (o.range_prop != kc::kNone && !c_.cfg.string_within_range(s, f.requested)) {
    f.kind = FindingKind::range_clamp;
    f.message = fmt::format("{} is outside the range at {}: the kernel dropped it and the default {} applies",
                            f.requested, m_.prop(o.range_prop).where.str(), f.actual);
    return;
  }
  if (!has_prompt(s)) {
    f.kind = FindingKind::promptless;
    f.message = "it has no prompt, so a fragment cannot set it; its default decides";
    return;
  }
  if (!o.user_value_used) {
    f.kind = FindingKind::unmet_dependency;
    explain_blocking(f, s, Tristate::mod);
    if (!f.written) f.message += "; the symbol is not written to .config";
    return;
  }
  (void)req;
  f.kind = FindingKind::unexplained;
  f.message = "kmeta cannot explain this difference (please report it)";
}

void Auditor::classify(Finding& f, const SymbolRequests& req, SymbolId s) {
  const Assignment& w = req.winner();
  if (!w.in_seed) {
    f.kind = FindingKind::lost_in_merge;
    for (const Collateral& col : c_.merge.collateral)
      if (col.line == w.at) {
        f.message = fmt::format(
            "merge_config.sh deleted this line while merging CONFIG_{} from {} (its `sed /CONFIG_{}[ =]/d` "
            "also "
            "matches this line)",
            col.by_symbol, c_.queue[col.by_fragment].fragment.path, col.by_symbol);
        f.by.push_back("CONFIG_" + col.by_symbol);
      }
    if (f.message.empty()) f.message = "merge_config.sh deleted this line";
    return;
  }
  if (!defined(s) || m_.sym(s).type == kc::SymbolType::unknown) {
    unknown(f);
    return;
  }
  const kc::Symbol& sy = m_.sym(s);
  const FragmentLine& line = c_.queue[w.at.fragment].fragment.lines[w.at.line - 1];
  ValueSyntax vs = value_syntax(value_type(sy.type), line.kind == LineKind::unset ? "n" : line.raw_value);
  if (line.kind == LineKind::unset && !bool_like(sy.type)) {
    f.kind = FindingKind::bad_value;
    f.message = fmt::format("'is not set' does not apply to a {} symbol: the line is ignored and {} applies",
                            kc::type_name(sy.type), f.actual);
    return;
  }
  if (!vs.ok) {
    f.kind = FindingKind::bad_value;
    f.message = fmt::format("the kernel ignores this value: {}", vs.problem);
    return;
  }
  if (bool_like(sy.type)) {
    if (!vs.problem.empty() && vs.accepted == f.actual) {
      f.kind = FindingKind::bad_value;
      f.message = vs.problem;
      return;
    }
    classify_bool(f, req, s, tri_of(vs.accepted));
  } else {
    classify_value(f, req, s);
  }
}

}  // namespace kmeta::config::audit_internal
