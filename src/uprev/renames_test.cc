#include "uprev/renames.h"

#include <gtest/gtest.h>

#include "kconfig/parse_testing.h"

namespace kmeta::uprev {
namespace {

using kconfig::testing::parse_files;

TEST(Renames, SamePromptAndPlaceRanksFirst) {
  auto old_tree = parse_files(
      {{"Kconfig", "source \"drivers/Kconfig\"\n"},
       {"drivers/Kconfig",
        "config FOO_BASE\n\tbool \"Base\"\n"
        "config FOO_OLD_NAME\n\tbool \"Frobnicate widgets\"\n\thelp\n\t  Frobnicates the widgets of "
        "the board.\n"
        "config FOO_TAIL\n\tbool \"Tail\"\n"}});
  auto new_tree =
      parse_files({{"Kconfig", "source \"drivers/Kconfig\"\n"},
                   {"drivers/Kconfig",
                    "config FOO_BASE\n\tbool \"Base\"\n"
                    "config FOO_NEW_NAME\n\tbool \"Frobnicate widgets\"\n\thelp\n\t  Frobnicates the widgets "
                    "of the board.\n"
                    "config FOO_OLD_NAMES\n\tint \"Something else\"\n"
                    "config FOO_TAIL\n\tbool \"Tail\"\n"}});
  ASSERT_TRUE(old_tree.model && new_tree.model);
  RenameIndex idx(*old_tree.model, "", *new_tree.model, "");
  EXPECT_EQ(idx.vanished(), std::vector<std::string>{"FOO_OLD_NAME"});
  auto c = idx.candidates("FOO_OLD_NAME");
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(c[0].symbol, "FOO_NEW_NAME");
  EXPECT_GE(c[0].score, kProbableRename);
  EXPECT_TRUE(c[0].new_in_to);
  EXPECT_NE(c[0].evidence[0].find("same prompt"), std::string::npos);
  // A near-identical name of another type, another prompt: ranked below.
  EXPECT_EQ(c[1].symbol, "FOO_OLD_NAMES");
  EXPECT_LT(c[1].score, kProbableRename);
}

TEST(Renames, HelpTextNamingTheOldSymbol) {
  auto old_tree = parse_files({{"Kconfig", "config LEGACY_THING\n\tbool \"Legacy\"\n"}});
  auto new_tree = parse_files(
      {{"Kconfig", "config MODERN\n\tbool \"Modern support\"\n\thelp\n\t  Replaces CONFIG_LEGACY_THING.\n"}});
  RenameIndex idx(*old_tree.model, "", *new_tree.model, "");
  auto c = idx.candidates("LEGACY_THING");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].symbol, "MODERN");
  EXPECT_NE(c[0].evidence[0].find("help text names"), std::string::npos);
}

TEST(Renames, NothingForASymbolNewStillHas) {
  auto t = parse_files({{"Kconfig", "config A\n\tbool \"A\"\n"}});
  RenameIndex idx(*t.model, "", *t.model, "");
  EXPECT_TRUE(idx.vanished().empty());
  EXPECT_TRUE(idx.candidates("A").empty());
}

TEST(Renames, Similarities) {
  EXPECT_DOUBLE_EQ(name_similarity("ABCD", "ABCD"), 1.0);
  EXPECT_DOUBLE_EQ(name_similarity("ABCD", "ABCE"), 0.75);
  EXPECT_DOUBLE_EQ(text_similarity("the quick fox", "THE quick dog"), 0.5);
  EXPECT_DOUBLE_EQ(text_similarity("", "x"), 0.0);
}

}  // namespace
}  // namespace kmeta::uprev
