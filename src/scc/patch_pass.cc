#include "scc/patch_pass.h"

#include <fmt/format.h>

#include "base/path.h"
#include "base/strings.h"
#include "scc/compiler.h"
#include "scc/features.h"
#include "scc/find.h"
#include "scc/writer.h"

namespace kmeta::scc {

bool run_patch_pass(const PatchPassRequest& req, FileSystem& fs, PatchPassResult* out, Diagnostics* diags) {
  // bbclass: the kmeta directories, the directory of every SRC_URI .scc (and
  // its kernel-meta/), then the kernel's own configs.
  std::vector<std::string> includes = req.caches;
  for (const std::string& s : req.sccs) {
    std::string dir = path_dirname(s);
    includes.push_back(dir);
    if (fs.is_dir(dir + "/kernel-meta")) includes.push_back(dir + "/kernel-meta");
  }
  includes.push_back(req.kernel + "/arch/" + req.arch + "/configs");
  includes.push_back(req.kernel + "/kernel/configs");
  out->include_args = includes;

  YoctoInputs in;
  in.sccs = req.sccs;
  if (!req.machine.empty()) {
    FindOptions fo;
    fo.cwd = req.kernel;
    fo.include_args = includes;
    fo.kmachine = req.machine;
    fo.ktype = req.ktype;
    fo.collation = req.collation;
    FindResult found = find_bsp(fs, fo);
    if (!found.error.empty()) {
      diags->error({}, found.error);
      return false;
    }
    if (found.found) in.bsp_definition = found.path;
  }
  if (in.bsp_definition.empty() && !req.have_defconfig) {
    diags->error({}, fmt::format("Could not locate BSP definition for {}/{} and no defconfig was provided",
                                 req.machine, req.ktype));
    return false;
  }
  out->bsp_definition = in.bsp_definition;
  if (!in.bsp_definition.empty())
    out->bsp_declares_external = is_external_bsp(fs, absolute_path(in.bsp_definition, req.kernel));
  in.external_bsp = req.external_bsp || out->bsp_declares_external;
  out->bsp_included = in.external_bsp && !in.bsp_definition.empty();
  in.kernel_features = check_kernel_features(req.features, includes, false, fs, req.kernel, out->diags);
  if (out->diags.has_errors()) {
    diags->error({}, "a KERNEL_FEATURES entry is missing");
    return false;
  }
  out->inputs = patch_pass_inputs(in);
  if (out->inputs.empty()) return true;  // the bbclass does not run scc

  CompileOptions co;
  co.cwd = req.kernel;
  co.include_args = includes;
  co.commands = CommandSet::parse("patch");
  co.collation = req.collation;
  Compiler compiler(fs);
  CompileResult r = compiler.compile(out->inputs, co);
  out->diags.merge(r.diags);
  if (!r.ok()) {
    diags->error({}, r.reference_error.empty()
                         ? std::string("the patch pass does not compile (see the errors above)")
                         : std::string(trim(r.reference_error)));
    return false;
  }
  OutputOptions oo;
  oo.outdir = req.outdir;
  oo.cwd = req.kernel;
  oo.artifacts.patch = true;  // -o OUT:patch
  OutputPlan plan;
  if (!plan_output(r.series, oo, fs, &plan, out->diags) || !write_output(plan, req.outdir, out->diags)) {
    diags->error({}, fmt::format("cannot write the patch pass into {} (see the errors above)", req.outdir));
    return false;
  }
  out->ran = true;
  out->patches = r.series.patches().size();
  return true;
}

}  // namespace kmeta::scc
