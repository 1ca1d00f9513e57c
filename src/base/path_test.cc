#include "base/path.h"

#include <gtest/gtest.h>

namespace kmeta {
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

}  // namespace
}  // namespace kmeta
