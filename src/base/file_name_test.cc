#include "base/file_name.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <unordered_set>

#include "base/diagnostic.h"

namespace kmeta {
namespace {

TEST(FileName, ReadsLikeAString) {
  FileName f = std::string("arch/x86/Kconfig");
  EXPECT_EQ(f, "arch/x86/Kconfig");
  EXPECT_EQ(f, std::string("arch/x86/Kconfig"));
  EXPECT_EQ(f, std::string_view("arch/x86/Kconfig"));
  EXPECT_NE(f, "arch/arm64/Kconfig");
  EXPECT_EQ(f.size(), 16u);
  EXPECT_EQ(f + ":12", "arch/x86/Kconfig:12");
  EXPECT_EQ("in " + f, "in arch/x86/Kconfig");
  EXPECT_EQ(std::string("at ") + f, "at arch/x86/Kconfig");
  EXPECT_EQ(fmt::format("{}:{}", f, 3), "arch/x86/Kconfig:3");
  EXPECT_EQ(fmt::format("[{:>18}]", f), "[  arch/x86/Kconfig]");
  const std::string& s = f;
  EXPECT_EQ(s, "arch/x86/Kconfig");
  std::ostringstream os;
  os << f;
  EXPECT_EQ(os.str(), "arch/x86/Kconfig");
}

TEST(FileName, EmptyIsTheDefault) {
  FileName f;
  EXPECT_TRUE(f.empty());
  EXPECT_EQ(f, "");
  EXPECT_EQ(f.str(), "");
  EXPECT_TRUE(FileName("").empty());
  EXPECT_EQ(FileName(), FileName(""));
}

TEST(FileName, CopiesShareOneBuffer) {
  FileName a("drivers/net/Kconfig");
  FileName b = a;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  EXPECT_TRUE(a.shares(b));
  EXPECT_EQ(a.c_str(), b.c_str());
  // The same path made twice: equal, but not shared.
  FileName c("drivers/net/Kconfig");
  EXPECT_EQ(a, c);
  EXPECT_FALSE(a.shares(c));
  // Locations copy the handle.
  Location l1{a, 3, 0}, l2 = l1;
  EXPECT_EQ(l1.file.c_str(), l2.file.c_str());
  EXPECT_EQ(l2.str(), "drivers/net/Kconfig:3");
}

TEST(FileName, OrdersAndHashesByContent) {
  std::map<FileName, int> m{{FileName("b"), 2}, {FileName("a"), 1}};
  EXPECT_EQ(m.begin()->first, "a");
  EXPECT_LT(FileName("a"), FileName("b"));
  std::unordered_set<FileName> s{FileName("x"), FileName("x"), FileName("y")};
  EXPECT_EQ(s.size(), 2u);
}

}  // namespace
}  // namespace kmeta
