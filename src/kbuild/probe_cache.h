// An on-disk cache for the $(shell,...) probes of a Kconfig tree.
//
// Parsing a kernel's Kconfig runs a few hundred shell commands through
// scripts/Kconfig.include (cc-option, as-instr, ld-option, the version
// scripts, rust_is_available.sh): that is most of conf's wall time. Their
// output depends only on the command text, the tools it runs and a little of
// the environment, so kmeta answers them from a cache:
//
//   key   = hash of: format version, the exact command text, the environment
//           values probes read (PATH, locale, CC/LD/RUSTC/... as exported,
//           LIBRARY_PATH and the other variables gcc reads), and the
//           identity (path, size, mtime) of every program the command names:
//           tool words from the environment ($CC, $LD, ... resolved through
//           PATH; for a gcc driver also the binutils it runs) and every
//           existing file named by a path (the kernel's scripts/*-version.sh).
//           For a compiler (a word ending in gcc, cc or clang) also what a
//           link reads: the identity of the crt/libc/libgcc files in each of
//           its library search directories, present or absent (the list is
//           `$CC -print-search-dirs`, itself cached under the compiler's
//           identity). Upgrading a compiler or installing a libc for it
//           (libc6-dev-arm64-cross) changes the key.
//   entry = <dir>/<2 hex>/<30 hex>: a header with the CRC-32 of the rest,
//           the key material (verified on read, so a hash collision is a
//           miss, never a wrong answer) and the raw stdout. Written to a
//           temporary file and renamed: concurrent kmeta processes sharing a
//           cache never see half an entry.
//
// Trust: the directory must be the user's own and private (base/private_dir.h;
// created 0700), else the cache is not used at all (warnings()); an entry
// that is not a regular file, not the user's, writable by others, too large
// or damaged (checksum) is a miss with a warning, probed again and rewritten.
//
// Modes: read_write (hit: answer; miss: run, store), replay (hit: answer;
// miss: fail naming the command: nothing is ever executed), off (always
// run). The default directory is $XDG_CACHE_HOME/kmeta/probes, else
// $HOME/.cache/kmeta/probes, else the passwd home's (default_probe_dir; the
// CLI supplies the values), and none at all without any of them.
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

#include "kbuild/kernel_env.h"
#include "kconfig/shell_runner.h"

namespace kmeta::kbuild {

// Runs `/bin/sh -c command` with exactly `env` as its environment and `cwd`
// as its working directory (empty = inherit), returning the raw stdout.
// stderr is inherited. The exit status is ignored, as lkc ignores it.
class SpawnRunner {
 public:
  SpawnRunner(const std::map<std::string, std::string>& env, std::string cwd);
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
  size_t misses = 0;  // not in the cache (executed, or failed in replay)
  size_t stored = 0;
  size_t store_errors = 0;  // could not write an entry (the probe still answers)
  size_t rejected = 0;      // entries ignored: damaged, not a regular file, not the user's
};

class ProbeCache : public kconfig::ShellRunner {
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
  // What the caller should print ("kmeta: warning: " + each): an untrusted
  // directory (then nothing is read or stored), damaged or foreign entries.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // False when the directory was refused (see warnings()).
  bool trusted() const { return trusted_; }
  const ProbeCacheOptions& options() const { return opt_; }

  // As a CommandRunner (for derive_kernel_env and for lkc's ShellRunner).
  CommandRunner runner() {
    return [this](const std::string& c, std::string* o, std::string* e) { return run(c, o, e); };
  }

 private:
  std::string identity_of_word(const std::string& word);  // memoised
  std::string program_identity(const std::string& word);  // without the sysroot part
  std::string sysroot_identity(const std::string& word);  // what a link by `word` reads
  std::string identity_of_path(const std::string& path);  // memoised
  // The cached answer for `material`, else runs `command` (mode permitting).
  // `count`: in stats() (the probes of the Kconfig files, not the cache's
  // own questions such as a compiler's search directories).
  bool answer(const std::string& material, const std::string& command, std::string* output,
              std::string* error, bool count = true);
  void warn(std::string text);

  ProbeCacheOptions opt_;
  CommandRunner execute_;
  ProbeStats stats_;
  std::string env_fingerprint_;          // computed once
  std::vector<std::string> tool_words_;  // basenames/paths worth resolving
  std::unordered_map<std::string, std::string> ident_cache_;
  std::vector<std::string> warnings_;
  bool trusted_ = true;
  bool dir_made_ = false;
};

// $XDG_CACHE_HOME/kmeta/probes, else $HOME/.cache/kmeta/probes, else
// <passwd home>/.cache/kmeta/probes, given those values (any may be empty;
// only absolute ones count). "" when none is usable: never a shared
// directory such as /tmp.
std::string default_probe_dir(const std::string& xdg_cache_home, const std::string& home,
                              const std::string& passwd_home = {});

// 128-bit hex digest used for entry names (XXH3-128, base/checksum.h;
// collisions are caught by the stored key material).
std::string probe_digest(const std::string& data);

}  // namespace kmeta::kbuild
