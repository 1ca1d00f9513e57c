// Checks before make runs, each turning a confusing make failure (or a
// silent wrong build) into one clear error: the kernel tree exists, it is
// clean for an O= build, the .config was made for this tree and this
// architecture, and the build directory's disk has room.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "kbuild/arch.h"
#include "kbuild/kernel_env.h"

namespace kmeta::kbuild {

// The kernel's Makefile version; nullopt + an error when `srctree` is not a
// kernel tree.
std::optional<kbuild::KernelVersion> check_kernel_tree(const std::string& srctree, Diagnostics* diags);

// kbuild refuses O= builds when the source tree has its own build state
// (.config, include/config, arch/<srcarch>/include/generated); say so first.
bool check_clean_for_o(const std::string& srctree, const std::string& srcarch, Diagnostics* diags);

// The .config header ("# Linux/arm64 6.12.118 Kernel Configuration") names
// the arch and version it was made for; a mismatch is a located error. A
// .config without the header passes (kbuild's syncconfig takes it).
bool check_config_matches(const std::string& config_name, const std::string& config_text,
                          const ArchInfo& arch, const kbuild::KernelVersion& version, Diagnostics* diags);

// statvfs on `dir` (or its nearest existing parent): error when fewer than
// `min_free` bytes are available.
bool check_disk_space(const std::string& dir, uint64_t min_free, Diagnostics* diags);

}  // namespace kmeta::kbuild
