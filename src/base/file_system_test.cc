#include "base/file_system.h"

#include <gtest/gtest.h>

namespace kmeta {
namespace {

TEST(MemoryFileSystem, FilesDirsAndListing) {
  MemoryFileSystem fs;
  fs.add_file("/k/features/a/a.scc", "x");
  fs.add_file("/k/features/a/b.cfg", "y");
  fs.add_dir("/k/empty");
  EXPECT_EQ(fs.type("/k/features/a/a.scc"), FileType::regular);
  EXPECT_EQ(fs.type("/k/features"), FileType::directory);
  EXPECT_EQ(fs.type("/k/empty"), FileType::directory);
  EXPECT_EQ(fs.type("/k/nope"), FileType::missing);
  EXPECT_EQ(*fs.read("/k/features/./a/../a/b.cfg"), "y");
  EXPECT_EQ(fs.canonical("/k/features/a/../a/new.scc").value(), "/k/features/a/new.scc");
  EXPECT_FALSE(fs.canonical("/k/missing/dir/x").has_value());
  auto l = fs.list("/k/features/a");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "a.scc");
  EXPECT_EQ(l[1].name, "b.cfg");
  auto top = fs.list("/k");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_TRUE(top[0].is_dir);
}

TEST(DiskFileSystem, CanonicalResolvesLikeReadlinkF) {
  DiskFileSystem fs;
  std::string src = KMETA_SOURCE_DIR;
  EXPECT_EQ(fs.canonical(src + "/src/scc/../scc/fs.h").value_or(""),
            fs.canonical(src + "/src/scc/fs.h").value_or("x"));
  // A missing last component is accepted, a missing parent is not.
  EXPECT_TRUE(fs.canonical(src + "/src/scc/does-not-exist").has_value());
  EXPECT_FALSE(fs.canonical(src + "/no/such/dir/x").has_value());
  EXPECT_TRUE(fs.is_file(src + "/src/scc/fs.h"));
  EXPECT_TRUE(fs.is_dir(src + "/src/scc"));
}

}  // namespace
}  // namespace kmeta
