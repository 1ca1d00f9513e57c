// The audit: every requested value that is not in the final .config gets a
// kind, an explanation down to the root cause, and (for unmet dependencies)
// a fix verified by resolving again.
//
// Input is the resolved Configuration (values and lkc's own Origin records:
// which user value, default, select or choice decided each symbol), the
// fragment queue and its merge (who asked for what, where), the
// classification, and the written .config (what "actual" means). The audit
// reads the records; it does not re-derive Kconfig semantics, with one
// exception: to *find* a fix it plans extra fragment lines from the
// dependency expressions, then proves the plan by resolving again.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/classify.h"
#include "config/dotconfig.h"
#include "config/findings.h"
#include "config/merge.h"
#include "config/tree_symbols.h"
#include "kconfig/configuration.h"

namespace kmeta::config {

// Resolves a seed again (a new Configuration over the same Model, seeded and
// put through the same conf mode); used to verify fixes. Values are computed
// lazily, so a verification costs what the queried symbols need.
using Resolver = std::function<std::unique_ptr<kconfig::Configuration>(const std::string& seed)>;

struct AuditContext {
  const kconfig::Model& model;
  kconfig::Configuration& cfg;  // resolved from merge.seed
  const std::vector<QueuedFragment>& queue;
  const MergeResult& merge;
  const Classification& classes;
  const DotConfig& dotconfig;   // the written .config
  std::string arch;             // for messages ("not defined for ARCH=x86")
  Resolver resolve;             // null: no fixes
  TreeSymbols* tree = nullptr;  // null: no other-architecture lookups
  // The merge of queue's first merge_seed->merged() fragments (equal to
  // them): a fix that changes only fragments after those is verified by
  // merging on top of it instead of merging the whole queue again.
  const MergeState* merge_seed = nullptr;
};

struct AuditOptions {
  bool fixes = true;
  // Fixes are computed for findings this predicate accepts (the CLI passes
  // "shown at the chosen levels", so hidden findings cost nothing).
  std::function<bool(const Finding&)> want_fix;
};

AuditReport audit(AuditContext& ctx, const AuditOptions& opt = {});

// Helpers shared with why.h.
// The AND-operands of an expression (kNone gives none).
std::vector<kconfig::ExprId> and_terms(const kconfig::Model& m, kconfig::ExprId e);
// A symbol's prompt property, as lkc's for_all_prompts sees it (a
// `menuconfig` prompt is a P_MENU property).
bool is_prompt(const kconfig::Property& p);
// Where a dependency term of symbol `s` was written: the outermost `menu`,
// `if` or `choice` block, or the definition, whose `depends on` holds it.
Location term_location(const kconfig::Model& m, kconfig::SymbolId s, kconfig::ExprId term);

}  // namespace kmeta::config
