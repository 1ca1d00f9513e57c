#include "tree/ident.h"

#include <gtest/gtest.h>

#include "tree/testing.h"

namespace kmeta::tree {
namespace {

TEST(Ident, DatesLikeGit) {
  // Each date through git itself (commit-tree with GIT_AUTHOR_DATE) and through kmeta.
  testing::ScratchDir d;
  ASSERT_EQ(testing::sh(d.path(), "git init -q . && git commit -q --allow-empty -m x").status, 0);
  const char* dates[] = {
      "Tue, 3 Jul 2012 13:07:23 -0500",  "Mon, 27 Jan 2020 10:56:29 +0800", "Tue Nov 14 22:13:20 UTC 2023",
      "Fri, 21 Aug 2009 07:07:07 +0000", "Thu,  1 Feb 2018 01:02:03 +0530", "@1700000000 +0200",
      "2021-02-22 09:53:04 -0500",       "Wed, 31 Dec 1999 23:59:59 -1200", "1 Mar 2024 12:00:00 GMT",
  };
  for (const char* date : dates) {
    auto r = testing::sh(d.path(), std::string("GIT_AUTHOR_DATE='") + date +
                                       "' git commit-tree HEAD^{tree} -m x | xargs git cat-file commit | "
                                       "sed -n 's/^author .*> //p'");
    ASSERT_EQ(r.status, 0);
    auto t = parse_git_date(date);
    ASSERT_TRUE(t) << date;
    EXPECT_EQ(std::to_string(t->seconds) + " " + format_offset(t->offset_minutes) + "\n", r.out) << date;
  }
}

TEST(Ident, RejectsGarbage) {
  EXPECT_FALSE(parse_git_date(""));
  EXPECT_FALSE(parse_git_date("not a date"));
  EXPECT_FALSE(parse_git_date("Tue, 3 Jul 2012"));  // no time
}

TEST(Ident, Crud) {
  EXPECT_EQ(strip_crud("<unknown@unknown>"), "unknown@unknown");
  EXPECT_EQ(strip_crud("  \"Doe, John\". "), "Doe, John");
  EXPECT_EQ(strip_crud("a<b>c"), "abc");
}

}  // namespace
}  // namespace kmeta::tree
