// Phases of `kmeta config` on the reference BSP (qemux86-64 standard, Linux
// 6.12, yocto-6.12 cache), one benchmark each, warm caches:
//
//   BM_BspQueue   spp --find + scc compile + reading the fragments
//   BM_Merge      merge_config.sh's seed from 102 fragments
//   BM_Classify   symbol_why.py's hardware/non-hardware classification
//   BM_Parse      the kernel's Kconfig (environment, probes from the cache)
//   BM_Resolve    seed -> Configuration -> .config text
//   BM_Audit      findings (no fixes), and BM_AuditFixes with verified fixes
//
// Needs the kernel tree ($KMETA_KERNELS or ~/.cache/kmeta/kernels/linux-6.12)
// and ../shared; a missing input makes the benchmark report an error.
#include <benchmark/benchmark.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/file_system.h"
#include "base/file_util.h"
#include "config/audit.h"
#include "config/bsp.h"
#include "config/classify.h"
#include "config/dotconfig.h"
#include "config/merge.h"
#include "config/resolve.h"

extern char** environ;

namespace {

using namespace kmeta;
using namespace kmeta::config;

std::string env_or(const char* n, std::string d) {
  const char* v = std::getenv(n);
  if (v && *v) return v;
  return d;
}

std::string kernel() {
  return env_or("KMETA_KERNELS", env_or("HOME", "/root") + "/.cache/kmeta/kernels") + "/linux-6.12";
}
std::string shared() {
  return env_or(
      "KMETA_SHARED",
      (std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "shared").string());
}

BspRequest bsp_request() {
  BspRequest b;
  b.caches = {shared() + "/data/yocto-kernel-cache/yocto-6.12"};
  b.kernel = kernel();
  b.arch = "x86";
  b.machine = "qemux86-64";
  b.ktype = "standard";
  b.features = {"features/netfilter/netfilter.scc",
                "cfg/virtio.scc",
                "features/drm-bochs/drm-bochs.scc",
                "cfg/net/mdio.scc",
                "cfg/sound.scc",
                "cfg/paravirt_kvm.scc"};
  return b;
}

KernelOptions kernel_options() {
  KernelOptions o;
  o.srctree = kernel();
  o.objtree = std::filesystem::temp_directory_path() / "kmeta-bench";
  std::filesystem::create_directories(o.objtree);
  o.arch = "x86";
  struct utsname u;
  ::uname(&u);
  o.host = {u.machine, u.release};
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) o.base_env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  o.probe_dir = env_or("KMETA_PROBE_CACHE", env_or("HOME", "/root") + "/.cache/kmeta/probes");
  return o;
}

struct Inputs {
  BspResult bsp;
  MergeResult merge;
  KernelTree kernel;
  bool ok = false;
  Diagnostics error;
  Inputs() {
    if (!build_queue(bsp_request(), &bsp, &error)) return;
    merge = merge_fragments(bsp.queue);
    ok = load_kernel(kernel_options(), &kernel, &error);
  }
};

Inputs& inputs() {
  static Inputs in;
  return in;
}

#define NEED_INPUTS(state)                                  \
  if (!inputs().ok) {                                       \
    (state).SkipWithError(inputs().error.render().c_str()); \
    return;                                                 \
  }

void BM_BspQueue(benchmark::State& state) {
  for (auto _ : state) {
    BspResult r;
    Diagnostics err;
    if (!build_queue(bsp_request(), &r, &err)) {
      state.SkipWithError(err.render().c_str());
      return;
    }
    benchmark::DoNotOptimize(r.queue.size());
  }
}
BENCHMARK(BM_BspQueue)->Unit(benchmark::kMillisecond);

void BM_Merge(benchmark::State& state) {
  NEED_INPUTS(state);
  for (auto _ : state) benchmark::DoNotOptimize(merge_fragments(inputs().bsp.queue).seed.size());
}
BENCHMARK(BM_Merge)->Unit(benchmark::kMillisecond);

void BM_Classify(benchmark::State& state) {
  NEED_INPUTS(state);
  DiskFileSystem disk;
  for (auto _ : state) benchmark::DoNotOptimize(classify(inputs().bsp.queue, kernel(), disk).hardware.size());
}
BENCHMARK(BM_Classify)->Unit(benchmark::kMillisecond);

void BM_Parse(benchmark::State& state) {
  KernelOptions o = kernel_options();
  for (auto _ : state) {
    KernelTree k;
    Diagnostics err;
    if (!load_kernel(o, &k, &err)) {
      state.SkipWithError(err.render().c_str());
      return;
    }
  }
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

void BM_Resolve(benchmark::State& state) {
  NEED_INPUTS(state);
  for (auto _ : state) {
    auto cfg = resolve_seed(inputs().kernel, "seed", inputs().merge.seed, kconfig::ConfMode::alldefconfig);
    benchmark::DoNotOptimize(render_dotconfig(*cfg, inputs().kernel).size());
  }
}
BENCHMARK(BM_Resolve)->Unit(benchmark::kMillisecond);

void audit_bench(benchmark::State& state, bool fixes) {
  NEED_INPUTS(state);
  Inputs& in = inputs();
  DiskFileSystem disk;
  Classification classes = classify(in.bsp.queue, kernel(), disk);
  for (auto _ : state) {
    auto cfg = resolve_seed(in.kernel, "seed", in.merge.seed, kconfig::ConfMode::alldefconfig);
    DotConfig dot = DotConfig::parse(render_dotconfig(*cfg, in.kernel));
    TreeSymbols tree(kernel(), std::make_shared<DiskFileSystem>());
    AuditContext ctx{*in.kernel.model,
                     *cfg,
                     in.bsp.queue,
                     in.merge,
                     classes,
                     dot,
                     "x86",
                     [&](const std::string& seed) {
                       return resolve_seed(in.kernel, "seed", seed, kconfig::ConfMode::alldefconfig);
                     },
                     &tree};
    AuditOptions opt;
    opt.fixes = fixes;
    benchmark::DoNotOptimize(audit(ctx, opt).findings.size());
  }
}
void BM_Audit(benchmark::State& state) { audit_bench(state, false); }
void BM_AuditFixes(benchmark::State& state) { audit_bench(state, true); }
BENCHMARK(BM_Audit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AuditFixes)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
