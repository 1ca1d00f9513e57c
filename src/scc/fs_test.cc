#include "scc/fs.h"

#include <gtest/gtest.h>

namespace kmeta::scc {
namespace {

TEST(Paths, DirnameBasenameLikeCoreutils) {
  struct {
    const char *in, *dir, *base;
  } cases[] = {{"", ".", ""},      {"/", "/", "/"},
               {"//", "/", "/"},   {"//a", "/", "a"},
               {"/a", "/", "a"},   {"a", ".", "a"},
               {"a/", ".", "a"},   {"a/b/", "a", "b"},
               {"a//b", "a", "b"}, {"/a/b/../c", "/a/b/..", "c"},
               {"..", ".", ".."},  {"a/.", "a", "."}};
  for (const auto& c : cases) {
    EXPECT_EQ(path_dirname(c.in), c.dir) << c.in;
    EXPECT_EQ(path_basename(c.in), c.base) << c.in;
  }
}

TEST(Paths, LexicallyNormal) {
  EXPECT_EQ(lexically_normal("/a//b/./c/../d"), "/a/b/d");
  EXPECT_EQ(lexically_normal("/../a"), "/a");
  EXPECT_EQ(lexically_normal("a/../../b"), "../b");
  EXPECT_EQ(lexically_normal("configs/v/bsp/a/../foo/x.cfg"), "configs/v/bsp/foo/x.cfg");
  EXPECT_EQ(lexically_normal(""), ".");
  EXPECT_EQ(lexically_normal("/"), "/");
  EXPECT_EQ(absolute_path("x/y", "/cwd"), "/cwd/x/y");
  EXPECT_EQ(absolute_path("/x", "/cwd"), "/x");
  EXPECT_TRUE(path_within("/a/b/c", "/a/b"));
  EXPECT_FALSE(path_within("/a/bc", "/a/b"));
}

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
}  // namespace kmeta::scc
