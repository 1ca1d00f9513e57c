#include "config/findings.h"

namespace kmeta::config {

const char* to_string(FindingKind k) {
  switch (k) {
    case FindingKind::lost_in_merge: return "lost-in-merge";
    case FindingKind::unknown_symbol: return "unknown-symbol";
    case FindingKind::bad_value: return "bad-value";
    case FindingKind::unmet_dependency: return "unmet-dependency";
    case FindingKind::promptless: return "promptless";
    case FindingKind::select_override: return "select-override";
    case FindingKind::choice_loser: return "choice-loser";
    case FindingKind::range_clamp: return "range-clamp";
    case FindingKind::unexplained: return "unexplained";
  }
  return "unexplained";
}

const char* title(FindingKind k) {
  switch (k) {
    case FindingKind::lost_in_merge: return "lost in the fragment merge";
    case FindingKind::unknown_symbol: return "unknown symbol";
    case FindingKind::bad_value: return "bad value";
    case FindingKind::unmet_dependency: return "unmet dependency";
    case FindingKind::promptless: return "no prompt (only select/default can set it)";
    case FindingKind::select_override: return "overridden by select/imply";
    case FindingKind::choice_loser: return "choice decided otherwise";
    case FindingKind::range_clamp: return "out of range";
    case FindingKind::unexplained: return "unexplained";
  }
  return "unexplained";
}

std::string FixLine::line() const {
  if (value == "n") return "# CONFIG_" + symbol + " is not set";
  return "CONFIG_" + symbol + "=" + value;
}

bool shown(const Finding& f, const AuditLevels& levels) {
  // Unknown symbols are a property of the fragments (symbol_why.py --invalid),
  // reported with the BSP audit; bad syntax too.
  if (f.kind == FindingKind::unknown_symbol) {
    if (levels.bsp_audit_level >= 1) return true;
  }
  if (levels.audit_level <= 0) return false;
  if (f.y_or_m && levels.audit_level < 2) return false;
  if (f.kconf_class == "required") return true;
  if (f.kconf_class == "optional") return levels.audit_level >= 2;
  if (levels.audit_level == 1) return f.hw != HwClass::non_hardware;
  return true;
}

bool shown(const FragmentFinding&, const AuditLevels& levels) { return levels.bsp_audit_level >= 1; }

bool shown(const Redefined& r, const AuditLevels& levels) { return r.differs && levels.bsp_audit_level >= 3; }

ShownCounts count_shown(const AuditReport& r, const AuditLevels& levels) {
  ShownCounts c;
  for (const auto& f : r.findings) {
    if (shown(f, levels))
      ++c.findings;
    else
      ++c.hidden_findings;
  }
  for (const auto& f : r.fragment_findings) c.fragment_findings += shown(f, levels);
  for (const auto& d : r.redefinitions) c.redefinitions += shown(d, levels);
  return c;
}

}  // namespace kmeta::config
