// Kconfig resolution of a merged seed, in memory: what merge_config.sh gets
// from `make KCONFIG_ALLCONFIG=<seed> alldefconfig` (or allnoconfig).
//
// A KernelTree is one parsed kernel for one ARCH: the environment the
// Makefiles would give conf (kbuild/kernel_env.h), the Model, and the probe
// cache that answered its $(shell) calls. Resolving a seed then costs one
// Configuration: the seed is read like conf_read_simple reads
// KCONFIG_ALLCONFIG, the all*config pass runs, and values are computed
// lazily (so re-resolving to verify a fix only computes what is queried).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kbuild/kernel_env.h"
#include "kbuild/probe_cache.h"
#include "kconfig/conf.h"
#include "kconfig/configuration.h"
#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta {
class FileSystem;
}

namespace kmeta::config {

struct KernelOptions {
  std::string srctree;  // kernel source, absolute
  std::string objtree;  // build directory (O=), absolute; probes run there
  std::string arch;     // ARCH as for make (x86, x86_64, arm64, riscv, ...)
  std::optional<std::string> cross_compile;
  kbuild::HostInfo host;                        // uname facts
  std::map<std::string, std::string> base_env;  // the caller's environment (PATH, HOME, ...)
  kbuild::ProbeMode probe_mode = kbuild::ProbeMode::read_write;
  std::string probe_dir;  // probe cache directory
  // Reuse the parse stored in <probe_dir>/models while all it read is
  // unchanged (kbuild/model_cache.h); never with probe_mode off.
  bool model_cache = true;
  // Where the tree is read (Makefiles, Kconfig files); null = the disk. Must
  // answer from two threads at once when shared (a MemoryFileSystem does).
  FileSystem* files = nullptr;
  // Answers the probes the probe cache cannot; unset = /bin/sh in objtree.
  kbuild::CommandRunner runner;
};

struct KernelTree {
  kbuild::KernelEnv env;
  // Shared: one parse serves every configuration resolved against it (the
  // model is read-only once finalized; `kmeta matrix` resolves many BSPs on it
  // at once).
  std::shared_ptr<const kconfig::Model> model;
  // The model's evaluation tables, built once by load_kernel() and shared by
  // every Configuration resolve_seed() makes (null: each builds its own).
  std::shared_ptr<const kconfig::Configuration::Index> eval_index;
  kconfig::Messages log;  // parser output (warnings), lkc's bytes
  kbuild::ProbeStats probes;
  bool model_reused = false;  // the parse came from the model cache
  // The probe and model caches' warnings (a refused directory or entry, a
  // damaged entry): for the CLI to print.
  std::vector<std::string> cache_warnings;
  std::string srctree, objtree;
  FileSystem* files = nullptr;  // KernelOptions::files: conf reads through it too
};

// Derives the environment, parses the tree's Kconfig. False + an error in *diags when the
// tree cannot be used (no Makefile, unknown ARCH, a fatal parse error: the
// parser's messages are then in out->log).
bool load_kernel(const KernelOptions& options, KernelTree* out, Diagnostics* diags);

// The ConfContext conf would run with for this tree (cwd = objtree, the
// derived environment).
kconfig::ConfContext conf_context(const KernelTree& k);

// Reads `seed` as KCONFIG_ALLCONFIG (named `seed_name` in messages) and runs
// the all*config pass of `mode` (alldefconfig or allnoconfig). Warnings go to
// `log` (or the Configuration's own log when null).
std::unique_ptr<kconfig::Configuration> resolve_seed(const KernelTree& k, std::string_view seed_name,
                                                     std::string_view seed, kconfig::ConfMode mode,
                                                     kconfig::Messages* log = nullptr);

// The .config conf writes for a resolved configuration.
std::string render_dotconfig(kconfig::Configuration& cfg, const KernelTree& k);

}  // namespace kmeta::config
