#include "config/queue_facts.h"

#include <gtest/gtest.h>

#include "config/test_util.h"

namespace kmeta::config {
namespace {

TEST(QueueFacts, SplitOptionLikeSymbolWhy) {
  auto o = split_queue_option("CONFIG_A=y # OVERRIDE:$MODULE_OR_Y\n");
  EXPECT_EQ(o.kind, QueueOption::option);
  EXPECT_EQ(o.name, "CONFIG_A");
  EXPECT_EQ(o.value, "y");
  o = split_queue_option("# CONFIG_B is not set # trailing");
  EXPECT_EQ(o.kind, QueueOption::option);
  EXPECT_EQ(o.value, "n");
  EXPECT_EQ(split_queue_option("#CONFIG_C is not set").kind, QueueOption::invalid);
  EXPECT_EQ(split_queue_option("# CONFIG_C").kind, QueueOption::invalid);
  EXPECT_EQ(split_queue_option("# just a comment").kind, QueueOption::none);
  EXPECT_EQ(split_queue_option("CONFIG_D = y").kind, QueueOption::invalid);
  EXPECT_EQ(split_queue_option("CONFIG_E=").kind, QueueOption::invalid);
  EXPECT_EQ(split_queue_option("CONFIG_F").kind, QueueOption::none);
  EXPECT_EQ(split_queue_option(" #").kind, QueueOption::none);
  EXPECT_EQ(split_queue_option("CONFIG_S=\"a b\"").value, "\"a");
}

QueuedFragment frag(std::string name, std::string text) {
  QueuedFragment q;
  q.fragment = parse_fragment(name, std::move(text));
  q.queue_name = std::move(name);
  return q;
}

TEST(QueueFacts, QueuedTwiceCountsOnce) {
  QueueFacts f = read_queue_facts({frag("a.cfg", "CONFIG_A=y\n"), frag("b.cfg", "CONFIG_A=m\nCONFIG_A=y\n"),
                                   frag("a.cfg", "CONFIG_A=y\n")});
  std::string want =
      "[INFO]: redefined configuration option report:\n\n"
      "    - option CONFIG_A is defined more than once\n"
      "       - a.cfg (y)\n"
      "       - b.cfg (y)\n";
  EXPECT_EQ(render_sanity_report(f), want);
  EXPECT_EQ(render_sanity_report(f, {"A"}), "");
  auto none = [](const std::string&) { return false; };
  EXPECT_EQ(render_invalid_report(
                f, false, [](const std::string&) { return true; }, none),
            "\n[INFO]: Fragments with duplicated configuration options:\n"
            "    - fragment b.cfg has a duplicated option: CONFIG_A\n");
  EXPECT_EQ(render_invalid_report(f, false, none, none),
            "\n[INFO]: Fragments with duplicated configuration options:\n"
            "    - fragment b.cfg has a duplicated option: CONFIG_A\n"
            "\n[INFO]: the following symbols were not found in the active configuration:\n"
            "     - CONFIG_A\n");
}

TEST(QueueFacts, GoldenRedefinitionReports) {
  auto bsps = testing::golden_bsps();
  if (bsps.empty()) GTEST_SKIP() << "no goldens at " << testing::golden_config_dir();
  for (const std::string& bsp : bsps) {
    SCOPED_TRACE(bsp);
    auto queue = testing::golden_queue(bsp);
    ASSERT_FALSE(queue.empty());
    auto want = read_file(bsp + "/reference/symbol_why-redefinition.txt");
    ASSERT_TRUE(want);
    EXPECT_EQ(render_sanity_report(read_queue_facts(queue)), *want);
  }
}

}  // namespace
}  // namespace kmeta::config
