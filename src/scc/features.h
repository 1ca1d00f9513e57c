// What `kmeta features` shows, and the KERNEL_FEATURES step of Yocto's
// kernel-yocto.bbclass.
//
// * check_kernel_features: each KERNEL_FEATURES entry must exist (`-e`) below
//   one of the include directories, else it is an error ("dangling feature"),
//   or a warning and the entry is dropped when `warn_only` is set
//   (KERNEL_DANGLING_FEATURES_WARN_ONLY). The kept entries are appended to
//   the scc inputs after the BSP definition.
// * FeatureTree: the resolved include tree of a compiled Series: which file
//   included which (with flags and the include line), and the fragments,
//   patches and branches each file brings, in order.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "scc/fs.h"
#include "scc/series.h"

namespace kmeta::scc {

// Why a KERNEL_FEATURES / --feature name cannot be a file below the caches:
// it is absolute or has a ".." component (it could name any file, whose text
// would be parsed and echoed in diagnostics). Empty when it is fine.
std::string feature_name_problem(std::string_view name);

// Each entry is checked with feature_name_problem first (always an error).
std::vector<std::string> check_kernel_features(const std::vector<std::string>& features,
                                               const std::vector<std::string>& include_args, bool warn_only,
                                               FileSystem& fs, const std::string& cwd, Diagnostics& diags);

// The scc inputs of Yocto's do_kernel_metadata, in its order.
struct YoctoInputs {
  std::string defconfig;                     // KBUILD_DEFCONFIG copy or SRC_URI defconfig ("" = none)
  std::string bsp_definition;                // spp --find result ("" = none)
  std::vector<std::string> sccs;             // SRC_URI .scc/.cfg files
  std::vector<std::string> patches;          // SRC_URI patches
  std::vector<std::string> kernel_features;  // KERNEL_FEATURES after check_kernel_features
  bool external_bsp = false;                 // the BSP file mentions KMETA_EXTERNAL_BSP
};
// Config pass: defconfig, BSP, sccs, patches, features.
std::vector<std::string> config_pass_inputs(const YoctoInputs& in);
// Patch pass: sccs (preceded by the BSP when it is external), patches, features.
std::vector<std::string> patch_pass_inputs(const YoctoInputs& in);
// `grep -q KMETA_EXTERNAL_BSP <bsp>`.
bool is_external_bsp(FileSystem& fs, const std::string& bsp_abs);

struct FeatureNode {
  int frame = -1;  // into Series::frames
  struct Item {
    const Action* action = nullptr;  // kconf, patch, branch (when not a child)
    int child = -1;                  // index into children
  };
  std::vector<Item> items;  // in order
  std::vector<FeatureNode> children;
};

struct FeatureTree {
  const Series* series = nullptr;
  std::vector<FeatureNode> roots;  // one per input file (inputs that are fragments or patches are not files)
  std::vector<const Action*> loose;  // actions outside any file (fragment/patch inputs)
};

// Builds the tree of the active files (include_inactive: also those only
// preprocessed in branches not taken).
FeatureTree build_feature_tree(const Series& s, bool include_inactive = false);

// Indented text; paths relative to the include directory they are under.
std::string print_feature_tree(const FeatureTree& t);
nlohmann::json feature_tree_json(const FeatureTree& t);

// `path` relative to the first include directory that contains it (or unchanged).
std::string display_path(const std::string& path, const std::vector<std::string>& include_dirs);

}  // namespace kmeta::scc
