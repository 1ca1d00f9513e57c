// `kmeta kconfig`: resolve a kernel tree's configuration the way
// `make ARCH=... CROSS_COMPILE=... O=... <mode>` does, without make.
//
//   kmeta kconfig --kernel SRC --arch ARCH [--cross-compile P] [-O BUILD]
//                 [--probe-cache DIR | --no-probe-cache | --replay] <mode>
//
// The environment conf would get is derived from the tree (kernel_env.h), the
// $(shell) probes are answered from the probe cache (probe_cache.h), and the
// evaluator's run_conf does the rest, in BUILD, exactly like conf there.
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "kconfig/kernel_env.h"
#include "kconfig/probe_cache.h"

extern char** environ;

namespace kmeta::cli {

namespace {

namespace kc = kmeta::kconfig;
namespace fs = std::filesystem;

struct KconfigArgs {
  std::string kernel;
  std::string arch;
  std::string cross_compile;
  bool cross_compile_given = false;
  std::string llvm;
  std::string output;
  std::string probe_dir;
  bool no_probe_cache = false;
  bool replay = false;
  bool silent = false;
  bool stats = false;
  std::vector<std::string> make_vars;  // NAME=VALUE
};

std::map<std::string, std::string> process_env() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

std::string env_or(const char* name, const std::string& dflt = {}) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : dflt;
}

// Everything a mode needs: the derived environment and the probe runner.
struct Session {
  kc::KernelEnv env;
  std::unique_ptr<kc::SpawnRunner> spawn;
  std::unique_ptr<kc::ProbeCache> probes;
};

bool open_session(const KconfigArgs& a, Session* s) {
  std::error_code ec;
  fs::path src = fs::weakly_canonical(a.kernel, ec);
  if (a.kernel.empty() || !fs::is_regular_file(src / "Makefile")) {
    fmt::print(stderr, "kmeta kconfig: --kernel '{}' is not a kernel source tree (no Makefile)\n", a.kernel);
    return false;
  }
  fs::path out = a.output.empty() ? fs::current_path() : fs::absolute(a.output);
  fs::create_directories(out, ec);
  if (ec) {
    fmt::print(stderr, "kmeta kconfig: cannot create -O '{}': {}\n", out.string(), ec.message());
    return false;
  }
  out = fs::weakly_canonical(out, ec);

  struct utsname u;
  ::uname(&u);
  kc::KernelEnvOptions o;
  o.srctree = src.string();
  o.objtree = out.string();
  o.arch = a.arch;
  o.host = {u.machine, u.release};
  o.base_env = process_env();
  if (a.cross_compile_given) o.make_vars["CROSS_COMPILE"] = a.cross_compile;
  if (!a.llvm.empty()) o.make_vars["LLVM"] = a.llvm;
  for (const std::string& kv : a.make_vars) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "kmeta kconfig: --set wants NAME=VALUE, got '{}'\n", kv);
      return false;
    }
    o.make_vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }

  kc::ProbeCacheOptions po;
  po.mode = a.no_probe_cache ? kc::ProbeMode::off : a.replay ? kc::ProbeMode::replay : kc::ProbeMode::read_write;
  po.dir = !a.probe_dir.empty() ? a.probe_dir
                                : env_or("KMETA_PROBE_CACHE", kc::default_probe_dir(env_or("XDG_CACHE_HOME"), env_or("HOME")));
  po.cwd = o.objtree;

  // Pass 1 learns which tools the tree will use (no command runs), so that
  // the probe cache can key the Makefile's own `$(CC) --version` by them;
  // pass 2 runs it through the cache.
  std::string err;
  kc::KernelEnv first;
  auto nothing = [](const std::string&, std::string* out2, std::string*) {
    out2->clear();
    return true;
  };
  if (!kc::derive_kernel_env(o, nothing, &first, &err)) {
    fmt::print(stderr, "kmeta kconfig: {}\n", err);
    return false;
  }
  po.env = first.env;
  kc::SpawnRunner pre_spawn(o.base_env, o.objtree);
  kc::ProbeCache pre(po, [&](const std::string& c, std::string* out2, std::string* e) { return pre_spawn.run(c, out2, e); });
  if (!kc::derive_kernel_env(o, pre.runner(), &s->env, &err)) {
    fmt::print(stderr, "kmeta kconfig: {}\n", err);
    return false;
  }
  if (pre.stats().misses && po.mode == kc::ProbeMode::replay) {
    // The Makefile's own version commands were not recorded either.
    fmt::print(stderr, "kmeta kconfig: probe cache miss in replay mode while deriving CC_VERSION_TEXT\n");
    return false;
  }
  s->spawn = std::make_unique<kc::SpawnRunner>(s->env.env, o.objtree);
  po.env = s->env.env;
  kc::SpawnRunner* sp = s->spawn.get();
  s->probes = std::make_unique<kc::ProbeCache>(
      po, [sp](const std::string& c, std::string* out2, std::string* e) { return sp->run(c, out2, e); });
  return true;
}

int run_env(const KconfigArgs& a) {
  Session s;
  if (!open_session(a, &s)) return kExitFailure;
  std::fputs(kc::format_env_sh(s.env).c_str(), stdout);
  return kExitOk;
}

}  // namespace

int cmd_kconfig(const Args& args) {
  CLI::App app{
      "Resolve a kernel tree's configuration the way `make ARCH=... <mode>` does, without make:\n"
      "the environment conf would get is derived from the tree, $(shell) probes come from an\n"
      "on-disk cache, and kmeta's Kconfig engine writes BUILD/.config.",
      "kmeta kconfig"};
  app.set_help_flag("-h,--help", "this help (also after a mode: kmeta kconfig defconfig --help)");
  app.require_subcommand(1);
  app.fallthrough();
  KconfigArgs a;
  app.add_option("--kernel", a.kernel, "kernel source tree (contains Makefile, Kconfig, arch/)")->required();
  app.add_option("--arch", a.arch, "ARCH as for make: x86_64, i386, arm64, arm, riscv, powerpc, mips, ... (default: the host's)");
  app.add_option_function<std::string>(
      "--cross-compile",
      [&](const std::string& v) {
        a.cross_compile = v;
        a.cross_compile_given = true;
      },
      "CROSS_COMPILE prefix, e.g. aarch64-linux-gnu-");
  app.add_option("--llvm", a.llvm, "LLVM= value (1, /path/to/llvm/, -15): use clang and the LLVM binutils");
  app.add_option("-O,--output", a.output, "build directory (O=); conf runs there and writes .config (default: .)");
  app.add_option("--set", a.make_vars, "NAME=VALUE as on make's command line (repeatable), e.g. KCONFIG_CONFIG=my.config");
  auto* cache_dir = app.add_option("--probe-cache", a.probe_dir,
                                   "probe cache directory (default: $KMETA_PROBE_CACHE, $XDG_CACHE_HOME/kmeta/probes or "
                                   "~/.cache/kmeta/probes)");
  auto* no_cache = app.add_flag("--no-probe-cache", a.no_probe_cache, "run every $(shell) probe, store nothing");
  auto* replay = app.add_flag("--replay", a.replay, "execute nothing: every probe must be in the cache (error otherwise)");
  no_cache->excludes(cache_dir)->excludes(replay);
  app.add_flag("-s,--silent", a.silent, "conf -s: no '# configuration written' messages");
  app.add_flag("--probe-stats", a.stats, "print probe cache hits/misses to stderr");

  auto* env = app.add_subcommand("env", "print the environment make would give conf (sh: export/unset lines)");

  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (env->parsed()) return run_env(a);
  return kExitUsage;
}

}  // namespace kmeta::cli
