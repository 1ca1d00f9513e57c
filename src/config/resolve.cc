#include "config/resolve.h"

#include "base/file_system.h"
#include "base/file_util.h"
#include "kbuild/kernel_loader.h"
#include "kconfig/confdata.h"

namespace kmeta::config {

namespace kc = kmeta::kconfig;

// The kernel loader (kbuild/kernel_loader.h), shared with `kmeta kconfig`:
// same environment, caches, parse and probe-failure policy; this adds the
// evaluation index every resolve_seed() shares.
bool load_kernel(const KernelOptions& o, KernelTree* out, Diagnostics* diags) {
  DiskFileSystem disk;
  FileSystem& fs = o.files ? *o.files : disk;
  if (!fs.exists(o.srctree + "/Makefile") || !fs.exists(o.srctree + "/Kconfig")) {
    diags->error({}, "'" + o.srctree + "' is not a kernel source tree (no Makefile or Kconfig)");
    return false;
  }
  kbuild::KernelLoadOptions lo;
  lo.env.srctree = o.srctree;
  lo.env.objtree = o.objtree;
  lo.env.arch = o.arch;
  lo.env.host = o.host;
  lo.env.base_env = o.base_env;
  if (o.cross_compile) lo.env.make_vars["CROSS_COMPILE"] = *o.cross_compile;
  lo.probe_mode = o.probe_mode;
  lo.probe_dir = o.probe_dir;
  lo.model_cache = o.model_cache;
  lo.env.files = o.files;
  lo.runner = o.runner;

  kbuild::LoadedKernel k;
  bool ok = kbuild::load_kernel(lo, &k, diags);
  out->env = std::move(k.env);
  out->model = std::move(k.model);
  out->log = std::move(k.log);
  out->probes = k.probes;
  out->model_reused = k.model_reused;
  out->cache_warnings = std::move(k.cache_warnings);
  out->srctree = o.srctree;
  out->objtree = o.objtree;
  out->files = o.files;
  if (!ok) return false;
  out->eval_index = kc::Configuration::index(*out->model);
  return true;
}

kc::ConfContext conf_context(const KernelTree& k) {
  kc::ConfContext ctx;
  ctx.cwd = k.objtree;
  ctx.files = k.files;
  for (const auto& [n, v] : k.env.env) ctx.env.emplace(n, v);
  return ctx;
}

std::unique_ptr<kc::Configuration> resolve_seed(const KernelTree& k, std::string_view seed_name,
                                                std::string_view seed, kc::ConfMode mode, kc::Messages* log) {
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
