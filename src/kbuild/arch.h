// What kbuild needs to know about a target architecture: the ARCH value make
// takes, the arch/ directory, the image target, whether it has device trees,
// the Debian cross compiler and the ELF machine of its vmlinux.
//
// Yocto passes the kernel's ARCH as `x86`, `arm64`, `arm`, `riscv`; users
// also say `x86_64`, `aarch64`, `riscv64`. Each maps to one entry here. The
// image target is Yocto's KERNEL_IMAGETYPE default (bzImage / Image / zImage
// / Image for riscv) and can be overridden by the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::kbuild {

struct ArchInfo {
  std::string name;           // as given (normalised to lower case)
  std::string karch;          // ARCH= for make (x86 stays x86: the .config's CONFIG_64BIT decides)
  std::string srcarch;        // arch/<srcarch>
  std::string image;          // make target and arch/<srcarch>/boot/<image>
  bool dtbs = false;          // `make dtbs` exists for this arch
  std::string cross_prefix;   // Debian's CROSS_COMPILE, e.g. aarch64-linux-gnu-
  std::string cross_package;  // the Debian package providing <cross_prefix>gcc
  std::vector<std::string> host_machines;  // `uname -m` values that build it natively
  int elf_machine = 0;                     // e_machine of vmlinux (EM_X86_64, EM_AARCH64, ...)

  // The image as make leaves it, relative to the build directory.
  std::string image_path() const;
  // Whether a host with this `uname -m` builds the arch without a cross compiler.
  bool native_on(std::string_view host_machine) const;
};

// The entry for `arch` (Yocto's or kbuild's spelling). Unknown: nullopt and
// *error naming the known ones (with a "did you mean").
std::optional<ArchInfo> arch_info(std::string_view arch, Diagnostics* diags);

// The names arch_info() accepts, in table order.
std::vector<std::string> known_arches();

// The arch named in a .config header ("# Linux/arm64 6.12.118 Kernel
// Configuration"): its srcarch, or "" when unknown.
std::string srcarch_of(std::string_view arch);

}  // namespace kmeta::kbuild
