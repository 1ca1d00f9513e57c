#include "uprev/diffconfig.h"

#include <gtest/gtest.h>

#include "base/testing/diagnostics.h"

namespace kmeta::uprev {
namespace {

std::string diff(const std::string& a, const std::string& b, bool merge = false) {
  ConfigValues va, vb;
  Diagnostics err;
  EXPECT_TRUE(read_values(a, "a", &va, &err)) << kmeta::testing::error_text(err);
  EXPECT_TRUE(read_values(b, "b", &vb, &err)) << kmeta::testing::error_text(err);
  return render_diffconfig(diff_values(va, vb), merge);
}

TEST(Diffconfig, GroupsRemovedChangedAddedEachSorted) {
  std::string a = "CONFIG_B=y\nCONFIG_A=m\n# CONFIG_C is not set\nCONFIG_S=\"x\"\n";
  std::string b = "CONFIG_Z=y\nCONFIG_A=y\nCONFIG_C=y\nCONFIG_S=\"x\"\nCONFIG_D=64\n";
  EXPECT_EQ(diff(a, b), "-B y\n A m -> y\n C n -> y\n+D 64\n+Z y\n");
}

TEST(Diffconfig, MergeStylePrintsNewValuesAsConfigLines) {
  std::string a = "CONFIG_A=y\nCONFIG_B=y\nCONFIG_E=1\n";
  std::string b = "CONFIG_A=m\n# CONFIG_B is not set\nCONFIG_C=y\nCONFIG_E=\n";
  // Removed names print nothing; an empty new value prints nothing.
  EXPECT_EQ(diff(a, b, true), "CONFIG_A=m\n# CONFIG_B is not set\nCONFIG_C=y\n");
}

TEST(Diffconfig, DropsTheLastCharacterOfAFinalLineWithoutNewline) {
  EXPECT_EQ(diff("CONFIG_A=y\n", "CONFIG_A=yes"), " A y -> ye\n");
}

TEST(Diffconfig, ValuesKeepCommentsAndTheLaterLineWins) {
  EXPECT_EQ(diff("CONFIG_A=y # note\nCONFIG_A=m\n", "CONFIG_A=y # note\n"), " A m -> y # note\n");
}

TEST(Diffconfig, NotSetNameIsCutByCharacterPosition) {
  // line[9:-11]: the nine first characters are skipped whatever they are.
  EXPECT_EQ(diff("", "#xCONFIG_FOO is not set\n"), "+FOO n\n");
  EXPECT_EQ(diff("", "short is not set\n"), "+ n\n");
  // Characters, not bytes: "é" is one character.
  EXPECT_EQ(diff("", "# CONFIGé_X is not set\n"), "+_X n\n");
}

TEST(Diffconfig, UniversalNewlines) {
  EXPECT_EQ(diff("CONFIG_A=y\r\nCONFIG_B=y\rCONFIG_C=y\n", ""), "-A y\n-B y\n-C y\n");
}

TEST(Diffconfig, ConfigLineWithoutEqualsIsAnError) {
  ConfigValues v;
  Diagnostics err;
  EXPECT_FALSE(read_values("CONFIG_A=y\nCONFIG_B\n", "f", &v, &err));
  ASSERT_EQ(err.error_count(), 1u);
  EXPECT_EQ(err.items()[0].where.str(), "f:2");
  err.clear();
  EXPECT_FALSE(read_values("CONFIG_A=\xff\n", "f", &v, &err));
  ASSERT_EQ(err.error_count(), 1u);
  EXPECT_EQ(err.items()[0].where.str(), "f:1");
}

}  // namespace
}  // namespace kmeta::uprev
