#include "kbuild/arch.h"

#include <gtest/gtest.h>

#include "base/testing/diagnostics.h"

namespace kmeta::kbuild {
namespace {

TEST(Arch, YoctoNamesMapToKbuild) {
  Diagnostics err;
  auto x86 = arch_info("x86", &err);
  ASSERT_TRUE(x86) << kmeta::testing::error_text(err);
  EXPECT_EQ(x86->karch, "x86");
  EXPECT_EQ(x86->srcarch, "x86");
  EXPECT_EQ(x86->image, "bzImage");
  EXPECT_EQ(x86->image_path(), "arch/x86/boot/bzImage");
  EXPECT_FALSE(x86->dtbs);

  auto x86_64 = arch_info("x86_64", &err);
  ASSERT_TRUE(x86_64);
  EXPECT_EQ(x86_64->karch, "x86_64");  // not x86: tinyconfig would turn 64BIT off
  EXPECT_EQ(x86_64->srcarch, "x86");

  auto arm64 = arch_info("aarch64", &err);
  ASSERT_TRUE(arm64);
  EXPECT_EQ(arm64->karch, "arm64");
  EXPECT_EQ(arm64->image, "Image");
  EXPECT_TRUE(arm64->dtbs);
  EXPECT_EQ(arm64->cross_prefix, "aarch64-linux-gnu-");
  EXPECT_EQ(arm64->cross_package, "gcc-aarch64-linux-gnu");
  EXPECT_EQ(arm64->elf_machine, 183);

  auto arm = arch_info("ARM", &err);
  ASSERT_TRUE(arm);
  EXPECT_EQ(arm->image, "zImage");
  EXPECT_EQ(arm->cross_package, "gcc-arm-linux-gnueabihf");

  auto rv = arch_info("riscv", &err);
  ASSERT_TRUE(rv);
  EXPECT_EQ(rv->image_path(), "arch/riscv/boot/Image");
  EXPECT_EQ(rv->cross_package, "gcc-riscv64-linux-gnu");
}

TEST(Arch, NativeHosts) {
  Diagnostics err;
  EXPECT_TRUE(arch_info("x86", &err)->native_on("x86_64"));
  EXPECT_FALSE(arch_info("arm64", &err)->native_on("x86_64"));
  EXPECT_TRUE(arch_info("arm64", &err)->native_on("aarch64"));
}

TEST(Arch, UnknownSuggests) {
  Diagnostics err;
  EXPECT_FALSE(arch_info("aarch65", &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("did you mean 'aarch64'"), std::string::npos)
      << kmeta::testing::error_text(err);
  err.clear();
  EXPECT_FALSE(arch_info("sparc", &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("known: x86"), std::string::npos)
      << kmeta::testing::error_text(err);
}

TEST(Arch, HeaderArch) {
  EXPECT_EQ(srcarch_of("x86_64"), "x86");
  EXPECT_EQ(srcarch_of("arm64"), "arm64");
  EXPECT_EQ(srcarch_of("mips"), "");
}

}  // namespace
}  // namespace kmeta::kbuild
