// kmeta's Kconfig pipeline on a real kernel, split into its stages:
//
//   BM_Parse/<arch>     lex + preprocess + parse + finalize + checks of the whole
//                       tree ($(shell) probes answered by a replay probe cache)
//   BM_CachedLoad/<arch> the same model from the model cache instead: check
//                       every file/variable/probe it read, decode (model_cache.h)
//   BM_Decode/<arch>    decoding alone (model_codec.h)
//   BM_Evaluate/<arch>  read a .config (the arch defconfig's result) and compute
//                       every symbol, as conf_read does
//   BM_Write/<arch>     render .config text (menu walk, values, formatting)
//   BM_DeriveEnv/<arch> the environment make would give conf (cached probes)
//   BM_ProbesWarm/<arch> answering every probe of one parse from a warm cache
//
// Kernel trees come from $KMETA_KERNELS (default ~/.cache/kmeta/kernels),
// version $KMETA_BENCH_KERNEL (default 6.12). The probe cache is recorded once
// into a temporary directory before timing (outside the measured loops).
// Absent trees: every benchmark reports an error and is skipped.
#include <benchmark/benchmark.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "kbuild/kernel_env.h"
#include "kbuild/model_cache.h"
#include "kbuild/probe_cache.h"
#include "kconfig/confdata.h"
#include "kconfig/configuration.h"
#include "kconfig/model_codec.h"
#include "kconfig/parser.h"

extern char** environ;

namespace kc = kmeta::kconfig;
namespace kbuild = kmeta::kbuild;
namespace fs = std::filesystem;

namespace {

std::string env_or(const char* n, std::string d) {
  const char* v = std::getenv(n);
  if (v && *v) return v;
  return d;
}

struct Arch {
  const char* arch;
  const char* cross;
};
const Arch kArches[] = {{"x86_64", ""}, {"arm64", "aarch64-linux-gnu-"}};

// One prepared kernel + arch: environment, recorded probes, a .config.
struct Fixture {
  bool ok = false;
  std::string error;
  std::string srctree, objtree, probes;
  kbuild::KernelEnv env;
  std::unique_ptr<kbuild::SpawnRunner> spawn;
  std::unique_ptr<kbuild::ProbeCache> cache;   // read_write: used to record
  std::unique_ptr<kbuild::ProbeCache> replay;  // replay: used while timing
  std::unique_ptr<kc::Model> model;
  std::string config_text;            // the defconfig result
  std::vector<std::string> commands;  // every $(shell) command of one parse

  kc::ParseOptions parse_options(kc::ShellRunner* shell) const {
    kc::ParseOptions po;
    po.srctree = env.env.at("srctree");
    po.cwd = objtree;
    po.env = env.env;
    po.shell = shell;
    po.dialect = env.dialect;
    return po;
  }
  kc::ConfContext ctx() const {
    kc::ConfContext c;
    c.cwd = objtree;
    c.env.insert(env.env.begin(), env.env.end());
    c.quiet = true;
    return c;
  }
};

Fixture& fixture(int i) {
  static Fixture fx[2];
  static bool done[2] = {false, false};
  Fixture& f = fx[i];
  if (done[i]) return f;
  done[i] = true;
  std::string kernels = env_or("KMETA_KERNELS", env_or("HOME", "/root") + "/.cache/kmeta/kernels");
  f.srctree = kernels + "/linux-" + env_or("KMETA_BENCH_KERNEL", "6.12");
  if (!fs::exists(f.srctree + "/Makefile")) {
    f.error = "kernel tree absent: " + f.srctree;
    return f;
  }
  char tmpl[] = "/tmp/kmeta-bench-XXXXXX";
  f.objtree = ::mkdtemp(tmpl);
  f.probes = f.objtree + "/.probes";

  kbuild::KernelEnvOptions o;
  o.srctree = f.srctree;
  o.objtree = f.objtree;
  o.arch = kArches[i].arch;
  if (*kArches[i].cross &&
      !kbuild::find_program(std::string(kArches[i].cross) + "gcc", env_or("PATH", "")).empty())
    o.make_vars["CROSS_COMPILE"] = kArches[i].cross;
  struct utsname u;
  ::uname(&u);
  o.host = {u.machine, u.release};
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) o.base_env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  kbuild::SpawnRunner pre(o.base_env, f.objtree);
  auto run = [&](const std::string& c, std::string* out, std::string* e) { return pre.run(c, out, e); };
  if (!kbuild::derive_kernel_env(o, run, &f.env, &f.error)) return f;

  kbuild::ProbeCacheOptions po;
  po.dir = f.probes;
  po.env = f.env.env;
  po.cwd = f.objtree;
  f.spawn = std::make_unique<kbuild::SpawnRunner>(f.env.env, f.objtree);
  kbuild::SpawnRunner* sp = f.spawn.get();
  f.cache = std::make_unique<kbuild::ProbeCache>(
      po, [sp](const std::string& c, std::string* out, std::string* e) { return sp->run(c, out, e); });
  po.mode = kbuild::ProbeMode::replay;
  f.replay = std::make_unique<kbuild::ProbeCache>(po, nullptr);

