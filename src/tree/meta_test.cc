// kgit-meta handling against the reference kgit-meta itself (with its
// kgit-s2q, git >= 2.40 semantics through the harness shim) on a synthetic
// meta-series: nested branches, a rename to /base, per-branch queues and a
// merge. Every branch must end at the same commit id.
#include "tree/meta.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "tree/testing.h"

namespace kmeta::tree {
namespace {

using testing::ScratchDir;
using testing::sh;
using testing::write;

const char* kIdentity =
    "GIT_COMMITTER_NAME=OpenEmbedded GIT_COMMITTER_EMAIL=kernel-yocto@oe GIT_AUTHOR_NAME=OpenEmbedded "
    "GIT_AUTHOR_EMAIL=kernel-yocto@oe GIT_COMMITTER_DATE='1700000000 +0000' GIT_AUTHOR_DATE='1700000000 "
    "+0000' ";

std::string mail(const std::string& subject, const std::string& diff, int day) {
  return "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Dev "
         "<dev@example.org>\n"
         "Date: Tue, " +
         std::to_string(day) + " Jul 2012 13:07:23 -0500\nSubject: [PATCH] " + subject + "\n\n" + subject +
         " body\n---\n" + diff;
}

void make_repo(const std::string& dir) {
  sh(dir, "git init -q . && git config gc.auto 0 && git checkout -q -b master");
  std::string big;
  for (int i = 0; i < 30; ++i) big += "line " + std::to_string(i) + "\n";
  write(dir + "/a.c", big);
  write(dir + "/b.c", big);
  sh(dir, std::string(kIdentity) +
              "git add -A && git commit -qm base && git branch feat && git checkout -q feat && "
              "echo f > feat.c && git add feat.c && " +
              kIdentity + "git commit -qm feat && git checkout -q master");
}

TEST(MetaSeries, SameBranchesAsKgitMeta) {
  std::string tools = std::string(KMETA_SHARED_DIR) + "/reference/yocto-kernel-tools/tools";
  std::string shim = std::string(KMETA_SHARED_DIR) + "/docs/tree/harness/shim";
  if (!std::filesystem::exists(tools + "/kgit-meta")) GTEST_SKIP() << "no reference tools";
  if (sh("/", "command -v diffstat").status != 0)
    GTEST_SKIP() << "diffstat missing (scripts/setup.sh installs it)";
  ScratchDir d;
  std::string meta = d / "meta";
  write(meta + "/patches/v6.12/standard/a.patch", mail("a: edit",
                                                       "diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ "
                                                       "-4,3 +4,3 @@\n line 3\n-line 4\n+LINE 4\n line 5\n",
                                                       3));
  write(meta + "/patches/v6.12/standard/mybsp/b.patch",
        mail("b: edit",
             "diff --git a/b.c b/b.c\n--- a/b.c\n+++ b/b.c\n@@ -10,3 +10,3 @@\n line 9\n-line 10\n+ten\n "
             "line 11\n",
             4));
  write(meta + "/patch.v6.12.standard.queue", "patches/v6.12/standard/a.patch\n");
  write(meta + "/patch.v6.12.standard.mybsp.queue", "patches/v6.12/standard/mybsp/b.patch\n");
  write(meta + "/meta-series",
        "# header\nbranch: v6.12\nbranch rename: v6.12 v6.12/base\nbranch: v6.12/standard\n"
        "patch patches/v6.12/standard/a.patch\nkconf hardware x.cfg # x\n"
        "branch rename: v6.12/standard v6.12/standard/base\nbranch: v6.12/standard/mybsp\n"
        "patch patches/v6.12/standard/mybsp/b.patch\nmerge: feat\n");
  std::string ref = d / "ref", ours = d / "ours";
  std::filesystem::create_directories(ref);
  std::filesystem::create_directories(ours);
  make_repo(ref);
  make_repo(ours);
  auto r = sh(ref, "PATH='" + shim + ":" + tools + ":'\"$PATH\" " + kIdentity + "kgit-meta '" + meta +
                       "/meta-series'");
  ASSERT_EQ(r.status, 0) << r.out;
  MetaOptions o;
  o.meta_series = meta + "/meta-series";
  o.tree.workdir = ours;
  o.tree.have_source_date = true;
  o.tree.policy.source_date = {1700000000, 0};
  o.tree.policy.committer_date_is_author_date = false;  // kgit-meta passes no --commit-sha
  MetaResult m = run_meta_series(o);
  ASSERT_TRUE(m.ok) << m.diags.render();
  std::string refs = "git for-each-ref --format='%(refname) %(objectname)' refs/heads";
  EXPECT_EQ(sh(ours, refs).out, sh(ref, refs).out);
  EXPECT_EQ(sh(ours, "git symbolic-ref HEAD").out, sh(ref, "git symbolic-ref HEAD").out);
  EXPECT_EQ(sh(ours, "git status --porcelain").out, "");
}

// Two branches with a queue each, a rename and a merge: interrupted (the
// flag set after the first queue's first commit), the rerun continues and
// ends as an uninterrupted run; --abort afterwards puts every ref back.
TEST(MetaSeries, InterruptedResumedAndAborted) {
  ScratchDir d;
  std::string meta = d / "meta";
  write(meta + "/p/a.patch",
        mail("a: edit",
             "diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -4,3 +4,3 @@\n line 3\n-line "
             "4\n+LINE 4\n line 5\n",
             3));
  write(meta + "/p/b.patch",
        mail("b: edit",
             "diff --git a/b.c b/b.c\n--- a/b.c\n+++ b/b.c\n@@ -10,3 +10,3 @@\n line 9\n-line "
             "10\n+ten\n line 11\n",
             4));
  write(meta + "/p/c.patch",
        mail("c: edit",
             "diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -20,3 +20,3 @@\n line 19\n-line "
             "20\n+twenty\n line 21\n",
             5));
  write(meta + "/patch.one.queue", "p/a.patch\np/b.patch\n");
  write(meta + "/patch.one.two.queue", "p/c.patch\n");
  write(meta + "/meta-series", "branch: one\nbranch rename: one one/base\nbranch: one/two\nmerge: feat\n");
  std::string ref = d / "ref", ours = d / "ours";
  std::filesystem::create_directories(ref);
  std::filesystem::create_directories(ours);
  make_repo(ref);
  make_repo(ours);
  std::string refs = "git for-each-ref --format='%(refname) %(objectname)' refs/heads refs/tags";
  std::string start = sh(ours, refs).out;
  MetaOptions o;
  o.meta_series = meta + "/meta-series";
  o.tree.workdir = ref;
  MetaResult clean = run_meta_series(o);
  ASSERT_TRUE(clean.ok) << clean.diags.render();

  std::atomic<bool> flag{false};
  o.tree.workdir = ours;
  o.tree.interrupted = &flag;
  o.tree.checkpoint = [&](const char* point) {
    if (std::string(point) == "patch") flag = true;
  };
  MetaResult first = run_meta_series(o);
  EXPECT_FALSE(first.ok);
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(sh(ours, "git rev-list --count master..one").out, "1\n");  // a.patch only
  EXPECT_EQ(sh(ours, "git status --porcelain").out, "");
  EXPECT_EQ(sh(ours, "git fsck --no-dangling --no-progress").status, 0);
  flag = false;
  o.tree.checkpoint = nullptr;
  MetaResult second = run_meta_series(o);
  ASSERT_TRUE(second.ok) << second.diags.render();
  EXPECT_TRUE(second.resumed);
  EXPECT_EQ(sh(ours, refs).out, sh(ref, refs).out);
  EXPECT_EQ(sh(ours, "git symbolic-ref HEAD").out, "refs/heads/one/two\n");
  MetaResult again = run_meta_series(o);
  EXPECT_TRUE(again.ok && again.nothing_to_do);
  EXPECT_EQ(sh(ours, refs).out, sh(ref, refs).out);

  o.tree.abort = true;
  MetaResult ab = run_meta_series(o);
  ASSERT_TRUE(ab.ok) << ab.diags.render();
  EXPECT_TRUE(ab.aborted);
  EXPECT_EQ(sh(ours, refs).out, start);
  EXPECT_EQ(sh(ours, "git symbolic-ref HEAD").out, "refs/heads/master\n");
  EXPECT_EQ(sh(ours, "git status --porcelain").out, "");
  EXPECT_EQ(sh(ours, "git fsck --no-dangling --no-progress").status, 0);
  EXPECT_FALSE(std::filesystem::exists(ours + "/.git/kmeta-tree/meta.json"));
}

TEST(MetaSeries, RejectsBadBranchNames) {
  ScratchDir d;
  std::filesystem::create_directories(d / "r");
  make_repo(d / "r");
  write(d / "meta/meta-series", "branch: bad..name\n");
  MetaOptions o;
  o.meta_series = d / "meta/meta-series";
  o.tree.workdir = d / "r";
  MetaResult m = run_meta_series(o);
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.diags.render().find("not a valid branch name"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::tree
