#include "matrix/matrix.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "base/file_util.h"
#include "config/build_dir.h"
#include "config/pipeline.h"
#include "config/report.h"
#include "scc/fs.h"

namespace kmeta::matrix {

namespace {

namespace fs = std::filesystem;
namespace kc = kmeta::kconfig;

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// One DiskFileSystem (and its caches) for every worker.
class LockedFileSystem : public scc::FileSystem {
 public:
  scc::FileType type(const std::string& p) override {
    std::lock_guard<std::mutex> l(mu_);
    return disk_.type(p);
  }
  using scc::FileSystem::read_result;
  ReadResult read_result(const std::string& p, const FileReadOptions& o) override {
    std::lock_guard<std::mutex> l(mu_);
    return disk_.read_result(p, o);
  }
  std::optional<std::string> canonical(const std::string& p) override {
    std::lock_guard<std::mutex> l(mu_);
    return disk_.canonical(p);
  }
  std::vector<scc::DirEntry> list(const std::string& d) override {
    std::lock_guard<std::mutex> l(mu_);
    return disk_.list(d);
  }
  std::string why_unreadable(const std::string& p) override {
    std::lock_guard<std::mutex> l(mu_);
    return disk_.why_unreadable(p);
  }

 private:
  std::mutex mu_;
  scc::DiskFileSystem disk_;
};

// A row's error as the report shows it: each error's "file:line: message"
// (or the message alone), one a line.
std::string error_text(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds.items()) {
    if (d.severity != Severity::error) continue;
    if (!out.empty()) out += '\n';
    out += d.where.valid() ? d.where.str() + ": " + d.message : d.message;
  }
  return out;
}

struct LoadedKernel {
  config::KernelTree tree;
  bool ok = false;
  std::string error;
  size_t row = 0;  // index in MatrixResult::kernels
};

// Kernels by toolchain, loaded once by the first BSP that needs one.
class KernelPool {
 public:
  KernelPool(const MatrixRequest& req, MatrixResult* out) : req_(req), out_(out) {}

  std::shared_ptr<const LoadedKernel> get(const Toolchain& t) {
    std::promise<std::shared_ptr<const LoadedKernel>> p;
    std::shared_future<std::shared_ptr<const LoadedKernel>> f;
    bool mine = false;
    size_t row = 0;
    {
      std::lock_guard<std::mutex> l(mu_);
      auto it = pool_.find(t.key());
      if (it == pool_.end()) {
        f = p.get_future().share();
        pool_.emplace(t.key(), f);
        mine = true;
        row = out_->kernels.size();
        KernelRow kr;
        kr.toolchain = t;
        kr.objtree =
            fmt::format("{}/.kernels/{}-{}", req_.output, t.arch,
                        t.cross_compile.empty() ? std::string("host")
                                                : t.cross_compile.substr(0, t.cross_compile.size() - 1));
        out_->kernels.push_back(kr);
      } else {
        f = it->second;
      }
    }
    if (mine) p.set_value(load(t, row));
    return f.get();
  }

  void note_bsp(size_t kernel_row) {
    std::lock_guard<std::mutex> l(mu_);
    ++out_->kernels[kernel_row].bsps;
  }

  // Drops every kernel of `arch` (its last BSP is done).
  void release(const std::string& arch) {
    std::lock_guard<std::mutex> l(mu_);
    for (auto it = pool_.begin(); it != pool_.end();)
      it = it->first.compare(0, arch.size() + 1, arch + " ") == 0 ? pool_.erase(it) : std::next(it);
  }

 private:
  std::shared_ptr<const LoadedKernel> load(const Toolchain& t, size_t row) {
    auto start = Clock::now();
    auto k = std::make_shared<LoadedKernel>();
    k->row = row;
    std::string objtree;
    {
      std::lock_guard<std::mutex> l(mu_);
      objtree = out_->kernels[row].objtree;
    }
    config::KernelOptions o = req_.kernel_options;
    o.srctree = req_.kernel;
    o.objtree = objtree;
    o.arch = t.arch;
    if (t.cross) o.cross_compile = t.cross_compile;
    std::error_code ec;
    fs::create_directories(objtree, ec);
    if (ec)
      k->error = fmt::format("cannot create '{}': {}", objtree, ec.message());
    else {
      Diagnostics diags;
      k->ok = config::load_kernel(o, &k->tree, &diags);
      k->error = error_text(diags);
    }
    if (!k->ok && k->error.empty()) k->error = "the kernel's Kconfig does not load";
    if (!k->ok) {
      std::string log = k->tree.log.text(kc::Stream::err);
      if (!log.empty()) k->error += "\n" + log;
    }
    std::lock_guard<std::mutex> l(mu_);
    KernelRow& kr = out_->kernels[row];
    kr.ok = k->ok;
    kr.error = k->error;
    kr.model_reused = k->tree.model_reused;
    kr.probe_hits = k->tree.probes.hits;
    kr.probe_misses = k->tree.probes.misses;
    if (const std::string* v = k->tree.env.get("CC_VERSION_TEXT")) kr.cc_version_text = *v;
    kr.seconds = since(start);
    return k;
  }

