#include "config/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/file_system.h"
#include "base/file_util.h"
#include "base/json_bytes.h"
#include "config/build_dir.h"
#include "config/build_record.h"
#include "config/dotconfig.h"
#include "config/report.h"

namespace kmeta::config {

namespace kc = kmeta::kconfig;

namespace {

class Stopwatch {
 public:
  explicit Stopwatch(std::vector<Timing>* out) : out_(out), t_(std::chrono::steady_clock::now()) {}
  void lap(std::string phase) {
    auto now = std::chrono::steady_clock::now();
    out_->push_back({std::move(phase), std::chrono::duration<double>(now - t_).count()});
    t_ = now;
  }

 private:
  std::vector<Timing>* out_;
  std::chrono::steady_clock::time_point t_;
};

}  // namespace

namespace {

void shorten_paths(std::vector<QueuedFragment>& queue, const std::string& base) {
  if (base.empty()) return;
  std::string prefix = base.back() == '/' ? base : base + "/";
  auto shorten = [&](std::string& p) {
    if (p.size() > prefix.size() && p.compare(0, prefix.size(), prefix) == 0) p = p.substr(prefix.size());
  };
  for (QueuedFragment& q : queue) {
    shorten(q.fragment.path);
    for (Location& l : q.chain) {
      std::string f = l.file;
      shorten(f);
      l.file = std::move(f);
    }
  }
}

}  // namespace

AuditReport audit_queue(const ConfigRequest& req, const KernelTree& k,
                        const std::vector<QueuedFragment>& queue, const MergeResult& merge,
                        kc::Configuration& cfg, const Classification& classes, std::string_view dotconfig,
                        TreeSymbols* tree, const std::vector<std::string>& fix_symbols,
                        const MergeState* merge_seed) {
  DotConfig dot = DotConfig::parse(dotconfig);
  kc::ConfMode mode = req.mode;
  AuditContext ctx{
      *k.model,   cfg,
      queue,      merge,
      classes,    dot,
      k.env.arch, [&k, mode](const std::string& seed) { return resolve_seed(k, kSeedName, seed, mode); },
      tree,       merge_seed};
  AuditOptions opt;
  opt.fixes = req.fixes;
  AuditLevels levels = req.levels;
  opt.want_fix = [levels, only = fix_symbols](const Finding& f) {
    if (!only.empty()) return std::find(only.begin(), only.end(), f.symbol) != only.end();
    return shown(f, levels);
  };
  return audit(ctx, opt);
}

bool prepare_fragments(const ConfigRequest& req, ConfigResult* out, Diagnostics* diags) {
  Stopwatch sw(&out->timings);
  bool queue_ok = true;
  if (req.bsp) {
    BspResult b;
    BspRequest br = *req.bsp;
    if (req.files) br.fs = req.files;
    queue_ok = build_queue(br, &b, diags);
    out->queue = std::move(b.queue);
    out->bsp_definition = std::move(b.bsp_definition);
    out->diags.merge(b.diags);
    if (queue_ok && out->queue.empty()) {
      diags->error({}, "the BSP has no configuration fragments");
      out->no_fragments = true;
      queue_ok = false;
    }
  } else {
    out->queue = req.queue;
    if (out->queue.empty()) {
      diags->error({}, "no configuration fragments");
      queue_ok = false;
    }
  }
  shorten_paths(out->queue, req.display_base);
  sw.lap("bsp + scc");
  if (!queue_ok) return false;
  out->merge = merge_fragments(out->queue);
  sw.lap("merge");
  out->facts = read_queue_facts(out->queue);
  // The .kcf scans are kept beside the parsed models, under the same rules.
  const KernelOptions& ko = req.kernel;
  KcfCache kcf_cache{ko.probe_dir + "/kcf", ko.probe_mode == kbuild::ProbeMode::read_write};
  bool use_cache = ko.model_cache && ko.probe_mode != kbuild::ProbeMode::off && !ko.probe_dir.empty();
  DiskFileSystem disk;
  out->classes =
      classify(out->queue, ko.srctree, req.files ? *req.files : disk, true, use_cache ? &kcf_cache : nullptr);
  sw.lap("classify");
  return true;
}

void resolve_and_audit(const ConfigRequest& req, const KernelTree& kernel,
                       std::shared_ptr<TreeSymbols::Index> tree, ConfigResult* out) {
  Stopwatch sw(&out->timings);
  out->kernel = kernel;
  for (const std::string& w : out->classes.cache_warnings)
    if (std::find(out->kernel.cache_warnings.begin(), out->kernel.cache_warnings.end(), w) ==
        out->kernel.cache_warnings.end())
      out->kernel.cache_warnings.push_back(w);
  out->cfg = resolve_seed(out->kernel, kSeedName, out->merge.seed, req.mode, &out->conf_log);
  out->dotconfig = render_dotconfig(*out->cfg, out->kernel);
  sw.lap("resolve");
  out->tree = std::make_unique<TreeSymbols>(std::move(tree));
  if (req.audit)
    out->audit = audit_queue(req, out->kernel, out->queue, out->merge, *out->cfg, out->classes,
                             req.audit_dotconfig ? *req.audit_dotconfig : out->dotconfig, out->tree.get(),
                             req.fix_symbols);
  sw.lap("audit");
}

bool run_config(const ConfigRequest& req, ConfigResult* out, Diagnostics* diags) {
  // The kernel's Kconfig parse does not depend on the fragments: run it on a
  // second thread while the BSP is compiled, merged and classified.
  bool kernel_ok = false;
  Diagnostics kernel_diags;  // the parser thread's own sink
  KernelTree kernel;
  auto parse_start = std::chrono::steady_clock::now();
  double parse_secs = 0;
  KernelOptions ko = req.kernel;
  if (req.files) ko.files = req.files;
  std::thread parser([&] {
    kernel_ok = load_kernel(ko, &kernel, &kernel_diags);
    parse_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - parse_start).count();
  });
  bool queue_ok = prepare_fragments(req, out, diags);
  Stopwatch sw(&out->timings);
  parser.join();
  out->timings.push_back({"kconfig parse (parallel)", parse_secs});
  sw.lap("wait for parse");
  if (!queue_ok) {
    out->kernel = std::move(kernel);
    return false;
  }
  if (!kernel_ok) {
    out->kernel = std::move(kernel);
    diags->merge(kernel_diags);
    return false;
  }
  // req.files is the caller's: the index is handed it without owning it.
  std::shared_ptr<FileSystem> tree_fs = req.files
                                            ? std::shared_ptr<FileSystem>(std::shared_ptr<void>(), req.files)
                                            : std::make_shared<DiskFileSystem>();
  resolve_and_audit(req, kernel, std::make_shared<TreeSymbols::Index>(req.kernel.srctree, std::move(tree_fs)),
                    out);
  return true;
}

