// `kmeta matrix`: every BSP entry point of kernel caches configured and
// audited against a kernel, in one process.
//
// The passes, per BSP (one task each, run by `jobs` workers):
//   fragments (config::prepare_fragments: spp --find, scc, merge, classify)
//   toolchain (toolchain.h: ARCH from KARCH, the cross compiler for the target)
//   kernel    (config::load_kernel, once per (ARCH, CROSS_COMPILE), shared by
//              every BSP of that toolchain; the first BSP that needs it loads
//              it, the others wait for it)
//   resolve + audit (config::resolve_and_audit, on the shared model)
//   write     (config::write_outputs: OUT/<machine>/<ktype>/.config and
//              .kernel-meta/..., exactly what `kmeta config -o` writes)
//   summary   (BspRow: counts, unknown symbols, findings; the heavy results
//              are dropped here, so memory holds one Configuration per worker
//              and one model per toolchain still in use)
// A toolchain's model is released when the last BSP of its ARCH is done
// (tasks run in ARCH order), which bounds the models in memory.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/findings.h"
#include "config/resolve.h"
#include "matrix/entry_points.h"
#include "matrix/toolchain.h"

namespace kmeta::matrix {

struct MatrixRequest {
  std::vector<std::string> caches;         // absolute, searched in order (-I)
  std::string kernel;                      // kernel tree, absolute
  std::vector<std::string> machine_globs;  // fnmatch patterns on KMACHINE; empty = all
  std::vector<std::string> types;          // KTYPEs to keep; empty = all
  std::vector<std::string> features;       // KERNEL_FEATURES added to every BSP
  std::map<std::string, std::string>
      modes;         // KTYPE -> alldefconfig|allnoconfig (default: tiny -> allnoconfig)
  std::string mode;  // one mode for every BSP ("" = per type)
  std::map<std::string, std::string> cross;  // ARCH -> CROSS_COMPILE forced ("" = host)
  int jobs = 1;
  std::string output;        // absolute
  std::string baseline_dir;  // directory of a previous run ("" = none): its <bsp>/.config
  config::AuditLevels levels;
  bool fixes = true;
  // The kernel options every toolchain starts from: host, base_env,
  // probe_mode, probe_dir, model_cache (srctree/objtree/arch/cross are set
  // per toolchain).
  config::KernelOptions kernel_options;
  std::function<bool(const std::string&)> is_installed;  // compiler lookup (on PATH)
  std::string display_base;                              // like `kmeta config`: paths below it shown relative
  // The record a row's build directory gets (kmeta-config.json, written
  // last: what `kmeta why -C` / `kmeta audit -C` re-run); "" = none.
  std::function<std::string(const struct BspRow&)> record;
};

// The mode a KTYPE resolves with: the linux-yocto recipes' rule (tiny ->
// allnoconfig, others alldefconfig), then the overrides.
std::string mode_for(const MatrixRequest& req, const std::string& ktype);

struct KernelRow {  // one (ARCH, CROSS_COMPILE) the run loaded
  Toolchain toolchain;
  std::string objtree;
  std::string cc_version_text;
  bool ok = false;
  std::string error;
  bool model_reused = false;
  uint64_t probe_hits = 0, probe_misses = 0;
  double seconds = 0;
  size_t bsps = 0;
};

// clang-tidy 14 cannot prove the implicit move noexcept through the
// nlohmann::json member (its move constructor asserts its invariant); nothing
// here throws on a move.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct BspRow {
  EntryPoint entry;
  std::string arch;
  Toolchain toolchain;
  std::string mode;
  std::string dir;  // output directory, relative to the run's output ("qemuarm64/standard")
  bool ok = false;
  bool empty = false;  // the definition queues no fragment (nothing to configure; not a failure)
  std::string error;
  std::vector<std::string> fragments;  // config.queue names, merge order
  size_t requested = 0, matched = 0;
  // counts[kind][hw class] over every finding (hidden ones included)
  std::map<std::string, std::map<std::string, size_t>> counts;
  size_t findings = 0, shown = 0, fragment_findings = 0, redefinitions = 0;
  std::vector<std::string> unknown_symbols;
  nlohmann::json findings_json;    // to_json(audit)["findings"], trimmed
  std::vector<std::string> diags;  // located scc errors / warnings
  double seconds = 0;
  // baseline
  bool has_baseline_config = false;
  std::vector<std::string> config_removed, config_added;  // .config lines
  // a severity score, worst first: shown findings weigh by kind
  double score() const;
};

struct MatrixResult {
  std::vector<EntryPoint> all_entry_points;  // before filtering
  std::vector<BspRow> rows;                  // entry-point order
  std::vector<KernelRow> kernels;
  double seconds = 0;
};

// Runs the whole matrix; false + an error in *diags only when nothing can run (no
// entry point, unreadable caches). Per-BSP failures are rows with ok=false.
bool run_matrix(const MatrixRequest& req, MatrixResult* out, Diagnostics* diags);

}  // namespace kmeta::matrix
