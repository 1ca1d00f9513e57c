#include "matrix/entry_points.h"

#include <gtest/gtest.h>

#include "matrix/toolchain.h"

namespace kmeta::matrix {
namespace {

std::string arch_of(std::string_view k) { return kernel_arch(k); }

TEST(SccDefines, ReadsDefineLines) {
  auto d =
      scc_defines("# c\n  define KMACHINE  qemux86-64 \ndefineX no\ndefine KTYPE\tstandard\ninclude x.scc\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], (std::pair<std::string, std::string>{"KMACHINE", "qemux86-64"}));
  EXPECT_EQ(d[1], (std::pair<std::string, std::string>{"KTYPE", "standard"}));
}

TEST(EntryPoints, EveryMachineTypePairAsSppFindsIt) {
  scc::MemoryFileSystem fs;
  fs.add_file("/c/bsp/pc/pc-standard.scc",
              "define KMACHINE pc\ndefine KMACHINE qemux86-64\ndefine KTYPE standard\ndefine KARCH x86_64\n");
  fs.add_file("/c/bsp/pc/pc-tiny.scc", "define KMACHINE pc\ndefine KTYPE tiny\ndefine KARCH i386\n");
  fs.add_file("/c/bsp/arm/board.scc", "define KMACHINE board\ndefine KTYPE standard\ndefine KARCH arm64\n");
  fs.add_file("/c/features/f.scc", "define KFEATURE_DESCRIPTION \"x\"\nkconf hardware f.cfg\n");
  fs.add_file("/c/bsp/nokind.scc", "define KMACHINE lonely\n");
  fs.add_dir("/k/arch/x86/configs");
  fs.add_dir("/k/kernel/configs");
  std::vector<EntryPoint> eps = find_entry_points(fs, {"/c"}, "/k", arch_of);
  ASSERT_EQ(eps.size(), 4u);
  EXPECT_EQ(eps[0].id(), "board/standard");
  EXPECT_EQ(eps[0].karch, "arm64");
  EXPECT_EQ(eps[0].definition, "/c/bsp/arm/board.scc");
  EXPECT_EQ(eps[1].id(), "pc/standard");
  EXPECT_EQ(eps[2].id(), "pc/tiny");
  EXPECT_EQ(eps[2].definition, "/c/bsp/pc/pc-tiny.scc");
  EXPECT_EQ(eps[2].karch, "i386");
  EXPECT_EQ(eps[3].id(), "qemux86-64/standard");
  EXPECT_EQ(eps[3].definition, "/c/bsp/pc/pc-standard.scc");
}

}  // namespace
}  // namespace kmeta::matrix
