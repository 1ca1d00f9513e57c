#include "kbuild/preflight.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/testing/diagnostics.h"

namespace kmeta::kbuild {
namespace {

namespace fs = std::filesystem;

class Preflight : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kbuild-pre-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    ASSERT_TRUE(write_file_atomic(
        root_ + "/Makefile",
        "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\nEXTRAVERSION =\nNAME = Baby Opossum\n"));
    ASSERT_TRUE(write_file_atomic(root_ + "/Kconfig", "mainmenu \"x\"\n"));
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string root_;
};

TEST_F(Preflight, KernelTree) {
  Diagnostics err;
  auto v = check_kernel_tree(root_, &err);
  ASSERT_TRUE(v) << kmeta::testing::error_text(err);
  EXPECT_EQ(v->str(), "6.12.118");
  EXPECT_FALSE(check_kernel_tree(root_ + "/nope", &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("does not exist"), std::string::npos);
  fs::remove(root_ + "/Kconfig");
  err.clear();
  EXPECT_FALSE(check_kernel_tree(root_, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("not a kernel source tree"), std::string::npos)
      << kmeta::testing::error_text(err);
}

TEST_F(Preflight, CleanForO) {
  Diagnostics err;
  EXPECT_TRUE(check_clean_for_o(root_, "arm64", &err));
  ASSERT_TRUE(write_file_atomic(root_ + "/.config", "CONFIG_X=y\n"));
  EXPECT_FALSE(check_clean_for_o(root_, "arm64", &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("mrproper"), std::string::npos)
      << kmeta::testing::error_text(err);
  fs::remove(root_ + "/.config");
  fs::create_directories(root_ + "/arch/arm64/include/generated");
  EXPECT_FALSE(check_clean_for_o(root_, "arm64", &err));
  EXPECT_TRUE(check_clean_for_o(root_, "x86", &err));
}

TEST_F(Preflight, ConfigHeader) {
  Diagnostics err;
  auto v = check_kernel_tree(root_, &err);
  auto arm64 = arch_info("arm64", &err);
  auto x86 = arch_info("x86_64", &err);
  const char* header =
      "#\n# Automatically generated file; DO NOT EDIT.\n# Linux/arm64 6.12.118 Kernel Configuration\n#\n";
  Diagnostics d;
  EXPECT_TRUE(check_config_matches("b/.config", header, *arm64, *v, &d));
  EXPECT_TRUE(d.items().empty());
  EXPECT_FALSE(check_config_matches("b/.config", header, *x86, *v, &d));
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].where.str(), "b/.config:3");
  EXPECT_NE(d.items()[0].message.find("for ARCH=arm64, not x86_64"), std::string::npos);
  d.clear();
  EXPECT_FALSE(
      check_config_matches("b/.config", "#\n#\n# Linux/x86 6.1.192 Kernel Configuration\n", *x86, *v, &d));
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_NE(d.items()[0].message.find("made for Linux 6.1.192, the kernel tree is 6.12.118"),
            std::string::npos);
  d.clear();
  EXPECT_TRUE(check_config_matches("frag", "CONFIG_X=y\n", *x86, *v, &d));
}

TEST_F(Preflight, DiskSpace) {
  Diagnostics err;
  EXPECT_TRUE(check_disk_space(root_ + "/not/yet", 1, &err));
  EXPECT_FALSE(check_disk_space(root_, ~uint64_t{0} >> 1, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("MiB free"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::kbuild
