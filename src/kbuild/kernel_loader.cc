#include "kbuild/kernel_loader.h"

#include <algorithm>

#include "kconfig/parser.h"

namespace kmeta::kbuild {

using kconfig::Dialect;
using kconfig::Messages;
using kconfig::Model;
using kconfig::ModelLoader;
using kconfig::parse_kconfig;
using kconfig::ParseOptions;

KernelSession::KernelSession() = default;
KernelSession::~KernelSession() = default;

void KernelSession::keep_warnings(const std::vector<std::string>& ws) {
  for (const std::string& w : ws)
    if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end()) warnings_.push_back(w);
}

bool KernelSession::open(const KernelLoadOptions& o, Diagnostics* diags) {
  std::string err;
  std::string* error = &err;
  auto fail = [&] {
    diags->error({}, err);
    return false;
  };
  const KernelEnvOptions& eo = o.env;
  ProbeCacheOptions po;
  po.dir = o.probe_dir;
  po.mode = o.probe_mode;
  po.cwd = eo.objtree;
  probe_dir_ = o.probe_dir;

  // Pass 1 learns which tools the tree uses (no command runs), so that the
  // probe cache can key the Makefile's own `$(CC) --version` by them; pass 2
  // runs it through the cache.
  KernelEnv first;
  auto nothing = [](const std::string&, std::string* out, std::string*) {
    out->clear();
    return true;
  };
  if (!derive_kernel_env(eo, nothing, &first, error)) return fail();
  po.env = first.env;
  runner_ = o.runner;
  files_ = eo.files;
  if (runner_) {
    env_probes_ = std::make_unique<ProbeCache>(po, runner_);
  } else {
    env_spawn_ = std::make_unique<SpawnRunner>(eo.base_env, eo.objtree);
    SpawnRunner* pre_spawn = env_spawn_.get();
    env_probes_ =
        std::make_unique<ProbeCache>(po, [pre_spawn](const std::string& c, std::string* out, std::string* e) {
          return pre_spawn->run(c, out, e);
        });
  }
  // derive_kernel_env() takes a failed command as empty output (make's
  // $(shell) of a command that printed nothing); a command that could not be
  // answered at all is an error here (see the policy in the header).
  std::string first_failure;
  auto run = [&](const std::string& c, std::string* out, std::string* e) {
    bool ok = env_probes_->run(c, out, e);
    if (!ok && first_failure.empty()) first_failure = e->empty() ? "$(shell," + c + ") failed" : *e;
    return ok;
  };
  bool env_ok = derive_kernel_env(eo, run, &env_, error);
  keep_warnings(env_probes_->warnings());
  if (!env_ok) return fail();
  if (!first_failure.empty()) {
    err = first_failure;
    return fail();
  }

  dialect_ = env_.dialect;
  open_caches(o.probe_mode, o.probe_dir, o.model_cache);
  return true;
}

void KernelSession::open_exported(std::map<std::string, std::string> env, std::string objtree,
                                  std::optional<Dialect> dialect, ProbeMode probe_mode, std::string probe_dir,
                                  bool model_cache) {
  env_ = KernelEnv{};
  auto srctree = env.find("srctree");
  env_.srctree = srctree != env.end() ? srctree->second : std::string();
  env_.objtree = std::move(objtree);
  env_.env = std::move(env);
  dialect_ = dialect;
  probe_dir_ = std::move(probe_dir);
  open_caches(probe_mode, probe_dir_, model_cache);
}

void KernelSession::open_caches(ProbeMode mode, const std::string& probe_dir, bool model_cache) {
  ProbeCacheOptions po;
  po.dir = probe_dir;
  po.mode = mode;
  po.cwd = env_.objtree;
  po.env = env_.env;
  if (runner_) {
    probes_ = std::make_unique<ProbeCache>(po, runner_);
  } else {
    spawn_ = std::make_unique<SpawnRunner>(env_.env, env_.objtree);
    SpawnRunner* sp = spawn_.get();
    probes_ = std::make_unique<ProbeCache>(
        po, [sp](const std::string& c, std::string* out, std::string* e) { return sp->run(c, out, e); });
  }
  models_ = ModelCacheOptions{};
  if (model_cache && mode != ProbeMode::off && !probe_dir.empty()) {
    models_.dir = probe_dir + "/models";
    models_.producer = producer_identity();
  }
}

std::unique_ptr<Model> KernelSession::parse(const std::string& file, Messages& log) {
  ParseOptions po;
  // lkc opens a file as named (relative to cwd = objtree), else under
  // getenv("srctree"): the value the Makefile exports ("." in the tree, ".."
  // for a direct subdirectory O=, else absolute).
  auto srctree = env_.env.find("srctree");
  po.srctree = srctree != env_.env.end() ? srctree->second : env_.srctree;
  po.cwd = env_.objtree;
  po.env = env_.env;
  po.shell = probes_.get();
  po.dialect = dialect_;
  po.files = files_;  // set: the model cache is bypassed (model_cache.h)
  std::unique_ptr<Model> model;
  if (models_.dir.empty()) {
    model_result_ = ModelCacheResult{};
    model = parse_kconfig(file, po, log);
  } else {
    model = parse_kconfig_cached(file, po, models_, log, &model_result_);
  }
  keep_warnings(probes_->warnings());
  if (!model_result_.warning.empty()) keep_warnings({model_result_.warning});
  return model;
}

ModelLoader KernelSession::loader() {
  return [this](const std::string& file, Messages& log) { return parse(file, log); };
}

ProbeStats KernelSession::probe_stats() const {
  ProbeStats s;
  for (const ProbeCache* c : {env_probes_.get(), probes_.get()}) {
    if (!c) continue;
    s.hits += c->stats().hits;
    s.misses += c->stats().misses;
    s.stored += c->stats().stored;
    s.store_errors += c->stats().store_errors;
    s.rejected += c->stats().rejected;
  }
  return s;
}

size_t KernelSession::spawned() const {
  return (env_spawn_ ? env_spawn_->spawned() : 0) + (spawn_ ? spawn_->spawned() : 0);
}

std::vector<std::string> KernelSession::warnings() const { return warnings_; }

bool load_kernel(const KernelLoadOptions& options, LoadedKernel* out, Diagnostics* diags) {
  KernelSession s;
  bool ok = s.open(options, diags);
  if (ok) {
    out->env = s.env();
    const std::string file = out->env.kconfig.empty() ? std::string("Kconfig") : out->env.kconfig;
    out->model = s.parse(file, out->log);
    out->model_reused = s.model_result().hit;
    if (!out->model) {
      diags->error({}, "the kernel's Kconfig does not parse (see the messages above)");
      ok = false;
    }
  }
  out->probes = s.probe_stats();
  out->cache_warnings = s.warnings();
  return ok;
}

}  // namespace kmeta::kbuild
