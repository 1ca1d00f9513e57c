#include "kbuild/toolchain.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "kbuild/kernel_env.h"
#include "kbuild/process.h"

namespace kmeta::kbuild {

bool detect_toolchain(const ArchInfo& arch, const ToolchainRequest& req, Toolchain* out, Diagnostics* diags) {
  Toolchain t;
  bool native = arch.native_on(req.host_machine);
  t.cross_compile = req.cross_compile ? *req.cross_compile : native ? "" : arch.cross_prefix;
  t.cc = t.cross_compile + "gcc";
  auto path = req.env.find("PATH");
  t.cc_path = kbuild::find_program(t.cc, path == req.env.end() ? "" : path->second);
  if (t.cc_path.empty()) {
    std::string package = t.cross_compile.empty()                ? "gcc"
                          : t.cross_compile == arch.cross_prefix ? arch.cross_package
                                                                 : "";
    if (package.empty())
      diags->error({}, fmt::format("{} not found in PATH (CROSS_COMPILE={} for ARCH={})", t.cc,
                                   t.cross_compile, arch.karch));
    else
      diags->error({}, fmt::format("{} not found in PATH: install Debian's {} (apt-get install {}) to build "
                                   "ARCH={}{}",
                                   t.cc, package, package, arch.karch,
                                   t.cross_compile.empty() ? "" : ", or give --cross-compile PREFIX"));
    return false;
  }
  std::string text;
  ProcessResult r = run_capture({t.cc_path, "--version"}, req.env, &text);
  if (!r.ok()) {
    diags->error({}, fmt::format("{} --version failed{}", t.cc_path, r.error.empty() ? "" : ": " + r.error));
    return false;
  }
  auto lines = split_lines(text);
  t.version = lines.empty() ? "" : std::string(trim(lines[0]));
  *out = std::move(t);
  return true;
}

}  // namespace kmeta::kbuild
