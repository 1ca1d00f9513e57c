// Benchmark of the scc compiler over every BSP of the real caches.
//
// First a table: for each cache, every BSP entry point (a bsp/**.scc with
// `define KMACHINE` and `define KTYPE` lines) is compiled as Yocto's config
// pass does (all commands, -I<cache>), 7 times from cold (a new Compiler and a
// new DiskFileSystem each time, so every file is read and parsed again; the
// OS page cache is warm); the per-BSP median is kept, and the distribution
// (median, p90, max) and the total are printed. "compile" is parse + search +
// evaluation into a Series; "+plan" adds the output plan (reading every
// fragment and patch that would be copied, queues, fixups), i.e. everything
// but the writes.
//
// Then Google Benchmark cases for the same work, plus spp --find.
//
// Caches: KMETA_SCC_BENCH_CACHES (colon-separated dirs), default
// <source>/../shared/data/yocto-kernel-cache/{yocto-6.1,yocto-6.12}.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "scc/compiler.h"
#include "scc/find.h"
#include "scc/writer.h"

namespace {

using namespace kmeta::scc;
namespace stdfs = std::filesystem;

struct Cache {
  std::string name, root;
  std::vector<std::string> bsps;
};

std::vector<Cache> g_caches;

bool has_define(const std::string& text, const char* var) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t e = text.find('\n', pos);
    if (e == std::string::npos) e = text.size();
    std::string_view l(text.data() + pos, e - pos);
    size_t i = l.find_first_not_of(" \t");
    if (i != std::string_view::npos && l.substr(i, 7) == "define ") {
      std::string_view rest = l.substr(i + 7);
      rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
      if (rest.substr(0, std::strlen(var)) == var) return true;
    }
    pos = e + 1;
  }
  return false;
}

void load_caches() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("KMETA_SCC_BENCH_CACHES"); env && *env) {
    std::string s = env;
    size_t b = 0;
    while (b <= s.size()) {
      size_t e = s.find(':', b);
      if (e == std::string::npos) e = s.size();
      if (e > b) dirs.push_back(s.substr(b, e - b));
      b = e + 1;
    }
  } else {
    stdfs::path src = stdfs::path(__FILE__).parent_path().parent_path();
    for (const char* c : {"yocto-6.1", "yocto-6.12"})
      dirs.push_back((src / ".." / "shared" / "data" / "yocto-kernel-cache" / c).lexically_normal().string());
  }
  DiskFileSystem fs;
  for (const auto& d : dirs) {
    if (!stdfs::is_directory(d)) continue;
    Cache c{stdfs::path(d).filename().string(), stdfs::canonical(d).string(), {}};
    for (auto& e : stdfs::recursive_directory_iterator(c.root + "/bsp")) {
      if (!e.is_regular_file() || e.path().extension() != ".scc") continue;
      auto text = fs.read(e.path().string());
      if (text && has_define(*text, "KMACHINE") && has_define(*text, "KTYPE"))
        c.bsps.push_back(e.path().string());
    }
    std::sort(c.bsps.begin(), c.bsps.end());
    g_caches.push_back(std::move(c));
  }
}

