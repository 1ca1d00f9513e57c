// The configure step as a list of named passes:
//
//   queue (bsp.h: spp --find + scc, in memory)   -> QueuedFragments
//   merge  (merge.h: merge_config.sh's seed)      -> MergeResult
//   kernel (resolve.h: env, probes, Kconfig parse) -> KernelTree
//   resolve (seed as KCONFIG_ALLCONFIG + all*config) -> Configuration, .config text
//   classify + audit (audit.h)                    -> AuditReport
//   write  (BUILD/.config, BUILD/.kernel-meta/...)
//
// run_config() computes everything and writes nothing; write_outputs() puts
// the results on disk, every file atomically. `kmeta why` and `kmeta audit`
// reuse run_config() without writing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "config/audit.h"
#include "config/bsp.h"
#include "config/classify.h"
#include "config/findings.h"
#include "config/merge.h"
#include "config/queue_facts.h"
#include "config/resolve.h"
#include "config/tree_symbols.h"

namespace kmeta::config {

struct ConfigRequest {
  // Where the fragments come from: a BSP (compiled while the kernel's Kconfig
  // is parsed, on another thread), or a queue given as it is.
  std::optional<BspRequest> bsp;
  std::vector<QueuedFragment> queue;  // used when `bsp` is not set
  std::string display_base;           // fragment paths below this directory are shown relative to it
  KernelOptions kernel;
  kconfig::ConfMode mode = kconfig::ConfMode::alldefconfig;  // or allnoconfig (merge_config.sh -n)
  std::string output;                                        // BUILD directory (absolute)
  AuditLevels levels;
  bool audit = true;
  bool fixes = true;  // verified fixes for shown unmet dependencies
  // When not empty: compute fixes only for these symbols (no "CONFIG_"),
  // shown or not (`kmeta why`).
  std::vector<std::string> fix_symbols;
  // Audit this .config text instead of the one resolved from the fragments
  // (`kmeta audit --config FILE`, `kmeta symbol-why --dotconfig FILE`).
  std::optional<std::string> audit_dotconfig;
  // Where every input is read (the caches, the fragments, the kernel tree);
  // null = the disk. The Kconfig parse reads it on a second thread while the
  // BSP compiles, so it must answer two threads at once (a MemoryFileSystem
  // does). Set, it overrides bsp->fs and kernel.files.
  FileSystem* files = nullptr;
};

struct Timing {
  std::string phase;
  double seconds = 0;
};

struct ConfigResult {
  std::vector<QueuedFragment> queue;  // fragments in merge order (the first is the base)
  std::string bsp_definition;         // what spp --find found ("" without a BSP)
  bool no_fragments = false;          // the BSP compiled but queues no fragment (the error then says so)
  Diagnostics diags;                  // located scc errors and warnings
  MergeResult merge;
  KernelTree kernel;
  std::unique_ptr<kconfig::Configuration> cfg;
  kconfig::Messages conf_log;  // what conf printed while reading the seed (lkc bytes)
  std::string dotconfig;       // the .config text
  Classification classes;
  QueueFacts facts;  // symbol_why.py's view of the queue
  AuditReport audit;
  std::unique_ptr<TreeSymbols> tree;  // all-architecture symbol index (scanned lazily)
  std::vector<Timing> timings;
};

// The name the seed is read under (appears in conf's warnings, which
// map_seed_location() maps back to the fragments).
inline constexpr const char* kSeedName = ".kernel-meta/merged.config";

// False + the reason in *diags (out->diags has scc's own located errors and
// warnings either way).
bool run_config(const ConfigRequest& req, ConfigResult* out, Diagnostics* diags);

// The audit step of run_config() on its own: `queue`, merged as `merge` and
// resolved as `cfg` on kernel `k`, against `dotconfig`, with fixes (when
// req.fixes) for `fix_symbols` or, when that is empty, for the findings shown
// at req.levels. `kmeta uprev` re-runs it with other fix choices and with
// extra fragments queued, then passes `merge_seed`, the merge of its own
// queue, which `queue` extends (AuditContext::merge_seed).
AuditReport audit_queue(const ConfigRequest& req, const KernelTree& k,
                        const std::vector<QueuedFragment>& queue, const MergeResult& merge,
                        kconfig::Configuration& cfg, const Classification& classes,
                        std::string_view dotconfig, TreeSymbols* tree,
                        const std::vector<std::string>& fix_symbols, const MergeState* merge_seed = nullptr);

// run_config() in two halves, for callers that share one kernel between many
// requests (`kmeta matrix`); run_config() is exactly the first, load_kernel()
// and the second.
//
// The passes that need no Kconfig: queue (BSP + scc), merge, classify.
bool prepare_fragments(const ConfigRequest& req, ConfigResult* out, Diagnostics* diags);
// Resolve and audit against `kernel` (copied into out->kernel; its model is
// shared, read-only), with the all-architecture symbol index `tree` (shared,
// thread-safe; scanned on first use).
void resolve_and_audit(const ConfigRequest& req, const KernelTree& kernel,
                       std::shared_ptr<TreeSymbols::Index> tree, ConfigResult* out);

// Writes BUILD/.config (keeping a changed one as .config.old, as conf does)
// and, under BUILD/.kernel-meta/: cfg/mismatch.txt, cfg/invalid.txt,
// cfg/redefinition.txt (as kernel-yocto.bbclass writes them: present only when
// not empty), cfg/merge_config_build.log, config.queue, bsp_definition,
// kmeta-audit.json and, last, `record` as kmeta-config.json: the build
// directory protocol of build_dir.h (the caller holds BUILD's exclusive lock).
// False + an error in *diags when a file cannot be written.
bool write_outputs(const ConfigRequest& req, ConfigResult& res, const std::string& record,
                   Diagnostics* diags);

// The three Yocto audit files' contents.
std::string mismatch_text(const ConfigRequest& req, const ConfigResult& res);
std::string invalid_text(const ConfigRequest& req, ConfigResult& res);
std::string redefinition_text(const ConfigResult& res);

// merge_config.sh's log: the merge part, then conf's messages with seed
// locations mapped back to fragment lines.
std::string merge_log(const ConfigRequest& req, const ConfigResult& res);

// A conf message location in the seed, mapped to the fragment line it came
// from (unchanged when it is not a seed location).
Location map_seed_location(const ConfigRequest& req, const ConfigResult& res, const Location& l);

}  // namespace kmeta::config
