#include "tree/series.h"

#include <gtest/gtest.h>

namespace kmeta::tree {
namespace {

TEST(Series, ReadsLikeKgitS2q) {
  auto e = parse_series(
      "# comment\n\npatches//a/x.patch\n  indented.patch\n/abs/y.patch\n_u.patch two.patch\n-dash.patch\n");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].name, "patches//a/x.patch");
  EXPECT_EQ(e[0].line, 3);
  EXPECT_EQ(e[1].name, "/abs/y.patch");
  EXPECT_EQ(e[2].name, "_u.patch");
  EXPECT_EQ(e[3].name, "two.patch");
  EXPECT_EQ(e[3].line, 6);
}

TEST(Series, MetaSeries) {
  auto ops = parse_meta_series(
      "# header\nbranch: v6.12\nbranch rename: v6.12 v6.12/base\nbranch: v6.12/standard\n"
      "patch patches/v6.12/standard/a.patch\nkconf hardware x.cfg # y\nmerge: feat\n# _git tag t\n");
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(ops[0].kind, MetaOp::branch);
  EXPECT_EQ(ops[1].kind, MetaOp::rename);
  EXPECT_EQ(ops[1].b, "v6.12/base");
  EXPECT_EQ(ops[3].kind, MetaOp::patch);
  EXPECT_EQ(ops[4].kind, MetaOp::merge);
  EXPECT_EQ(ops[4].a, "feat");
  EXPECT_EQ(branch_queue_name("v6.12/standard"), "patch.v6.12.standard.queue");
}

TEST(Series, BranchNames) {
  EXPECT_TRUE(valid_branch_name("v6.12/standard/base"));
  EXPECT_FALSE(valid_branch_name("a..b"));
  EXPECT_FALSE(valid_branch_name("a b"));
  EXPECT_FALSE(valid_branch_name("x.lock"));
  EXPECT_FALSE(valid_branch_name("-x"));
  EXPECT_FALSE(valid_branch_name("a/.b"));
  EXPECT_FALSE(valid_branch_name("a~1"));
  EXPECT_EQ(parse_merge_queue("a b\nc\n").size(), 3u);
}

}  // namespace
}  // namespace kmeta::tree
