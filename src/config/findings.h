// The audit's result as data: what was requested and did not stick, why, and
// what would fix it; plus problems of the fragments themselves.
//
// Produced by audit.h, rendered by report.h (text, JSON, the Yocto
// cfg/*.txt files). Kept free of the Kconfig engine so renderers and tests
// can build findings by hand.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "config/classify.h"
#include "config/fragment.h"

namespace kmeta::config {

// Why a requested value is not the value in .config. Ordered worst first:
// the text report groups findings in this order.
enum class FindingKind : uint8_t {
  lost_in_merge,     // the line never reached the kernel: merge_config.sh deleted it
  unknown_symbol,    // no such symbol in this kernel for this ARCH
  bad_value,         // the kernel rejected the value for the symbol's type
  unmet_dependency,  // `depends on` / the prompt's condition is below the request
  promptless,        // no prompt to take the value: only select, imply or default set it
  select_override,   // select (or imply) holds it above the request
  choice_loser,      // another member of the same choice won
  range_clamp,       // outside the active `range`
  unexplained,       // differs and no rule explains it (a kmeta bug: please report)
};
inline constexpr int kFindingKinds = 9;
const char* to_string(FindingKind k);  // "unmet-dependency", ...
const char* title(FindingKind k);      // "unmet dependency", ...

// One operand of a dependency with its value, e.g. "VIRTIO" = "n".
struct Term {
  std::string expr;   // as lkc prints it
  std::string value;  // "n" / "m" / "y"
  Location where;     // the Kconfig line it comes from (depends on / prompt / if)
};

// One step from a finding down to its root cause: "VIRTIO is n because ...".
struct Cause {
  std::string symbol;  // without "CONFIG_"
  std::string value;
  std::string reason;  // one sentence
  Location where;      // where the symbol (or the relevant property) is defined
  int depth = 1;       // 1 = a direct term of the finding, 2 = a term of that, ...
};

struct FixLine {
  std::string symbol;
  std::string value;         // "y", "m", "n" (rendered "# CONFIG_X is not set")
  std::string line() const;  // the fragment line
};

struct Fix {
  enum class Status : uint8_t {
    not_attempted,  // not an unmet dependency, or fixes were not requested
    verified,       // resolving again with `lines` added gives the requested value
    none,           // no fix exists (reason says why)
  };
  Status status = Status::not_attempted;
  std::vector<FixLine> lines;
  std::string fragment;  // the fragment file the lines belong in
  std::string reason;    // why there is no fix
};

struct Finding {
  FindingKind kind = FindingKind::unexplained;
  std::string symbol;     // without "CONFIG_"
  std::string requested;  // value as requested ("y", "m", "n", "64", "\"x\"")
  std::string actual;     // value in .config, by meaning ("n" when not set or absent)
  bool written = false;   // the symbol has a line in .config

  // The request that won (last fragment wins).
  Location at;                         // fragment file:line
  std::vector<Location> chain;         // kconf statement, then the includes (innermost first)
  std::string fragment;                // the fragment's queue name (config.queue form)
  std::string kconf_class;             // its kconf class: hardware, non-hardware, required, optional, ...
  HwClass hw = HwClass::unclassified;  // symbol_why.py's classification of the symbol
  // y and m were both declared acceptable (y_or_m_enabled.cfg beside a queued
  // fragment): symbol_why.py only reports it with --strict; shown from audit
  // level 2.
  bool y_or_m = false;

  std::string message;          // one line: what happened
  std::vector<Term> terms;      // unmet dependency: the false operands
  std::vector<Cause> causes;    // the chain down to the root cause
  std::vector<std::string> by;  // select/imply sources, the winning choice member, ...
  std::string suggestion;       // unknown symbol: did you mean / renamed to / other ARCH
  Fix fix;
};

// A problem in one fragment line (sanity), located.
struct FragmentFinding {
  SanityIssue issue;
  std::string fragment;  // queue name
  Location at;
  std::vector<Location> chain;
  std::string kconf_class;
};

// A symbol assigned by more than one fragment, with every assignment.
struct Redefined {
  std::string symbol;
  struct Site {
    std::string value;     // requested value (annotations split off)
    std::string fragment;  // queue name
    Location at;
    std::vector<Location> chain;
  };
  std::vector<Site> sites;  // merge order; the last one wins
  bool differs = false;     // at least two different values
};

struct AuditReport {
  std::vector<Finding> findings;                   // grouped by kind (worst first), then request order
  std::vector<FragmentFinding> fragment_findings;  // queue order, then line
  std::vector<Redefined> redefinitions;            // first-assignment order
  // Counts over every requested symbol.
  size_t requested = 0;   // distinct symbols requested
  size_t matched = 0;     // the .config has the requested value
  size_t equivalent = 0;  // textually different, same meaning (=n vs not set, annotations, y_or_m)
  std::vector<std::string> equivalent_symbols;
};

// What to show and what fails the run: Yocto's knobs.
struct AuditLevels {
  // KCONF_AUDIT_LEVEL: 0 = no mismatch findings, 1 = only those that matter
  // (symbol_why.py --classify: hide non-hardware options), 2+ = all.
  int audit_level = 1;
  // KCONF_BSP_AUDIT_LEVEL: 1+ = fragment problems and unknown symbols,
  // 2+ = strict (also symbols defined for other architectures), 3+ =
  // redefinitions with differing values.
  int bsp_audit_level = 0;
  bool werror = false;  // KMETA_AUDIT_WERROR: shown findings fail the run
};

// Whether a finding / fragment problem / redefinition is shown at `levels`.
bool shown(const Finding& f, const AuditLevels& levels);
bool shown(const FragmentFinding& f, const AuditLevels& levels);
bool shown(const Redefined& r, const AuditLevels& levels);
// Number of shown items of each sort.
struct ShownCounts {
  size_t findings = 0, fragment_findings = 0, redefinitions = 0, hidden_findings = 0;
  size_t total() const { return findings + fragment_findings + redefinitions; }
};
ShownCounts count_shown(const AuditReport& r, const AuditLevels& levels);

}  // namespace kmeta::config
