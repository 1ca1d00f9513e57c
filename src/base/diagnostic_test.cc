#include "base/diagnostic.h"

#include <gtest/gtest.h>

namespace kmeta {
namespace {

TEST(Diagnostic, RendersLocationSeverityAndChain) {
  Diagnostics d;
  d.error({"bsp/a.scc", 12, 0}, "unknown command 'kconfig'", {{"bsp/b.scc", 3, 0}, {"top.scc", 1, 0}});
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].render(),
            "bsp/a.scc:12: error: unknown command 'kconfig'\n"
            "  included from bsp/b.scc:3\n"
            "  included from top.scc:1");
  EXPECT_TRUE(d.has_errors());
}

TEST(Diagnostic, CountsBySeverity) {
  Diagnostics d;
  d.warning({"f", 1, 2}, "w");
  d.note({}, "n");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.warning_count(), 1u);
  EXPECT_EQ(d.render(), "f:1:2: warning: w\nnote: n\n");
}

}  // namespace
}  // namespace kmeta