// One config pass of one BSP, cold. Returns false on failure.
bool compile_one(const Cache& c, const std::string& bsp, bool plan) {
  DiskFileSystem fs;
  Compiler comp(fs);
  CompileOptions o;
  o.cwd = "/tmp";
  o.include_args = {c.root};
  CompileResult r = comp.compile({bsp}, o);
  if (!r.ok()) return false;
  if (plan) {
    OutputOptions oo;
    oo.outdir = "/tmp/.kernel-meta";
    oo.artifacts = Artifacts::parse("x:cfg,merge,meta");
    OutputPlan p;
    kmeta::Diagnostics d;
    if (!plan_output(r.series, oo, fs, &p, d)) return false;
    benchmark::DoNotOptimize(p.files.size());
  }
  benchmark::DoNotOptimize(r.series.actions.size());
  return true;
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

void print_table() {
  std::printf("scc compile, config pass, per BSP (median of 7 cold runs each):\n");
  std::printf("%-12s %5s | %-28s | %-28s\n", "cache", "BSPs", "compile ms: median p90 max",
              "+plan ms: median p90 max");
  for (const Cache& c : g_caches) {
    std::vector<double> comp, plan;
    double total_c = 0, total_p = 0;
    for (const auto& b : c.bsps) {
      std::vector<double> tc, tp;
      for (int i = 0; i < 7; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        if (!compile_one(c, b, false)) std::fprintf(stderr, "compile failed: %s\n", b.c_str());
        tc.push_back(ms_since(t0));
        t0 = std::chrono::steady_clock::now();
        compile_one(c, b, true);
        tp.push_back(ms_since(t0));
      }
      std::sort(tc.begin(), tc.end());
      std::sort(tp.begin(), tp.end());
      comp.push_back(tc[3]);
      plan.push_back(tp[3]);
      total_c += tc[3];
      total_p += tp[3];
    }
    if (comp.empty()) continue;
    auto stats = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return std::array<double, 3>{v[v.size() / 2], v[(v.size() * 9) / 10], v.back()};
    };
    auto sc = stats(comp), sp = stats(plan);
    std::printf("%-12s %5zu | %8.2f %8.2f %8.2f   | %8.2f %8.2f %8.2f\n", c.name.c_str(), c.bsps.size(),
                sc[0], sc[1], sc[2], sp[0], sp[1], sp[2]);
    std::printf("%-12s %5s | total %8.1f ms              | total %8.1f ms\n", "", "", total_c, total_p);
  }
  std::printf("\n");
}

void BM_CompileAllBsps(benchmark::State& st, const Cache* c, bool plan) {
  size_t n = 0;
  for (auto _ : st) {
    for (const auto& b : c->bsps) compile_one(*c, b, plan);
    n += c->bsps.size();
  }
  st.SetItemsProcessed(static_cast<int64_t>(n));  // items/s = BSPs compiled per second
  st.counters["bsps"] = static_cast<double>(c->bsps.size());
}

// One Compiler (and file cache) shared by all BSPs of the cache: each file parsed once.
void BM_CompileAllBspsSharedCache(benchmark::State& st, const Cache* c) {
  for (auto _ : st) {
    DiskFileSystem fs;
    Compiler comp(fs);
    CompileOptions o;
    o.cwd = "/tmp";
    o.include_args = {c->root};
    for (const auto& b : c->bsps) benchmark::DoNotOptimize(comp.compile({b}, o).series.actions.size());
  }
  st.counters["bsps"] = static_cast<double>(c->bsps.size());
}

void BM_FindBsp(benchmark::State& st, const Cache* c) {
  for (auto _ : st) {
    DiskFileSystem fs;
    FindOptions o;
    o.cwd = "/tmp";
    o.include_args = {c->root};
    o.kmachine = "qemux86-64";
    o.ktype = "standard";
    benchmark::DoNotOptimize(find_bsp(fs, o).found);
  }
}

}  // namespace

int main(int argc, char** argv) {
  load_caches();
  if (g_caches.empty()) {
    std::printf("bench_scc: no caches found (set KMETA_SCC_BENCH_CACHES)\n");
    return 0;
  }
  bool table = true;
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--no_table") table = false;
  if (table) print_table();
  for (const Cache& c : g_caches) {
    benchmark::RegisterBenchmark(("compile_all_bsps/" + c.name).c_str(), BM_CompileAllBsps, &c, false)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("compile_and_plan_all_bsps/" + c.name).c_str(), BM_CompileAllBsps, &c, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("compile_all_bsps_shared_parse_cache/" + c.name).c_str(),
                                 BM_CompileAllBspsSharedCache, &c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("spp_find/" + c.name).c_str(), BM_FindBsp, &c)
        ->Unit(benchmark::kMillisecond);
  }
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) != "--no_table") args.push_back(argv[i]);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
