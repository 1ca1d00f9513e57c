// Against the real compilers on this machine: the host gcc is always there
// (setup installs it), aarch64-linux-gnu-gcc comes with scripts/kernels.sh.
#include "kbuild/toolchain.h"

#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <cstdlib>

#include "base/testing/diagnostics.h"

namespace kmeta::kbuild {
namespace {

ToolchainRequest request(std::string path) {
  ToolchainRequest r;
  struct utsname u;
  ::uname(&u);
  r.host_machine = u.machine;
  r.env = {{"PATH", std::move(path)}};
  return r;
}

TEST(Toolchain, NativeIsTheHostGcc) {
  Diagnostics err;
  auto arch = arch_info("x86_64", &err);
  ToolchainRequest req = request(std::getenv("PATH"));
  if (req.host_machine != "x86_64") GTEST_SKIP() << "host is " << req.host_machine;
  Toolchain t;
  ASSERT_TRUE(detect_toolchain(*arch, req, &t, &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(t.cross_compile, "");
  EXPECT_EQ(t.cc, "gcc");
  EXPECT_NE(t.version.find("gcc"), std::string::npos) << t.version;
}

TEST(Toolchain, DebianCrossCompiler) {
  Diagnostics err;
  auto arch = arch_info("arm64", &err);
  ToolchainRequest req = request(std::getenv("PATH"));
  if (req.host_machine == "aarch64") GTEST_SKIP() << "native host";
  Toolchain t;
  ASSERT_TRUE(detect_toolchain(*arch, req, &t, &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(t.cross_compile, "aarch64-linux-gnu-");
  EXPECT_EQ(t.cc_path, "/usr/bin/aarch64-linux-gnu-gcc");
  EXPECT_NE(t.version.find("aarch64-linux-gnu-gcc"), std::string::npos) << t.version;
}

TEST(Toolchain, MissingNamesThePackage) {
  Diagnostics err;
  for (const char* a : {"arm64", "arm", "riscv"}) {
    auto arch = arch_info(a, &err);
    ToolchainRequest req = request("/nonexistent");
    Toolchain t;
    err.clear();
    EXPECT_FALSE(detect_toolchain(*arch, req, &t, &err));
    EXPECT_NE(kmeta::testing::error_text(err).find("install Debian's " + arch->cross_package),
              std::string::npos)
        << kmeta::testing::error_text(err);
    EXPECT_NE(kmeta::testing::error_text(err).find(arch->cross_prefix + "gcc not found in PATH"),
              std::string::npos)
        << kmeta::testing::error_text(err);
  }
}

TEST(Toolchain, GivenPrefixIsUsedAsIs) {
  Diagnostics err;
  auto arch = arch_info("arm64", &err);
  ToolchainRequest req = request("/nonexistent");
  req.cross_compile = "my-vendor-";
  Toolchain t;
  EXPECT_FALSE(detect_toolchain(*arch, req, &t, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("my-vendor-gcc not found"), std::string::npos)
      << kmeta::testing::error_text(err);
  EXPECT_EQ(kmeta::testing::error_text(err).find("install Debian"), std::string::npos)
      << kmeta::testing::error_text(err);
}

}  // namespace
}  // namespace kmeta::kbuild
