#include "scc/fixup.h"

#include <gtest/gtest.h>

namespace kmeta::scc {
namespace {

TEST(Fixup, RewritesTheValueOfEveryMatchingLineOnly) {
  EXPECT_EQ(apply_fixup("CONFIG_A=y\nCONFIG_AB=y\n# CONFIG_A is not set\nCONFIG_A=y", "CONFIG_A", "m"),
            "CONFIG_A=m\nCONFIG_AB=y\n# CONFIG_A is not set\nCONFIG_A=m");
  // sed's `.` needs a character: a bare `OPT=` stays; only the first one is replaced.
  EXPECT_EQ(apply_fixup("CONFIG_A=\nCONFIG_A=yy\n", "CONFIG_A", "m"), "CONFIG_A=\nCONFIG_A=my\n");
}

}  // namespace
}  // namespace kmeta::scc
