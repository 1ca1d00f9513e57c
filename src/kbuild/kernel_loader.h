// The kernel loader: one kernel tree, for one ARCH and toolchain, made ready
// for Kconfig, the way `make ARCH=... CROSS_COMPILE=... O=... <config target>`
// gets conf going. Every command that reads a kernel tree's Kconfig goes
// through here (`kmeta kconfig`, and `kmeta config`/`why`/`audit`/`uprev`/
// `matrix` through config::load_kernel):
//
//   1. conf's environment is derived from the tree (kernel_env.h), twice: a
//      first pass runs nothing and learns which tools the tree uses, so the
//      probe cache can key the Makefile's own commands (`$(CC) --version`,
//      `$(RUSTC) --version`, the `$(NM)` check) by them; the second pass runs
//      those commands through the probe cache;
//   2. the probe cache (probe_cache.h) answers the Kconfig files' $(shell,...)
//      probes, run like lkc runs them: cwd = objtree, conf's environment;
//   3. the parsed-model cache (model_cache.h, <probe dir>/models) reuses an
//      earlier parse while everything it read is unchanged;
//   4. the Kconfig file is parsed with the dialect of the tree (dialect.h) and
//      lkc's $srctree as the Makefile exports it.
//
// The policy when a probe fails (the same in every command):
//   * A command that ran answers with what it printed, whatever its exit
//     status, as make's $(shell) and lkc's $(shell,...) do. A missing compiler
//     therefore gives an empty CC_VERSION_TEXT and loading goes on: the tree's
//     own Kconfig decides, and the kernel's scripts/Kconfig.include stops the
//     parse with lkc's located "C compiler '<CC>' not found", exactly as
//     `make defconfig` does with that CC.
//   * A probe that cannot be answered at all (a replay-mode miss, /bin/sh not
//     spawned) is an error: nothing says what make would have seen, and going
//     on with an empty answer would write a different .config without a word.
//     For the Makefile's commands open() fails with the probe's message; for a
//     Kconfig $(shell,...) the parse fails with it, located (lkc exits on a
//     popen failure).
//
// Library code: the caller passes its environment and host facts; nothing is
// printed (warnings() and the Messages are for the caller to show).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "kbuild/kernel_env.h"
#include "kbuild/model_cache.h"
#include "kbuild/probe_cache.h"
#include "kconfig/conf.h"
#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kbuild {

struct KernelLoadOptions {
  // srctree/objtree (absolute), arch, make's command-line variables
  // (CROSS_COMPILE, LLVM, ...), the host facts and the caller's environment.
  KernelEnvOptions env;
  ProbeMode probe_mode = ProbeMode::read_write;
  std::string probe_dir;  // probe cache directory; "" = none (every probe runs)
  // Reuse the parse stored in <probe_dir>/models; never with probe_mode off
  // or without a probe_dir.
  bool model_cache = true;
  // Runs a probe the cache cannot answer; unset = /bin/sh in objtree
  // (SpawnRunner). Tests answer probes with it without a shell.
  CommandRunner runner;
};

// An opened kernel: the environment derived, the probe cache ready. Parses
// on demand: `kmeta kconfig` hands loader() to run_conf, which parses the
// Kconfig file named on conf's command line. Neither copyable nor movable
// (the probe cache refers to the runner beside it).
class KernelSession {
 public:
  KernelSession();
  ~KernelSession();
  KernelSession(const KernelSession&) = delete;
  KernelSession& operator=(const KernelSession&) = delete;

  // Step 1 and the caches. False + an error in *diags: not a kernel tree (no Makefile,
  // Kconfig or version), an unknown ARCH, or one of the Makefile's own
  // commands could not be answered (see the policy above). warnings() may
  // hold cache warnings either way.
  bool open(const KernelLoadOptions& options, Diagnostics* diags);

  // For `kmeta conf`, the drop-in for the kernel's conf: make has exported
  // conf's environment already, so it is taken as given (`env`, conf's cwd
  // `objtree`) instead of derived; the probe and model caches are as open()
  // makes them. `dialect`: forced (KMETA_KCONFIG_DIALECT), else the rule of
  // dialect.h at parse time. Of env(), only env, srctree (its "srctree"
  // variable, else "") and objtree are set.
  void open_exported(std::map<std::string, std::string> env, std::string objtree,
                     std::optional<kconfig::Dialect> dialect, ProbeMode probe_mode, std::string probe_dir,
                     bool model_cache);

  const KernelEnv& env() const { return env_; }

  // Parses `file` (conf's argument: env().kconfig) through the probe and
  // model caches. nullptr when lkc's conf_parse would exit 1 (the reasons
  // are in `log`).
  std::unique_ptr<kconfig::Model> parse(const std::string& file, kconfig::Messages& log);
  // parse() as run_conf's ModelLoader (refers to this session).
  kconfig::ModelLoader loader();

  // Probes of the environment derivation and of every parse so far.
  ProbeStats probe_stats() const;
  size_t spawned() const;  // commands actually executed
  const std::string& probe_dir() const { return probe_dir_; }
  const std::string& model_dir() const { return models_.dir; }            // "" = no model cache
  const ModelCacheResult& model_result() const { return model_result_; }  // the last parse's
  // The caches' warnings so far (a refused directory or entry, a damaged
  // entry), each once, in the order they arose.
  std::vector<std::string> warnings() const;

 private:
  void keep_warnings(const std::vector<std::string>& ws);
  void open_caches(ProbeMode mode, const std::string& probe_dir, bool model_cache);

  KernelEnv env_;
  std::optional<kconfig::Dialect> dialect_;  // unset: from $srctree/Makefile at parse time
  std::string probe_dir_;
  std::unique_ptr<SpawnRunner> env_spawn_, spawn_;
  CommandRunner runner_;         // KernelLoadOptions::runner
  FileSystem* files_ = nullptr;  // KernelEnvOptions::files: where the Kconfig files are read
  std::unique_ptr<ProbeCache> env_probes_, probes_;
  ModelCacheOptions models_;  // dir "" = no model cache
  ModelCacheResult model_result_;
  std::vector<std::string> warnings_;
};

// A loaded kernel: the session's result for env().kconfig.
struct LoadedKernel {
  KernelEnv env;
  std::unique_ptr<kconfig::Model> model;  // null when loading failed
  kconfig::Messages log;                  // the parser's messages (lkc's bytes)
  ProbeStats probes;
  bool model_reused = false;  // the parse came from the model cache
  std::vector<std::string> cache_warnings;
};

// open() + parse(env.kconfig). False + an error in *diags when the tree cannot be used;
// a parse error leaves the parser's messages in out->log.
bool load_kernel(const KernelLoadOptions& options, LoadedKernel* out, Diagnostics* diags);

}  // namespace kmeta::kbuild
