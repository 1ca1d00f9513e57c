// The deploy folder: DEPLOY/<name>/<arch>/ holding the kernel image under
// its per-arch name (bzImage, Image, zImage), the initramfs, the rootfs, a
// README (what, for which machine and arch, the boot flow) and
// manifest.json (sizes, sha256, kernel release, config hash, inputs).
//
// The folder is built beside its final place and swapped in whole, so a
// reader sees the old folder or the new one, never a mix.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::bundle {

std::string sha256_hex(std::string_view bytes);

struct DeployFile {
  std::string name;    // in the folder
  std::string source;  // copied from here, or
  std::string data;    // these bytes, when source is empty
  std::string role;    // "kernel image", "initramfs", "rootfs"
};

// clang-tidy 14 cannot prove the implicit move noexcept through the
// nlohmann::json member (its move constructor asserts its invariant); nothing
// here throws on a move.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct DeployRequest {
  std::string root;     // DEPLOY
  std::string name;     // <name>
  std::string arch;     // the folder name: aarch64, x86_64, arm
  std::string machine;  // for the README ("" = the arch's QEMU machine)
  std::string kernel_release;
  std::string config_path;
  std::vector<DeployFile> files;
  // A hook run on the private folder before it is swapped in (writes the
  // rootfs there); returns false to abandon.
  std::function<bool(const std::string& dir)> fill;
  nlohmann::json inputs;             // recorded as is
  std::vector<std::string> modules;  // relpaths shipped in the initramfs
  std::string boot_args;             // kernel command line for the README
  int64_t source_date_epoch = 0;
};

// Writes the folder; returns its path in *dir.
bool write_deploy(const DeployRequest& req, std::string* dir, Diagnostics* diags);

}  // namespace kmeta::bundle