  const MatrixRequest& req_;
  MatrixResult* out_;
  std::mutex mu_;
  std::map<std::string, std::shared_future<std::shared_ptr<const LoadedKernel>>> pool_;
};

bool requested_y(const config::MergeResult& m, const char* name) {
  const config::SymbolRequests* r = m.find(name);
  if (!r) return false;
  const config::Assignment* a = r->effective();
  return a && a->value.value == "y";
}

std::vector<std::string> config_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view l(text.data() + pos, nl - pos);
    if (l.rfind("CONFIG_", 0) == 0 || l.rfind("# CONFIG_", 0) == 0) out.emplace_back(l);
    pos = nl + 1;
  }
  return out;
}

// Lines of `a` not in `b`, in `a`'s order.
std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> sb = b;
  std::sort(sb.begin(), sb.end());
  std::vector<std::string> out;
  for (const auto& l : a)
    if (!std::binary_search(sb.begin(), sb.end(), l)) out.push_back(l);
  return out;
}

void summarize(const MatrixRequest& req, const config::ConfigResult& res, BspRow& row) {
  for (const config::QueuedFragment& q : res.queue) row.fragments.push_back(q.queue_name);
  const config::AuditReport& a = res.audit;
  row.requested = a.requested;
  row.matched = a.matched;
  config::ShownCounts c = config::count_shown(a, req.levels);
  row.findings = a.findings.size();
  row.shown = c.findings;
  row.fragment_findings = c.fragment_findings;
  row.redefinitions = c.redefinitions;
  for (const config::Finding& f : a.findings) {
    ++row.counts[config::to_string(f.kind)][config::to_string(f.hw)];
    if (f.kind == config::FindingKind::unknown_symbol) row.unknown_symbols.push_back("CONFIG_" + f.symbol);
  }
  nlohmann::json j = config::to_json(a, req.levels);
  row.findings_json = std::move(j["findings"]);
  for (auto& f : row.findings_json) f.erase("chain");
}

}  // namespace

std::string mode_for(const MatrixRequest& req, const std::string& ktype) {
  if (!req.mode.empty()) return req.mode;
  auto it = req.modes.find(ktype);
  if (it != req.modes.end()) return it->second;
  return ktype == "tiny" ? "allnoconfig" : "alldefconfig";
}

double BspRow::score() const {
  if (empty) return -1;
  if (!ok) return 1e9;
  static const std::map<std::string, double> weight = {
      {"unexplained", 100}, {"lost-in-merge", 50},    {"unknown-symbol", 20},
      {"bad-value", 20},    {"unmet-dependency", 10}, {"select-override", 5},
      {"choice-loser", 5},  {"range-clamp", 5},       {"promptless", 2}};
  double s = 0;
  for (const auto& f : findings_json) {
    if (!f.value("shown", false)) continue;
    auto it = weight.find(f.value("kind", ""));
    s += it == weight.end() ? 1 : it->second;
  }
  return s + 0.001 * static_cast<double>(findings);
}

