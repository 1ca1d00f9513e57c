#include "config/dotconfig.h"

#include <gtest/gtest.h>

namespace kmeta::config {
namespace {

TEST(DotConfig, ValueInReadsOnlyTheSymbolsLines) {
  std::string text =
      "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_A=y\n# CONFIG_B is not set\n"
      "CONFIG_AB=m\nCONFIG_S=\"CONFIG_A=n\"\nCONFIG_I=0x10\n# CONFIG_A_B is not set\nCONFIG_C=y";
  DotConfig d = DotConfig::parse(text);
  for (const char* n : {"A", "B", "AB", "S", "I", "A_B", "C", "D", "CONFIG_A", ""})
    EXPECT_EQ(DotConfig::value_in(text, n), d.value(n)) << n;
  EXPECT_EQ(DotConfig::value_in(text, "A"), "y");
  EXPECT_EQ(DotConfig::value_in(text, "S"), "\"CONFIG_A=n\"");
  EXPECT_EQ(DotConfig::value_in(text, "B"), "n");
  EXPECT_EQ(DotConfig::value_in(text, "C"), "y");
  EXPECT_EQ(DotConfig::value_in("CONFIG_X=y\nCONFIG_X=m\n", "X"), "m");  // the last line wins
}

}  // namespace
}  // namespace kmeta::config
