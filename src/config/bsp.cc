#include "config/bsp.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "scc/compiler.h"
#include "scc/features.h"
#include "scc/find.h"
#include "scc/fixup.h"
#include "scc/fs.h"

namespace kmeta::config {

bool build_queue(const BspRequest& req, BspResult* out, Diagnostics* diags) {
  scc::DiskFileSystem own;
  scc::FileSystem& fs = req.fs ? *req.fs : own;
  // kernel-yocto.bbclass: the kmeta directories, then the kernel's own configs.
  std::vector<std::string> includes = req.caches;
  includes.push_back(req.kernel + "/arch/" + req.arch + "/configs");
  includes.push_back(req.kernel + "/kernel/configs");

  std::vector<std::string> inputs;
  if (!req.defconfig.empty()) inputs.push_back(req.defconfig);
  if (!req.definition.empty()) {
    out->bsp_definition = req.definition;
    inputs.push_back(req.definition);
  } else if (!req.machine.empty()) {
    scc::FindOptions fo;
    fo.cwd = req.kernel;
    fo.include_args = includes;
    fo.kmachine = req.machine;
    fo.ktype = req.ktype;
    scc::FindResult found = scc::find_bsp(fs, fo);
    if (!found.error.empty()) {
      diags->error({}, found.error);
      return false;
    }
    if (found.found) {
      out->bsp_definition = found.path;
      inputs.push_back(found.path);
    } else if (req.defconfig.empty()) {
      diags->error({}, fmt::format("Could not locate BSP definition for {}/{} (no .scc under the caches "
                                   "defines KMACHINE {} and KTYPE {}), and no defconfig was given",
                                   req.machine, req.ktype, req.machine, req.ktype));
      return false;
    }
  }
  for (const auto& f : req.fragments) inputs.push_back(f);
  // KERNEL_FEATURES must exist under an include directory (bbclass: fatal).
  scc::Resolver rs(fs, req.kernel, includes);
  for (const auto& f : req.features) {
    if (std::string why = scc::feature_name_problem(f); !why.empty()) {
      diags->error({}, fmt::format("feature '{}' is not a name inside the caches: {}", f, why));
      return false;
    }
    if (rs.search(f, rs.include_dirs()).empty()) {
      diags->error({}, fmt::format("feature '{}' not found under the caches", f));
      return false;
    }
    inputs.push_back(f);
  }

  scc::CompileOptions co;
  co.cwd = req.kernel;
  co.include_args = includes;
  if (req.prefer_modules) co.defines.emplace_back("MODULE_OR_Y", "m");
  scc::Compiler compiler(fs);
  scc::CompileResult r = compiler.compile(inputs, co);
  out->diags.merge(r.diags);
  if (!r.ok()) {
    diags->error({}, r.reference_error.empty()
                         ? std::string("the features do not compile (see the errors above)")
                         : std::string(trim(r.reference_error)));
    return false;
  }
  for (const scc::Action* a : r.series.fragments()) {
    auto text = fs.read(a->file);
    if (!text) {
      diags->error(a->where, fmt::format("cannot read fragment {}: {}", a->file, fs.why_unreadable(a->file)));
      return false;
    }
    std::string content = *text;
    for (const scc::Override& ov : a->overrides)
      if (!ov.value.empty()) content = scc::apply_fixup(content, ov.option, ov.module_or_y);
    QueuedFragment q;
    q.fragment = parse_fragment(a->file, std::move(content));
    q.queue_name = a->dest;
    q.merge_name = ".kernel-meta/" + a->dest;
    q.kconf_class = a->kconf_class;
    if (a->where.valid()) q.chain.push_back(a->where);
    for (const Location& l : r.series.chain(a->frame))
      if (l.valid()) q.chain.push_back(l);
    out->queue.push_back(std::move(q));
  }
  return true;
}

}  // namespace kmeta::config
