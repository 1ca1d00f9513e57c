// run_tree on synthetic repositories against git itself: the commits `git am
// --committer-date-is-author-date --keep-non-patch` makes under the bbclass's
// identity (the reference's path with git >= 2.40), resume after a failure,
// --skip, --abort, --check, and do_patch's merge.queue merge.
#include "tree/run.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/file_util.h"
#include "tree/repo.h"
#include "tree/state.h"
#include "tree/testing.h"

namespace kmeta::tree {
namespace {

using testing::ScratchDir;
using testing::sh;
using testing::slurp;
using testing::write;

const char* kEnv = "GIT_COMMITTER_NAME=OpenEmbedded GIT_COMMITTER_EMAIL=kernel-yocto@oe ";

std::string head(const std::string& repo, const std::string& rev = "HEAD") {
  auto r = sh(repo, "git rev-parse " + rev);
  return r.out.substr(0, r.out.find('\n'));
}

// An upstream history of 5 patches on a base, exported with format-patch
// into <dir>/meta/patches, and a "target" base that drifted (lines added at
// the top of every file), as a kernel differs from the one a BSP was made for.
struct Fixture {
  ScratchDir d;
  std::string up, meta, target_base;

  Fixture() {
    up = d / "up";
    meta = d / "meta";
    sh(d.path(), "mkdir up && cd up && git init -q . && git config gc.auto 0");
    std::string big;
    for (int i = 0; i < 60; ++i) big += "line " + std::to_string(i) + "\n";
    write(up + "/a.c", big);
    write(up + "/b.c", big);
    write(up + "/dir/c.c", "c\n");
    write(up + "/tool.sh", "echo\n");
    sh(up, "git add -A && git commit -qm base && git tag base");
    auto commit = [&](const std::string& edit, const std::string& subj, int day) {
      std::string date = "GIT_AUTHOR_DATE='" + std::to_string(1600000000 + day * 86400) + " -0500' ";
      ASSERT_EQ(sh(up, edit + " && git add -A && " + date + "git commit -qm '" + subj + "'").status, 0)
          << edit;
    };
    commit("sed -i 's/^line 30$/LINE 30/' a.c", "[PATCH] a: change 30", 1);
    commit("echo new > dir/new.c && sed -i 's/^line 5$/five/' b.c", "[foo] b: add new", 2);
    commit("git mv dir/c.c dir/renamed.c && chmod +x tool.sh", "move c", 3);
    commit("sed -i 's/^line 50$/fifty/;s/^line 10$/ten/' a.c", "a: two hunks", 4);
    commit("git rm -q dir/new.c", "drop new", 5);
    sh(up, "git format-patch -q -o " + meta + "/patches base");
    std::string series;
    auto ls = sh(meta + "/patches", "ls");
    std::istringstream in(ls.out);
    std::string l;
    while (std::getline(in, l)) series += "patches/" + l + "\n";
    write(meta + "/series", series);
    // The drifted target: 3 lines added at the top of a.c and b.c.
    sh(up,
       "git checkout -q -b target base && sed -i '1i top1\\ntop2\\ntop3' a.c b.c && git commit -qam drift");
    target_base = head(up, "target");
  }

  // A clone at the target base.
  std::string clone(const std::string& name) {
    std::string c = d / name;
    sh(d.path(), "git clone -q up " + name + " && cd " + name + " && git checkout -q -B work " + target_base +
                     " && git config gc.auto 0");
    return c;
  }

