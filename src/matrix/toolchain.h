// Which kernel ARCH and which cross compiler a BSP is configured with.
//
// ARCH: the BSP's KARCH mapped the way Yocto's kernel-arch.bbclass maps the
// target architecture to the kernel's (x86-64/x86_64/i386/i586/i686 -> x86,
// riscv32/riscv64 -> riscv, aarch64 -> arm64, powerpc64 -> powerpc, ...).
//
// Compiler: the Kconfig of a kernel asks its compiler questions ($(cc-option),
// CC_VERSION_TEXT, CC_CAN_LINK, ...), so the toolchain is an input of the
// .config. kmeta takes Debian's cross compiler for the BSP's target (word size
// and endianness from what the BSP's fragments request: CONFIG_64BIT,
// CONFIG_PPC64, CONFIG_CPU_LITTLE_ENDIAN / CONFIG_CPU_BIG_ENDIAN) when it is
// installed; when it is not, the host compiler is used and the choice says so,
// so a BSP resolved with a different compiler is never silently different.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kmeta::matrix {

// Yocto KARCH -> kernel ARCH ("" stays "").
std::string kernel_arch(std::string_view karch);

// What the BSP's requests say about its target (from the merged fragments).
struct TargetHints {
  bool is64 = false;           // CONFIG_64BIT=y or CONFIG_PPC64=y
  bool little_endian = false;  // CONFIG_CPU_LITTLE_ENDIAN=y
  bool big_endian = false;     // CONFIG_CPU_BIG_ENDIAN=y
};

// Debian cross-compiler prefixes for a kernel ARCH, best first (empty: the
// host compiler is the right one, e.g. x86 on an x86 host).
std::vector<std::string> debian_prefixes(const std::string& arch, const TargetHints& hints,
                                         const std::string& host_machine);

struct Toolchain {
  std::string arch;           // kernel ARCH
  bool cross = false;         // a CROSS_COMPILE prefix is used
  std::string cross_compile;  // the prefix ("" = host compiler)
  std::string wanted;         // the compiler kmeta looked for ("aarch64-linux-gnu-gcc"), "" = host is right
  bool found = true;          // `wanted` is installed (always true when nothing was wanted)
  std::string note;           // a sentence when the host compiler stands in for a missing cross compiler
  std::string key() const { return arch + " " + cross_compile; }
};

// `is_installed(name)` says whether a program is on PATH.
Toolchain choose_toolchain(const std::string& arch, const TargetHints& hints, const std::string& host_machine,
                           const std::function<bool(const std::string&)>& is_installed);

// A program name looked up in a PATH value (colon-separated), as execvp does.
bool on_path(const std::string& program, const std::string& path);

}  // namespace kmeta::matrix