Location map_seed_location(const ConfigRequest&, const ConfigResult& res, const Location& l) {
  if (l.file != kSeedName) return l;
  LineRef r = res.merge.origin(l.line);
  if (r.fragment == kNoFragment) return l;
  return {res.queue[r.fragment].fragment.path, r.line, 0};
}

std::string mismatch_text(const ConfigRequest& req, const ConfigResult& res) {
  return render_mismatch_file(res.audit, req.levels.audit_level == 1);
}

std::string invalid_text(const ConfigRequest& req, ConfigResult& res) {
  const kc::Model& m = *res.kernel.model;
  TreeSymbols* tree = res.tree.get();
  return render_invalid_report(
      res.facts, req.levels.bsp_audit_level > 1, [&](const std::string& n) { return m.find(n) != kc::kNone; },
      [&](const std::string& n) { return tree && tree->find(n) != nullptr; });
}

std::string redefinition_text(const ConfigResult& res) { return render_sanity_report(res.facts); }

std::string merge_log(const ConfigRequest& req, const ConfigResult& res) {
  std::string out = res.merge.log;
  for (const kc::Message& msg : res.conf_log.items()) {
    if (msg.where.valid() && msg.where.file == kSeedName) {
      Location l = map_seed_location(req, res, msg.where);
      // lkc: "FILE:LINE:warning: TEXT"; keep the text, name the fragment line.
      std::string text = msg.text;
      std::string head = fmt::format("{}:{}:", msg.where.file, msg.where.line);
      if (text.rfind(head, 0) == 0) text = fmt::format("{}:{}:", l.file, l.line) + text.substr(head.size());
      out += text;
    } else {
      out += msg.text;
    }
  }
  return out;
}

namespace {

// write_outputs() with the build directory writer's error text (plumbing).
bool write_files(const ConfigRequest& req, ConfigResult& res, const std::string& record, std::string* error) {
  Stopwatch sw(&res.timings);
  BuildDirWriter w(req.output);
  auto add_or_remove = [&](const std::string& rel, const std::string& text) {
    if (!text.empty()) return w.add(rel, text, error);
    w.remove(rel);
    return true;
  };
  if (!w.add(".config", res.dotconfig, error, ".config.old")) return false;
  std::string queue;
  for (const QueuedFragment& q : res.queue) queue += fmt::format("{} # {}\n", q.queue_name, q.kconf_class);
  if (!w.add(".kernel-meta/config.queue", queue, error)) return false;
  if (!add_or_remove(".kernel-meta/bsp_definition",
                     res.bsp_definition.empty() ? std::string() : res.bsp_definition + "\n"))
    return false;
  if (!w.add(".kernel-meta/cfg/merge_config_build.log", merge_log(req, res), error)) return false;
  if (req.audit) {
    if (!add_or_remove(".kernel-meta/cfg/mismatch.txt", mismatch_text(req, res))) return false;
    if (!add_or_remove(".kernel-meta/cfg/invalid.txt", invalid_text(req, res))) return false;
    if (!add_or_remove(".kernel-meta/cfg/redefinition.txt", redefinition_text(res))) return false;
    if (!w.add(".kernel-meta/kmeta-audit.json", json_dump(to_json(res.audit, req.levels), 1) + "\n", error))
      return false;
  }
  if (!w.commit(kRecordName, record, error)) return false;
  sw.lap("write");
  return true;
}

}  // namespace

bool write_outputs(const ConfigRequest& req, ConfigResult& res, const std::string& record,
                   Diagnostics* diags) {
  std::string error;
  if (write_files(req, res, record, &error)) return true;
  diags->error({}, error);
  return false;
}

}  // namespace kmeta::config
