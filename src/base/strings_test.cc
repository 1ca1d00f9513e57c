#include "base/strings.h"

#include <gtest/gtest.h>

namespace kmeta {
namespace {

TEST(Strings, SplitKeepsEmptyFields) {
  auto v = split("a,,b", ',');
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1], "");
  EXPECT_EQ(split_lines("x\ny\n").size(), 2u);
  EXPECT_TRUE(split_lines("").empty());
}

TEST(Strings, StrCat) {
  EXPECT_EQ(str_cat({}), "");
  EXPECT_EQ(str_cat({"a"}), "a");
  EXPECT_EQ(str_cat({"", "/", "b"}), "/b");
  std::string dir = "x/y";
  std::string_view name = "z";
  std::string out = str_cat({dir, "/", name, std::string(1, '\0'), "!"});
  EXPECT_EQ(out, std::string("x/y/z\0!", 7));
  EXPECT_EQ(out.size(), 7u);
}

TEST(Strings, Trim) {
  EXPECT_EQ(trim("  a b\t\n"), "a b");
  EXPECT_EQ(trim(" \t"), "");
}

TEST(Strings, EditDistance) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_GT(edit_distance("a", "abcdefgh", 2), 2u);
}

TEST(Strings, SuggestFindsCloseTyposOnly) {
  std::vector<std::string> cmds = {"config", "conf", "scc", "audit"};
  EXPECT_EQ(suggest("confg", cmds), "config");  // ties: first candidate
  EXPECT_EQ(suggest("scx", cmds), "scc");
  EXPECT_EQ(suggest("auditt", cmds), "audit");
  EXPECT_EQ(suggest("zzzzzz", cmds), "");
  std::vector<std::string> classes = {"hardware", "non-hardware"};
  EXPECT_EQ(suggest("non-hareware", classes), "non-hardware");
}

TEST(Strings, EchoWordsIsWhatShEchoes) {
  EXPECT_EQ(echo_words("  kconf  a.cfg\t#  hardware\n"), "kconf a.cfg # hardware");
  EXPECT_EQ(echo_words("one"), "one");
  EXPECT_EQ(echo_words(" \t\n"), "");
  EXPECT_EQ(echo_words("x\n\ny"), "x y");
}

}  // namespace
}  // namespace kmeta