  TreeOptions opts(const std::string& repo) {
    TreeOptions o;
    o.workdir = repo;
    o.patches_dir = meta;
    return o;
  }
};

TEST(RunTree, SameCommitsAsGitAm) {
  Fixture f;
  std::string ref = f.clone("ref");
  auto am = sh(ref, std::string(kEnv) + "git am -q --committer-date-is-author-date --keep-non-patch " +
                        f.meta + "/patches/*.patch");
  ASSERT_EQ(am.status, 0) << am.out;
  std::string ours = f.clone("ours");
  TreeResult r = run_tree(f.opts(ours));
  ASSERT_TRUE(r.ok) << r.diags.render();
  ASSERT_EQ(r.patches.size(), 5u);
  EXPECT_EQ(r.patches[0].kind, PatchOutcome::applied_offset);
  EXPECT_EQ(head(ours), head(ref)) << sh(ours, "git cat-file -p HEAD").out
                                   << sh(ref, "git cat-file -p HEAD").out;
  EXPECT_EQ(sh(ours, "git rev-list HEAD").out, sh(ref, "git rev-list HEAD").out);
  EXPECT_EQ(sh(ours, "git status --porcelain").out, "");
  EXPECT_EQ(sh(ours, "git fsck --no-dangling 2>&1").status, 0);
  EXPECT_EQ(sh(ours, "stat -c %A tool.sh").out, "-rwxr-xr-x\n");
  // A second run has nothing to do.
  TreeResult again = run_tree(f.opts(ours));
  EXPECT_TRUE(again.ok);
  EXPECT_TRUE(again.nothing_to_do);
  EXPECT_EQ(head(ours), head(ref));
}

// A second run in the same repository while one holds its lock is refused
// before it reads or writes anything; --check (read-only) still runs.
TEST(RunTree, ASecondRunIsRefusedWhileOneRuns) {
  Fixture f;
  std::string repo = f.clone("repo");
  std::string start = head(repo);
  FileLock held;
  std::string err;
  ASSERT_TRUE(lock_run(repo + "/.git", &held, &err)) << err;
  TreeResult r = run_tree(f.opts(repo));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diags.render().find("another kmeta tree is running in this repository"), std::string::npos)
      << r.diags.render();
  EXPECT_TRUE(r.patches.empty());
  EXPECT_EQ(head(repo), start);
  EXPECT_FALSE(file_exists(state_path(repo + "/.git")));
  TreeOptions check = f.opts(repo);
  check.check = true;
  EXPECT_TRUE(run_tree(check).ok);
  held.release();
  TreeResult after = run_tree(f.opts(repo));
  EXPECT_TRUE(after.ok) << after.diags.render();
  EXPECT_EQ(after.patches.size(), 5u);
}

TEST(RunTree, StopsRetriesSkipsAndAborts) {
  Fixture f;
  std::string repo = f.clone("repo");
  // Make patch 4 ("a: two hunks") conflict: change line 50 in the target.
  ASSERT_EQ(sh(repo, "sed -i 's/^line 50$/L50/' a.c && git commit -qam conflict").status, 0);
  std::string start = head(repo);
  TreeResult r = run_tree(f.opts(repo));
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.patches.size(), 4u);
  EXPECT_EQ(r.patches[3].kind, PatchOutcome::conflict);
  ASSERT_EQ(r.patches[3].files.size(), 1u);
  const HunkResult& h = r.patches[3].files[0].hunks.back();
  EXPECT_FALSE(h.applied);
  EXPECT_GT(h.nearest_at, 0);
  EXPECT_EQ(h.found_line, "L50\n");
  std::string after3 = head(repo);
  EXPECT_EQ(head(repo, "HEAD~3"), start);
  EXPECT_EQ(sh(repo, "git status --porcelain").out, "");
  // A rerun retries the failed patch (it fails again) and does not skip it.
  TreeResult r2 = run_tree(f.opts(repo));
  EXPECT_FALSE(r2.ok);
  ASSERT_EQ(r2.patches.size(), 1u);
  EXPECT_EQ(r2.patches[0].index, 3u);
  EXPECT_EQ(head(repo), after3);
  // --skip passes over it and applies the rest.
  TreeOptions o = f.opts(repo);
  o.skip = true;
  TreeResult r3 = run_tree(o);
  EXPECT_TRUE(r3.ok) << r3.diags.render();
  EXPECT_EQ(r3.patches.front().kind, PatchOutcome::skipped);
  EXPECT_EQ(head(repo, "HEAD~4"), start);
  EXPECT_EQ(sh(repo, "git status --porcelain").out, "");
  EXPECT_FALSE(sh(repo, "test -e dir/new.c").status == 0);
  // --abort returns to where the series started.
  TreeOptions a = f.opts(repo);
  a.abort = true;
  TreeResult r4 = run_tree(a);
  EXPECT_TRUE(r4.ok) << r4.diags.render();
  EXPECT_EQ(head(repo), start);
  EXPECT_EQ(sh(repo, "git status --porcelain").out, "");
  EXPECT_EQ(sh(repo, "git fsck --no-dangling 2>&1").status, 0);
  EXPECT_EQ(sh(repo, "test -e " + state_path(repo + "/.git")).status, 1);
}

// start_at (kgit-s2q's `-- PATCH` and -f): a fresh run from HEAD at that
// patch, whatever the journal recorded; the same commits as --skip.
TEST(RunTree, StartAtIsAFreshRunFromHead) {
  Fixture f;
  std::string skipped = f.clone("skipped"), started = f.clone("started");
  for (const std::string& repo : {skipped, started})
    ASSERT_EQ(sh(repo, "sed -i 's/^line 50$/L50/' a.c && git commit -qam conflict").status, 0);
  ASSERT_FALSE(run_tree(f.opts(skipped)).ok);
  TreeOptions sk = f.opts(skipped);
  sk.skip = true;
  ASSERT_TRUE(run_tree(sk).ok);
  ASSERT_FALSE(run_tree(f.opts(started)).ok);
  std::string stopped = head(started);
  TreeOptions st = f.opts(started);
  st.start_at = 4;
  TreeResult r = run_tree(st);
  ASSERT_TRUE(r.ok) << r.diags.render();
  ASSERT_EQ(r.patches.size(), 1u);
  EXPECT_EQ(r.patches[0].index, 4u);
  EXPECT_EQ(head(started, "HEAD~1"), stopped);
  EXPECT_EQ(head(started), head(skipped));
  EXPECT_EQ(sh(started, "git status --porcelain").out, "");
  // The journal now says done: a plain rerun has nothing to do.
  EXPECT_TRUE(run_tree(f.opts(started)).nothing_to_do);
  // With --skip it is a contradiction.
  TreeOptions both = f.opts(started);
  both.start_at = 0;
  both.skip = true;
  EXPECT_FALSE(run_tree(both).ok);
}