bool run_matrix(const MatrixRequest& req, MatrixResult* out, Diagnostics* diags) {
  auto start = Clock::now();
  LockedFileSystem lfs;
  out->all_entry_points =
      find_entry_points(lfs, req.caches, req.kernel, [](std::string_view k) { return kernel_arch(k); });
  std::vector<EntryPoint> eps;
  for (const EntryPoint& e : out->all_entry_points) {
    bool m = req.machine_globs.empty();
    for (const auto& g : req.machine_globs) m = m || ::fnmatch(g.c_str(), e.machine.c_str(), 0) == 0;
    bool t = req.types.empty() || std::find(req.types.begin(), req.types.end(), e.ktype) != req.types.end();
    if (m && t) eps.push_back(e);
  }
  if (out->all_entry_points.empty()) {
    diags->error({}, "no BSP entry point in the caches (no .scc defines both KMACHINE and KTYPE)");
    return false;
  }
  if (eps.empty()) {
    diags->error({}, fmt::format("none of the {} entry points matches --machine/--type",
                                 out->all_entry_points.size()));
    return false;
  }

  out->rows.resize(eps.size());
  std::vector<size_t> order(eps.size());
  std::map<std::string, size_t> pending;  // ARCH -> BSPs not done
  for (size_t i = 0; i < eps.size(); ++i) {
    BspRow& r = out->rows[i];
    r.entry = eps[i];
    r.arch = kernel_arch(eps[i].karch);
    r.mode = mode_for(req, eps[i].ktype);
    r.dir = eps[i].machine + "/" + eps[i].ktype;
    order[i] = i;
    ++pending[r.arch];
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return out->rows[a].arch < out->rows[b].arch; });

  KernelPool pool(req, out);
  auto tree = std::make_shared<config::TreeSymbols::Index>(req.kernel, std::make_shared<DiskFileSystem>());
  std::mutex pending_mu;
  std::atomic<size_t> next{0};

  auto task = [&](BspRow& row) {
    auto t0 = Clock::now();
    config::ConfigRequest creq;
    config::BspRequest b;
    b.caches = req.caches;
    b.kernel = req.kernel;
    b.arch = row.arch;
    b.machine = row.entry.machine;
    b.ktype = row.entry.ktype;
    b.features = req.features;
    b.definition = row.entry.definition;
    b.fs = &lfs;
    creq.bsp = std::move(b);
    creq.display_base = req.display_base;
    creq.mode = row.mode == "allnoconfig" ? kc::ConfMode::allnoconfig : kc::ConfMode::alldefconfig;
    creq.output = req.output + "/" + row.dir;
    creq.levels = req.levels;
    creq.fixes = req.fixes;
    creq.kernel = req.kernel_options;
    creq.kernel.srctree = req.kernel;
    creq.kernel.arch = row.arch;
    if (row.arch.empty()) {
      row.error = fmt::format("{} defines no KARCH", row.entry.definition);
      return;
    }
    config::ConfigResult res;
    Diagnostics err;
    bool ok = config::prepare_fragments(creq, &res, &err);
    for (const Diagnostic& d : res.diags.items()) row.diags.push_back(d.render());
    if (!ok) {
      row.error = error_text(err);
      row.empty = res.no_fragments;  // any other failure (a missing --feature, an scc error) is one
      return;
    }
    TargetHints h;
    h.is64 = requested_y(res.merge, "64BIT") || requested_y(res.merge, "PPC64");
    h.little_endian = requested_y(res.merge, "CPU_LITTLE_ENDIAN");
    h.big_endian = requested_y(res.merge, "CPU_BIG_ENDIAN");
    if (auto it = req.cross.find(row.arch); it != req.cross.end()) {
      row.toolchain.arch = row.arch;
      row.toolchain.cross = !it->second.empty();
      row.toolchain.cross_compile = it->second;
      row.toolchain.wanted = it->second.empty() ? "" : it->second + "gcc";
      row.toolchain.found = it->second.empty() || !req.is_installed || req.is_installed(it->second + "gcc");
      if (!row.toolchain.found) row.toolchain.note = row.toolchain.wanted + " is not installed";
    } else {
      row.toolchain = choose_toolchain(
          row.arch, h, req.kernel_options.host.machine,
          req.is_installed ? req.is_installed : [](const std::string&) { return false; });
    }
    auto wait_start = Clock::now();
    std::shared_ptr<const LoadedKernel> k = pool.get(row.toolchain);
    double waited = since(wait_start);
    pool.note_bsp(k->row);
    if (!k->ok) {
      row.error = k->error;
      return;
    }
    creq.kernel.objtree = k->tree.objtree;
    if (row.toolchain.cross) creq.kernel.cross_compile = row.toolchain.cross_compile;
    config::resolve_and_audit(creq, k->tree, tree, &res);
    k.reset();
    if (!req.baseline_dir.empty()) {
      std::string e2;
      if (auto old = read_file(req.baseline_dir + "/" + row.dir + "/.config", &e2)) {
        row.has_baseline_config = true;
        std::vector<std::string> a = config_lines(*old), n = config_lines(res.dotconfig);
        row.config_removed = minus(a, n);
        row.config_added = minus(n, a);
      }
    }
    // The BSP's directory is a `kmeta config -o` build directory: the same
    // protocol (lock, outputs, the record last).
    config::BuildDirLock lock;
    if (!config::lock_build_dir(creq.output, true, {}, &lock, &err) ||
        !config::write_outputs(creq, res, req.record ? req.record(row) : std::string(), &err)) {
      row.error = error_text(err);
      return;
    }
    summarize(req, res, row);
    row.ok = true;
    // This BSP's own work: waiting for (or loading) the shared kernel is the
    // kernel row's time.
    row.seconds = since(t0) - waited;
  };

  int jobs = std::max(1, req.jobs);
  std::vector<std::thread> workers;
  workers.reserve(jobs);
  for (int w = 0; w < jobs; ++w)
    workers.emplace_back([&] {
      for (;;) {
        size_t n = next.fetch_add(1);
        if (n >= order.size()) return;
        BspRow& row = out->rows[order[n]];
        auto t0 = Clock::now();
        task(row);
        if (!row.ok) row.seconds = since(t0);
        bool last = false;
        {
          std::lock_guard<std::mutex> l(pending_mu);
          last = --pending[row.arch] == 0;
        }
        if (last) pool.release(row.arch);
      }
    });
  for (auto& t : workers) t.join();
  out->seconds = since(start);
  return true;
}

}  // namespace kmeta::matrix
