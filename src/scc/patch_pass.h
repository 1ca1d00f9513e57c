// do_kernel_metadata's patch pass (kernel-yocto.bbclass, patch mode): the
// BSP definition found by spp --find, KERNEL_FEATURES checked, and
// `scc --force -o OUT:patch --cmds patch <includes> <sccs> <features>` with
// the BSP definition put in front of the sccs only when it is an external BSP
// (KMETA_EXTERNAL_BSPS set in the recipe, or the BSP file mentions
// KMETA_EXTERNAL_BSP). Writes OUT/patch.queue and OUT/patches/ as the
// reference scc does; when there is nothing to pass to scc (no sccs, no
// features, BSP not external) scc is not run and nothing is written, as in
// the bbclass (no patch.queue: do_patch applies nothing).
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "scc/fs.h"
#include "scc/search.h"

namespace kmeta::scc {

struct PatchPassRequest {
  std::vector<std::string> caches;    // kmeta directories (-I), in order
  std::string kernel;                 // ${S}: scc's cwd; arch/<arch>/configs and kernel/configs are searched
  std::string arch;                   // ${ARCH} as Yocto passes it (x86, arm64, ...)
  std::string machine, ktype;         // KMACHINE, LINUX_KERNEL_TYPE
  std::vector<std::string> sccs;      // SRC_URI .scc/.cfg files (absolute): their directories become -I too
  std::vector<std::string> features;  // KERNEL_FEATURES (names relative to the include directories)
  bool have_defconfig = false;        // a defconfig is given: a BSP that is not found is not an error
  bool external_bsp = false;          // KMETA_EXTERNAL_BSPS set by the recipe
  std::string outdir;                 // absolute: ${S}/${meta_dir}
  Collation collation = Collation::bytes;
};

struct PatchPassResult {
  std::string bsp_definition;             // what spp --find printed ("" when none)
  bool bsp_included = false;              // the BSP went into the pass (external, given or detected)
  bool bsp_declares_external = false;     // the BSP file mentions KMETA_EXTERNAL_BSP
  std::vector<std::string> inputs;        // scc's input files, in order
  std::vector<std::string> include_args;  // scc's -I, in order
  bool ran = false;                       // scc ran (there were inputs)
  size_t patches = 0;                     // entries of patch.queue
  Diagnostics diags;                      // located scc errors and warnings
};

// False + the reason in *diags when no BSP is found (and no defconfig is
// given), a feature is missing, the inputs do not compile or the output
// cannot be written; scc's own located errors and warnings are in
// out->diags either way.
bool run_patch_pass(const PatchPassRequest& req, FileSystem& fs, PatchPassResult* out, Diagnostics* diags);

}  // namespace kmeta::scc
