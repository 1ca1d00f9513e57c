// An on-disk cache for the $(shell,...) probes of a Kconfig tree.
//
// Parsing a kernel's Kconfig runs a few hundred shell commands through
// scripts/Kconfig.include (cc-option, as-instr, ld-option, the version
// scripts, rust_is_available.sh): that is most of conf's wall time. Their
// output depends only on the command text, the tools it runs and a little of
// the environment, so kmeta answers them from a cache:
//
//   key   = hash of: format version, the exact command text, the environment
//           values probes read (PATH, locale, CC/LD/RUSTC/... as exported),
//           and the identity (path, size, mtime) of every program the command
//           names: tool words from the environment ($CC, $LD, ... resolved
//           through PATH; for a gcc driver also the binutils it runs) and
//           every existing file named by a path (the kernel's
//           scripts/*-version.sh). Upgrading a compiler changes the key.
//   entry = <dir>/<2 hex>/<30 hex>: the key material (verified on read, so a
//           hash collision is a miss, never a wrong answer) and the raw
//           stdout. Written to a temporary file and renamed: concurrent
//           kmeta processes sharing a cache never see half an entry.
//
// Modes: read_write (hit: answer; miss: run, store), replay (hit: answer;
// miss: fail naming the command: nothing is ever executed), off (always
// run). The default directory is $XDG_CACHE_HOME/kmeta/probes or
// ~/.cache/kmeta/probes (default_probe_dir; the CLI supplies the variables).
//
// lkc runs probes with cwd = objtree (cc-option creates .tmp_$$ there); the
// runner below does the same, with an explicit environment, so the library
// never changes the process's cwd or environment.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kconfig/kernel_env.h"
#include "kconfig/shell_runner.h"

namespace kmeta::kconfig {

// Runs `/bin/sh -c command` with exactly `env` as its environment and `cwd`
// as its working directory (empty = inherit), returning the raw stdout.
// stderr is inherited. The exit status is ignored, as lkc ignores it.
class SpawnRunner {
 public:
  SpawnRunner(std::map<std::string, std::string> env, std::string cwd);
  bool run(const std::string& command, std::string* output, std::string* error);
  size_t spawned() const { return spawned_; }

 private:
  std::vector<std::string> envp_storage_;
  std::string cwd_;
  size_t spawned_ = 0;
};

enum class ProbeMode { read_write, replay, off };

struct ProbeCacheOptions {
  std::string dir;  // cache directory (created on first store)
  ProbeMode mode = ProbeMode::read_write;
  // The environment probes run with: source of PATH, of the tool words
  // ($CC, $LD, ...) and of the keyed variables.
  std::map<std::string, std::string> env;
  // Where probes run (objtree); relative paths in commands resolve here.
  std::string cwd;
};

struct ProbeStats {
  size_t hits = 0;
  size_t misses = 0;        // not in the cache (executed, or failed in replay)
  size_t stored = 0;
  size_t store_errors = 0;  // could not write an entry (the probe still answers)
};

class ProbeCache : public ShellRunner {
 public:
  // `execute` runs a command on a miss; ignored in replay mode.
  ProbeCache(ProbeCacheOptions options, CommandRunner execute);

  // The ShellRunner contract: raw stdout of `sh -c command`; false + error
  // on failure (a miss in replay mode).
  bool run(const std::string& command, std::string* output, std::string* error) override;

  // The key material of a command (what is hashed), and its entry path.
  std::string key_material(const std::string& command);
  std::string entry_path(const std::string& command);

  const ProbeStats& stats() const { return stats_; }
  const ProbeCacheOptions& options() const { return opt_; }

  // As a CommandRunner (for derive_kernel_env and for lkc's ShellRunner).
  CommandRunner runner() {
    return [this](const std::string& c, std::string* o, std::string* e) { return run(c, o, e); };
  }

 private:
  std::string identity_of_word(const std::string& word);  // memoised
  std::string identity_of_path(const std::string& path);  // memoised

  ProbeCacheOptions opt_;
  CommandRunner execute_;
  ProbeStats stats_;
  std::string env_fingerprint_;           // computed once
  std::vector<std::string> tool_words_;   // basenames/paths worth resolving
  std::unordered_map<std::string, std::string> ident_cache_;
};

// $XDG_CACHE_HOME/kmeta/probes, else $HOME/.cache/kmeta/probes, given those
// two values (either may be empty).
std::string default_probe_dir(const std::string& xdg_cache_home, const std::string& home);

// 128-bit hex digest used for entry names (two independent 64-bit FNV-1a
// lanes; collisions are caught by the stored key material).
std::string probe_digest(const std::string& data);

}  // namespace kmeta::kconfig
