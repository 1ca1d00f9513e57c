// The compiler a build uses: the host gcc for a native build, Debian's cross
// gcc (<prefix>gcc, e.g. aarch64-linux-gnu-gcc) otherwise. A missing one is
// an error naming the Debian package to install.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "kbuild/arch.h"

namespace kmeta::kbuild {

struct Toolchain {
  std::string cross_compile;  // CROSS_COMPILE= ("" native)
  std::string cc;             // the compiler's name (<cross_compile>gcc)
  std::string cc_path;        // where PATH found it
  std::string version;        // first line of `cc --version`
};

struct ToolchainRequest {
  std::string host_machine;                  // uname -m
  std::optional<std::string> cross_compile;  // given by the user: used as it is ("" = native)
  std::map<std::string, std::string> env;    // PATH is searched; the --version probe runs with it
};

// Finds the compiler for `arch`. False + *error ("aarch64-linux-gnu-gcc not
// found in PATH: install Debian's gcc-aarch64-linux-gnu ...") when missing.
bool detect_toolchain(const ArchInfo& arch, const ToolchainRequest& req, Toolchain* out, Diagnostics* diags);

}  // namespace kmeta::kbuild
