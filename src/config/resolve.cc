#include "config/resolve.h"

#include <algorithm>

#include "base/file_util.h"
#include "kconfig/confdata.h"
#include "kconfig/model_cache.h"
#include "kconfig/parser.h"
#include "kconfig/shell_runner.h"

namespace kmeta::config {

namespace kc = kmeta::kconfig;

namespace {

// $(shell,...) through the probe cache.
class ProbeShell : public kc::ShellRunner {
 public:
  explicit ProbeShell(kc::ProbeCache& cache) : cache_(cache) {}
  bool run(const std::string& command, std::string* output, std::string* error) override {
    return cache_.run(command, output, error);
  }

 private:
  kc::ProbeCache& cache_;
};

}  // namespace

bool load_kernel(const KernelOptions& o, KernelTree* out, std::string* error) {
  if (!file_exists(o.srctree + "/Makefile") || !file_exists(o.srctree + "/Kconfig")) {
    *error = "'" + o.srctree + "' is not a kernel source tree (no Makefile or Kconfig)";
    return false;
  }
  kc::KernelEnvOptions eo;
  eo.srctree = o.srctree;
  eo.objtree = o.objtree;
  eo.arch = o.arch;
  eo.host = o.host;
  eo.base_env = o.base_env;
  if (o.cross_compile) eo.make_vars["CROSS_COMPILE"] = *o.cross_compile;

  kc::ProbeCacheOptions po;
  po.dir = o.probe_dir;
  po.mode = o.probe_mode;
  po.cwd = o.objtree;

  // Pass 1 learns which tools the tree uses (nothing runs), so the probe
  // cache can key the Makefile's own `$(CC) --version` by them; pass 2 runs it
  // through the cache.
  kc::KernelEnv first;
  auto nothing = [](const std::string&, std::string* s, std::string*) {
    s->clear();
    return true;
  };
  if (!kc::derive_kernel_env(eo, nothing, &first, error)) return false;
  po.env = first.env;
  kc::SpawnRunner pre_spawn(eo.base_env, o.objtree);
  kc::ProbeCache pre(po, [&](const std::string& c, std::string* s, std::string* e) { return pre_spawn.run(c, s, e); });
  auto keep_warnings = [out](const kc::ProbeCache& c) {
    for (const std::string& w : c.warnings())
      if (std::find(out->cache_warnings.begin(), out->cache_warnings.end(), w) == out->cache_warnings.end())
        out->cache_warnings.push_back(w);
  };
  bool env_ok = kc::derive_kernel_env(eo, pre.runner(), &out->env, error);
  keep_warnings(pre);
  if (!env_ok) return false;

  po.env = out->env.env;
  kc::SpawnRunner spawn(out->env.env, o.objtree);
  kc::ProbeCache probes(po, [&](const std::string& c, std::string* s, std::string* e) { return spawn.run(c, s, e); });
  ProbeShell shell(probes);

  kc::ParseOptions popt;
  popt.srctree = o.srctree;
  popt.cwd = o.objtree;
  popt.env = out->env.env;
  popt.shell = &shell;
  popt.dialect = out->env.dialect;
  const std::string kconfig = out->env.kconfig.empty() ? std::string("Kconfig") : out->env.kconfig;
  if (o.model_cache && o.probe_mode != kc::ProbeMode::off && !o.probe_dir.empty()) {
    kc::ModelCacheOptions mc;
    mc.dir = o.probe_dir + "/models";
    mc.producer = kc::producer_identity();
    kc::ModelCacheResult r;
    out->model = kc::parse_kconfig_cached(kconfig, popt, mc, out->log, &r);
    out->model_reused = r.hit;
    if (!r.warning.empty()) out->cache_warnings.push_back(r.warning);
  } else {
    out->model = kc::parse_kconfig(kconfig, popt, out->log);
  }
  keep_warnings(probes);
  out->probes = probes.stats();
  out->probes.hits += pre.stats().hits;
  out->probes.misses += pre.stats().misses;
  out->srctree = o.srctree;
  out->objtree = o.objtree;
  if (!out->model) {
    *error = "the kernel's Kconfig does not parse (see the messages above)";
    return false;
  }
  out->eval_index = kc::Configuration::index(*out->model);
  return true;
}

kc::ConfContext conf_context(const KernelTree& k) {
  kc::ConfContext ctx;
  ctx.cwd = k.objtree;
  for (const auto& [n, v] : k.env.env) ctx.env.emplace(n, v);
  return ctx;
}

std::unique_ptr<kc::Configuration> resolve_seed(const KernelTree& k, std::string_view seed_name, std::string_view seed,
                                                kc::ConfMode mode, kc::Messages* log) {
  auto cfg = k.eval_index ? std::make_unique<kc::Configuration>(*k.model, k.eval_index, log)
                          : std::make_unique<kc::Configuration>(*k.model, log);
  kc::ConfContext ctx = conf_context(k);
  kc::ReadState rs;
  kc::load_config_text(*cfg, ctx, seed_name, seed, kc::DefSlot::user, rs);
  kc::set_all_new_symbols(*cfg, mode);
  return cfg;
}

std::string render_dotconfig(kc::Configuration& cfg, const KernelTree& k) {
  return kc::render_config(cfg, conf_context(k));
}

}  // namespace kmeta::config