  // Record the probes, resolve the defconfig once: the input of Evaluate/Write.
  struct Recorder : kc::ShellRunner {
    kc::ShellRunner* inner;
    std::vector<std::string>* seen;
    bool run(const std::string& c, std::string* o, std::string* e) override {
      seen->push_back(c);
      return inner->run(c, o, e);
    }
  } rec;
  rec.inner = f.cache.get();
  rec.seen = &f.commands;
  kc::Messages log;
  f.model = kc::parse_kconfig(f.env.kconfig, f.parse_options(&rec), log);
  if (!f.model) {
    f.error = "parse failed: " + log.text(kc::Stream::err).substr(0, 300);
    return f;
  }
  kc::Messages clog;
  kc::Configuration cfg(*f.model, &clog);
  kc::ReadState rs;
  std::string defconfig = f.env.defconfig_path();
  kc::read_config(cfg, f.ctx(), &defconfig, rs);
  f.config_text = kc::render_config(cfg, f.ctx());
  std::ofstream(f.objtree + "/.config") << f.config_text;
  f.ok = true;
  return f;
}

#define FIXTURE_OR_SKIP(state)                              \
  Fixture& f = fixture(static_cast<int>((state).range(0))); \
  if (!f.ok) {                                              \
    (state).SkipWithError(f.error.c_str());                 \
    return;                                                 \
  }                                                         \
  (state).SetLabel(kArches[(state).range(0)].arch)

void BM_Parse(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  for (auto _ : state) {
    kc::Messages log;
    auto m = kc::parse_kconfig(f.env.kconfig, f.parse_options(f.replay.get()), log);
    if (!m) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(m);
  }
  state.counters["symbols"] = static_cast<double>(f.model->symbol_count());
  state.counters["files"] = static_cast<double>(f.model->files.size());
}

void BM_CachedLoad(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  kbuild::ModelCacheOptions mc;
  mc.dir = f.replay->options().dir + "/models";
  kc::Messages first;
  kbuild::parse_kconfig_cached(f.env.kconfig, f.parse_options(f.replay.get()), mc, first);  // fills the slot
  for (auto _ : state) {
    kc::Messages log;
    kbuild::ModelCacheResult r;
    auto m = kbuild::parse_kconfig_cached(f.env.kconfig, f.parse_options(f.replay.get()), mc, log, &r);
    if (!m || !r.hit) state.SkipWithError(("model cache miss: " + r.miss).c_str());
    benchmark::DoNotOptimize(m);
  }
}

void BM_Decode(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  std::string bytes = kc::encode_model(*f.model);
  for (auto _ : state) {
    std::string err;
    auto m = kc::decode_model(bytes, &err);
    if (!m) state.SkipWithError(err.c_str());
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void BM_Evaluate(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  std::string name = f.objtree + "/.config";
  for (auto _ : state) {
    kc::Messages log;
    kc::Configuration cfg(*f.model, &log);
    kc::ReadState rs;
    kc::read_config(cfg, f.ctx(), &name, rs);
    benchmark::DoNotOptimize(cfg.changed());
  }
}

void BM_Write(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  std::string name = f.objtree + "/.config";
  kc::Messages log;
  kc::Configuration cfg(*f.model, &log);
  kc::ReadState rs;
  kc::read_config(cfg, f.ctx(), &name, rs);
  for (auto _ : state) {
    std::string text = kc::render_config(cfg, f.ctx());
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.config_text.size()));
}

void BM_DeriveEnv(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  kbuild::KernelEnvOptions o;
  o.srctree = f.srctree;
  o.objtree = f.objtree;
  o.arch = kArches[state.range(0)].arch;
  o.host = {"x86_64", "bench"};
  o.base_env = {{"PATH", env_or("PATH", "/usr/bin:/bin")}};
  for (auto _ : state) {
    kbuild::KernelEnv e;
    std::string err;
    kbuild::derive_kernel_env(o, f.cache->runner(), &e, &err);
    benchmark::DoNotOptimize(e);
  }
}

void BM_ProbesWarm(benchmark::State& state) {
  FIXTURE_OR_SKIP(state);
  for (auto _ : state) {
    // A fresh cache object per run, as in a new process (no memoised stats).
    kbuild::ProbeCacheOptions po = f.replay->options();
    kbuild::ProbeCache c(po, nullptr);
    std::string out, err;
    for (const auto& cmd : f.commands)
      if (!c.run(cmd, &out, &err)) state.SkipWithError(err.c_str());
  }
  state.counters["probes"] = static_cast<double>(f.commands.size());
}

BENCHMARK(BM_Parse)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CachedLoad)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decode)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Evaluate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Write)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DeriveEnv)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ProbesWarm)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