// The paths a publish checks out: those git diff names, including a file
// that becomes a directory, descending only where trees differ.
TEST(RunTree, ChangedPathsLikeGitDiff) {
  Fixture f;
  std::string repo = f.clone("diff");
  ASSERT_EQ(sh(repo,
               "git rm -q tool.sh && mkdir tool.sh && echo x > tool.sh/inner && echo y > dir/z.c && "
               "git add -A && git commit -qm typechange")
                .status,
            0);
  GitLibrary lib;
  std::string err;
  auto r = Repo::open(repo, &err);
  ASSERT_TRUE(r) << err;
  git_oid from, to, from_tree, to_tree;
  ASSERT_TRUE(parse_oid(head(repo, "base"), &from));
  ASSERT_TRUE(parse_oid(head(repo), &to));
  ASSERT_TRUE(r->commit_tree(from, &from_tree, &err)) << err;
  ASSERT_TRUE(r->commit_tree(to, &to_tree, &err)) << err;
  std::vector<std::string> paths;
  ASSERT_TRUE(r->changed_paths(from_tree, to_tree, &paths, &err)) << err;
  std::sort(paths.begin(), paths.end());
  std::string mine;
  for (const std::string& p : paths) mine += p + "\n";
  EXPECT_EQ(mine, sh(repo, "git diff --name-only --no-renames base HEAD | LC_ALL=C sort").out);
  EXPECT_NE(mine.find("tool.sh/inner\n"), std::string::npos) << mine;
}

TEST(RunTree, CheckWritesNothingAndExplains) {
  Fixture f;
  std::string repo = f.clone("repo");
  // Patch 1 already applied in the target; patch 4 conflicts; b.c removed for patch 2.
  ASSERT_EQ(
      sh(repo, "sed -i 's/^line 30$/LINE 30/;s/^line 50$/L50/' a.c && git rm -q b.c && git commit -qam x")
          .status,
      0);
  std::string before = head(repo);
  std::string objects = sh(repo, "git count-objects").out;
  TreeOptions o = f.opts(repo);
  o.check = true;
  TreeResult r = run_tree(o);
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.patches.size(), 5u);
  EXPECT_EQ(r.patches[0].kind, PatchOutcome::already_applied);
  EXPECT_EQ(r.patches[1].kind, PatchOutcome::missing);
  EXPECT_EQ(r.patches[2].kind, PatchOutcome::applied);
  EXPECT_EQ(r.patches[3].kind, PatchOutcome::conflict);
  // It deletes dir/new.c, which patch 2 would have created: the file is
  // already absent, i.e. the deletion's reverse applies.
  EXPECT_EQ(r.patches[4].kind, PatchOutcome::already_applied);
  EXPECT_EQ(head(repo), before);
  EXPECT_EQ(sh(repo, "git count-objects").out, objects);
  EXPECT_EQ(sh(repo, "git status --porcelain").out, "");
  EXPECT_NE(explain(r.patches[3]).find("tree has:      L50"), std::string::npos) << explain(r.patches[3]);
}

TEST(RunTree, MergeQueueLikeGitMerge) {
  Fixture f;
  std::string ref = f.clone("ref");
  std::string ours = f.clone("ours");
  for (const std::string& repo : {ref, ours})
    ASSERT_EQ(sh(repo,
                 "git checkout -q -b feat && echo f > feat.c && git add feat.c && git commit -qm feat && "
                 "git checkout -q work")
                  .status,
              0);
  ASSERT_EQ(sh(ref, std::string(kEnv) + "git am -q --committer-date-is-author-date --keep-non-patch " +
                        f.meta + "/patches/*.patch && " + kEnv +
                        "GIT_AUTHOR_NAME=OpenEmbedded GIT_AUTHOR_EMAIL=kernel-yocto@oe "
                        "GIT_AUTHOR_DATE='1700000000 +0000' GIT_COMMITTER_DATE='1700000000 +0000' "
                        "git merge -q --no-ff -m 'Merge branch feat' feat")
                .status,
            0);
  write(f.meta + "/merge.queue", "feat\n");
  TreeOptions o = f.opts(ours);
  o.have_source_date = true;
  o.policy.source_date = {1700000000, 0};
  TreeResult r = run_tree(o);
  ASSERT_TRUE(r.ok) << r.diags.render();
  ASSERT_EQ(r.merges.size(), 1u);
  EXPECT_EQ(head(ours), head(ref));
  EXPECT_EQ(sh(ours, "git status --porcelain").out, "");
  EXPECT_EQ(slurp(ours + "/feat.c"), "f\n");
}

}  // namespace
}  // namespace kmeta::tree
