#include "bundle/kernel_inputs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "bundle/test_util.h"

namespace kmeta::bundle {
namespace {

using testing::fixture;

TEST(ResolveInputs, FixtureDirectories) {
  for (const char* arch : {"x86_64", "arm64"}) {
    InputRequest r;
    r.build_dir = fixture(arch);
    KernelInputs in;
    Diagnostics d;
    ASSERT_TRUE(resolve_inputs(r, &in, &d)) << d.render();
    EXPECT_EQ(in.arch, arch);
    EXPECT_EQ(in.release, "6.12.118");
    EXPECT_EQ(in.image_release, "6.12.118");
    EXPECT_EQ(in.image, fixture(arch) + "/" + image_name_for_arch(arch));
    EXPECT_EQ(in.modules_dir, fixture(arch) + "/lib/modules/6.12.118");
    EXPECT_EQ(in.config, fixture(arch) + "/config");
  }
}

TEST(ResolveInputs, KbuildLayoutWithExplicitModulesDir) {
  testing::TempDir t;
  std::string b = t.path + "/build";
  std::filesystem::create_directories(b + "/arch/arm64/boot");
  std::filesystem::create_directories(b + "/include/config");
  std::filesystem::copy_file(fixture("arm64") + "/Image", b + "/arch/arm64/boot/Image");
  std::filesystem::copy_file(fixture("arm64") + "/config", b + "/.config");
  std::filesystem::copy_file(fixture("arm64") + "/System.map", b + "/System.map");
  ASSERT_TRUE(write_file_atomic(b + "/include/config/kernel.release", "6.12.118\n"));
  InputRequest r;
  r.build_dir = b;
  r.modules_dir = fixture("arm64") + "/lib/modules/6.12.118";
  KernelInputs in;
  Diagnostics d;
  ASSERT_TRUE(resolve_inputs(r, &in, &d)) << d.render();
  EXPECT_EQ(in.image, b + "/arch/arm64/boot/Image");
  EXPECT_EQ(in.config, b + "/.config");
  // A release that disagrees with the image is an error.
  ASSERT_TRUE(write_file_atomic(b + "/include/config/kernel.release", "6.12.999\n"));
  Diagnostics d2;
  EXPECT_FALSE(resolve_inputs(r, &in, &d2));
  EXPECT_NE(d2.render().find("the image is Linux 6.12.118 but the modules are for 6.12.999"),
            std::string::npos)
      << d2.render();
}

TEST(ResolveInputs, MissingInputsSayWhatProducesThem) {
  testing::TempDir t;
  InputRequest r;
  r.build_dir = t.path;
  KernelInputs in;
  Diagnostics d;
  EXPECT_FALSE(resolve_inputs(r, &in, &d));
  EXPECT_NE(
      d.render().find("kernel .config not found at " + t.path + "/.config. build it first with: kmeta build"),
      std::string::npos)
      << d.render();
}

TEST(ReadDotconfig, Values) {
  auto v = read_dotconfig_values("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x\"\n");
  EXPECT_EQ(v["CONFIG_A"], "y");
  EXPECT_EQ(v["CONFIG_B"], "n");
  EXPECT_EQ(v["CONFIG_C"], "\"x\"");
}

}  // namespace
}  // namespace kmeta::bundle
