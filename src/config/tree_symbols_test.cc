#include "config/tree_symbols.h"

#include <gtest/gtest.h>

namespace kmeta::config {
namespace {

// The scan walks the tree through the FileSystem it is given: every Kconfig*
// file below the root, hidden directories skipped, definitions in path order.
TEST(TreeSymbols, ScansEveryKconfigThroughTheFileSystem) {
  auto fs = std::make_shared<MemoryFileSystem>();
  fs->add_file("/k/Kconfig", "config TOP\n\tbool\n");
  fs->add_file("/k/arch/x86/Kconfig", "menuconfig X86_ONLY\nconfig SHARED\n");
  fs->add_file("/k/arch/arm64/Kconfig.platforms", "config ARM_ONLY\n  config INDENTED\nconfig SHARED\n");
  fs->add_file("/k/.git/Kconfig", "config HIDDEN\n");
  fs->add_file("/k/drivers/Makefile", "config NOT_KCONFIG\n");
  TreeSymbols t("/k", fs);
  EXPECT_FALSE(t.scanned());
  const Location* top = t.find("TOP");
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->file, "Kconfig");
  EXPECT_EQ(top->line, 1);
  ASSERT_NE(t.find("X86_ONLY"), nullptr);
  EXPECT_EQ(t.find("X86_ONLY")->file, "arch/x86/Kconfig");
  std::vector<Location> shared = t.all("SHARED");
  ASSERT_EQ(shared.size(), 2u);
  EXPECT_EQ(shared[0].file, "arch/arm64/Kconfig.platforms");
  EXPECT_EQ(shared[0].line, 3);
  EXPECT_EQ(shared[1].file, "arch/x86/Kconfig");
  EXPECT_EQ(t.find("INDENTED"), nullptr);
  EXPECT_EQ(t.find("HIDDEN"), nullptr);
  EXPECT_EQ(t.find("NOT_KCONFIG"), nullptr);
  EXPECT_TRUE(t.scanned());
  // The index let go of the file system once it had scanned.
  EXPECT_EQ(fs.use_count(), 1);
}

}  // namespace
}  // namespace kmeta::config
