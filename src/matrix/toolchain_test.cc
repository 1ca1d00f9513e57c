#include "matrix/toolchain.h"

#include <gtest/gtest.h>

#include <set>

namespace kmeta::matrix {
namespace {

TEST(KernelArch, YoctoKarchToKernelArch) {
  EXPECT_EQ(kernel_arch("x86-64"), "x86");
  EXPECT_EQ(kernel_arch("x86_64"), "x86");
  EXPECT_EQ(kernel_arch("i386"), "x86");
  EXPECT_EQ(kernel_arch("riscv64"), "riscv");
  EXPECT_EQ(kernel_arch("riscv32"), "riscv");
  EXPECT_EQ(kernel_arch("arm64"), "arm64");
  EXPECT_EQ(kernel_arch("arm"), "arm");
  EXPECT_EQ(kernel_arch("mips"), "mips");
  EXPECT_EQ(kernel_arch("powerpc"), "powerpc");
  EXPECT_EQ(kernel_arch("microblaze"), "microblaze");
  EXPECT_EQ(kernel_arch("arc"), "arc");
  EXPECT_EQ(kernel_arch(""), "");
}

TEST(Toolchain, TargetHintsPickTheTriplet) {
  TargetHints le64{true, true, false}, be32{false, false, true}, le32{false, true, false};
  EXPECT_EQ(debian_prefixes("mips", le64, "x86_64").front(), "mips64el-linux-gnuabi64-");
  EXPECT_EQ(debian_prefixes("mips", be32, "x86_64").front(), "mips-linux-gnu-");
  EXPECT_EQ(debian_prefixes("mips", le32, "x86_64").front(), "mipsel-linux-gnu-");
  EXPECT_EQ(debian_prefixes("powerpc", {true, false, true}, "x86_64").front(), "powerpc64-linux-gnu-");
  EXPECT_EQ(debian_prefixes("powerpc", {}, "x86_64").front(), "powerpc-linux-gnu-");
  EXPECT_TRUE(debian_prefixes("x86", {}, "x86_64").empty());
  EXPECT_EQ(debian_prefixes("arm64", {}, "x86_64").front(), "aarch64-linux-gnu-");
  EXPECT_TRUE(debian_prefixes("arm64", {}, "aarch64").empty());
}

TEST(Toolchain, InstalledCompilerIsUsedMissingOneIsStated) {
  std::set<std::string> installed = {"arm-linux-gnueabi-gcc"};
  auto has = [&](const std::string& p) { return installed.count(p) > 0; };
  Toolchain arm = choose_toolchain("arm", {}, "x86_64", has);
  EXPECT_TRUE(arm.cross);
  EXPECT_TRUE(arm.found);
  EXPECT_EQ(arm.cross_compile, "arm-linux-gnueabi-");  // the second choice, installed
  Toolchain mb = choose_toolchain("microblaze", {}, "x86_64", has);
  EXPECT_FALSE(mb.cross);
  EXPECT_FALSE(mb.found);
  EXPECT_EQ(mb.wanted, "microblaze-linux-gnu-gcc");
  EXPECT_NE(mb.note.find("not installed"), std::string::npos);
  Toolchain x86 = choose_toolchain("x86", {}, "x86_64", has);
  EXPECT_FALSE(x86.cross);
  EXPECT_TRUE(x86.found);
  EXPECT_TRUE(x86.note.empty());
  EXPECT_NE(arm.key(), x86.key());
}

TEST(Toolchain, OnPath) {
  EXPECT_TRUE(on_path("sh", "/nonexistent:/bin:/usr/bin"));
  EXPECT_FALSE(on_path("sh", "/nonexistent"));
  EXPECT_FALSE(on_path("no-such-program-kmeta", "/bin:/usr/bin"));
}

}  // namespace
}  // namespace kmeta::matrix
