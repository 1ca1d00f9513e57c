// From a BSP to the fragment queue, in memory: spp --find locates the BSP
// definition of (KMACHINE, KTYPE), scc compiles it with the defconfig, the
// extra fragments and KERNEL_FEATURES, and every `kconf` of the result becomes
// a QueuedFragment (text, config.queue name, class, .scc include chain).
// Inputs in kernel-yocto.bbclass's order: defconfig, BSP, fragments, features.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "config/merge.h"

namespace kmeta {
class FileSystem;
}

namespace kmeta::config {

struct BspRequest {
  std::vector<std::string> caches;  // kernel-cache directories (-I), in order
  std::string kernel;  // kernel tree: cwd of spp/scc; arch/<arch>/configs, kernel/configs are searched
  std::string arch;    // kernel ARCH as Yocto passes it (x86, arm64, riscv, ...)
  std::string machine, ktype;          // KMACHINE, LINUX_KERNEL_TYPE
  std::vector<std::string> features;   // KERNEL_FEATURES (.scc names relative to the caches)
  std::vector<std::string> fragments;  // extra .cfg files (SRC_URI fragments)
  std::string defconfig;               // a defconfig to start from ("" = none)
  bool prefer_modules = false;         // -DMODULE_OR_Y=m (KMETA_CONFIG_FEATURES prefer-modules)
  // The BSP definition spp --find picks for (machine, ktype), when the caller
  // already knows it (`kmeta matrix` finds every entry point once); "" = find it.
  std::string definition;
  // Where files are read (must outlive the call; thread-safe when shared);
  // null = the disk, through a private cache.
  FileSystem* fs = nullptr;
};

struct BspResult {
  std::string bsp_definition;  // what spp --find printed ("" when only a defconfig was used)
  std::vector<QueuedFragment> queue;
  Diagnostics diags;  // located errors and warnings of spp/scc
};

// False when no BSP definition is found (and no defconfig is given) or the
// features do not compile; scc's own located errors and warnings are in
// out->diags, the reason the queue could not be built in *diags.
bool build_queue(const BspRequest& req, BspResult* out, Diagnostics* diags);

}  // namespace kmeta::config
