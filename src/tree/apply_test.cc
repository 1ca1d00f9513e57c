// The applier against `git apply` itself: hand-made cases for each rule and
// a seeded random sweep comparing outcome, result bytes and git's -v hunk
// messages (offsets, "Context reduced to") hunk by hunk.
#include "tree/apply.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>

#include "base/strings.h"
#include "tree/testing.h"

namespace kmeta::tree {
namespace {

using testing::ScratchDir;
using testing::sh;
using testing::slurp;
using testing::write;

Patch parse_or_die(const std::string& text) {
  Patch p;
  Diagnostics d;
  EXPECT_TRUE(parse_patch(text, Location{FileName("t.patch"), 1, 0}, &p, &d)) << d.render();
  return p;
}

FileSource source_of(const std::map<std::string, FileEntry>& files) {
  FileSource s;
  s.read = [files](const std::string& path) -> std::optional<FileEntry> {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  return s;
}

std::string one_file_patch(const std::string& hunks) {
  return "diff --git a/f b/f\n--- a/f\n+++ b/f\n" + hunks;
}

TEST(Apply, OffsetSearchPrefersForward) {
  // The context "x" appears 2 lines before and 2 lines after the stated line.
  std::string file = "x\nA\nx\nB\nC\nx\nA\nx\n";
  std::string patch = one_file_patch("@@ -4,3 +4,3 @@\n x\n-A\n+Z\n x\n");
  Patch p = parse_or_die(patch);
  std::string out;
  std::vector<HunkResult> r;
  ASSERT_TRUE(apply_hunks(file, p.files[0], ApplyOptions{}, &out, &r));
  EXPECT_EQ(out, "x\nA\nx\nB\nC\nx\nZ\nx\n");
  EXPECT_EQ(r[0].at, 6);
  EXPECT_EQ(r[0].offset, 2);
}

TEST(Apply, EndAnchorDroppedOnlyWithContextLimit) {
  // No trailing context: must match at the end of the file, unless -C1
  // relaxes the anchoring.
  std::string file = "a\nb\nc\nd\n";
  std::string patch = one_file_patch("@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n");   // anchored at the start: fine
  std::string patch2 = one_file_patch("@@ -2,3 +2,4 @@\n b\n c\n d\n+e\n");  // end anchored: fine
  std::string patch3 = one_file_patch("@@ -1,2 +1,3 @@\n b\n c\n+X\n");      // anchored both, matches neither
  std::string out;
  std::vector<HunkResult> r;
  EXPECT_TRUE(apply_hunks(file, parse_or_die(patch).files[0], {}, &out, &r));
  r.clear();
  EXPECT_TRUE(apply_hunks(file, parse_or_die(patch2).files[0], {}, &out, &r));
  r.clear();
  EXPECT_FALSE(apply_hunks(file, parse_or_die(patch3).files[0], {}, &out, &r));
  r.clear();
  ASSERT_TRUE(apply_hunks(file, parse_or_die(patch3).files[0], ApplyOptions{1}, &out, &r));
  EXPECT_EQ(out, "a\nb\nc\nX\nd\n");
  EXPECT_TRUE(r[0].anchor_dropped);
  EXPECT_FALSE(r[0].context_reduced);
}

TEST(Apply, ContextReducedLongerSideFirst) {
  std::string file = "1\nX\n3\n4\n5\n6\n7\n";
  // Leading context 3 (2,3,4: "2" differs), trailing 3 (6,7,8: "8" missing).
  std::string patch = one_file_patch("@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
  std::string out;
  std::vector<HunkResult> r;
  EXPECT_FALSE(apply_hunks(file, parse_or_die(patch).files[0], {}, &out, &r));
  r.clear();
  // Trailing "8" is missing too: both sides must shrink to 1.
  ASSERT_TRUE(apply_hunks(file, parse_or_die(patch).files[0], ApplyOptions{1}, &out, &r));
  EXPECT_EQ(out, "1\nX\n3\n4\nFIVE\n6\n7\n");
  EXPECT_TRUE(r[0].context_reduced);
  EXPECT_EQ(r[0].leading, 2);
  EXPECT_EQ(r[0].trailing, 2);
}

TEST(Apply, PatchedLinesAreNotMatchedAgain) {
  std::string file = "a\nb\nc\n";
  // Two hunks with the same preimage: the second must not match the first's output.
  std::string patch = one_file_patch("@@ -1,2 +1,2 @@\n a\n-b\n+B\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n");
  std::string out;
  std::vector<HunkResult> r;
  EXPECT_FALSE(apply_hunks(file, parse_or_die(patch).files[0], {}, &out, &r));
}

TEST(Apply, NoNewlineAtEndOfFile) {
  std::string file = "a\nb";
  std::string patch = one_file_patch("@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  std::string out;
  std::vector<HunkResult> r;
  ASSERT_TRUE(apply_hunks(file, parse_or_die(patch).files[0], {}, &out, &r));
  EXPECT_EQ(out, "a\nb\n");
}

TEST(Apply, DeltaRoundTrip) {
  // copy 3 bytes at offset 1, insert "XY".
  std::string delta = std::string("\x05\x05", 2) + std::string("\x91\x01\x03", 3) + "\x02XY";
  std::string out;
  ASSERT_TRUE(apply_delta("abcde", delta, &out));
  EXPECT_EQ(out, "bcdXY");
  EXPECT_FALSE(apply_delta("abcd", delta, &out));
}

// A repository where git made a commit; the patch between two states, and
// the expected files after it.
struct GitCase {
  ScratchDir dir;
  std::string patch;
};

std::map<std::string, FileEntry> tree_files(const std::string& repo) {
  std::map<std::string, FileEntry> files;
  auto ls = sh(repo, "git ls-files -s");
  std::istringstream in(ls.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls2(line);
    std::string mode, oid, stage, path;
    ls2 >> mode >> oid >> stage;
    std::getline(ls2, path);
    path = path.substr(1);
    FileEntry e;
    e.mode = uint32_t(std::stoul(mode, nullptr, 8));
    e.content = sh(repo, "git cat-file blob " + oid).out;
    files[path] = e;
  }
  return files;
}

// Makes `before` a commit, runs `edit` (shell), stages everything, and
// returns the patch (`git diff --cached -M --binary`) with the expected files.
void git_case(const std::string& repo, const std::map<std::string, std::string>& before,
              const std::string& edit, std::string* patch, std::map<std::string, FileEntry>* pre,
              std::map<std::string, FileEntry>* post) {
  ASSERT_EQ(sh(repo, "git init -q .").status, 0);
  for (auto& [p, c] : before) write(str_cat({repo, "/", p}), c);
  ASSERT_EQ(sh(repo, "git add -A && git commit -qm base").status, 0);
  *pre = tree_files(repo);
  ASSERT_EQ(sh(repo, edit + " && git add -A").status, 0) << edit;
  *patch = sh(repo, "git diff --cached -M --binary --full-index").out;
  *post = tree_files(repo);
}

void expect_applies_like_git(const std::map<std::string, std::string>& before, const std::string& edit) {
  ScratchDir d;
  std::string patch;
  std::map<std::string, FileEntry> pre, post;
  git_case(d.path(), before, edit, &patch, &pre, &post);
  Patch p = parse_or_die(patch);
  ApplyResult r = apply_patch(p, source_of(pre), ApplyOptions{1});
  ASSERT_TRUE(r.ok) << patch;
  std::map<std::string, FileEntry> got = pre;
  for (const FileChange& c : r.changes) {
    if (c.entry)
      got[c.path] = *c.entry;
    else
      got.erase(c.path);
  }
  ASSERT_EQ(got.size(), post.size()) << patch;
  for (auto& [path, e] : post) {
    ASSERT_TRUE(got.count(path)) << path;
    EXPECT_EQ(got[path].content, e.content) << path;
    EXPECT_EQ(got[path].mode, e.mode) << path;
  }
}

TEST(ApplyVsGit, NewDeleteRenameMode) {
  std::string body;
  for (int i = 0; i < 40; ++i) body += "line " + std::to_string(i) + "\n";
  expect_applies_like_git({{"a.txt", body}, {"dir/b.txt", "b\n"}, {"c.sh", "echo\n"}},
                          "echo new > n.txt && git rm -q dir/b.txt && git mv a.txt moved.txt && "
                          "sed -i 's/line 20/LINE 20/' moved.txt && chmod +x c.sh");
}

TEST(ApplyVsGit, BinaryLiteralAndDelta) {
  std::string blob;
  std::mt19937 rng(7);
  for (int i = 0; i < 4000; ++i) blob.push_back(char(rng() & 0xff));
  std::string blob2 = blob;
  blob2[1000] = 'x';
  ScratchDir tmp;
  write(tmp / "b2", blob2);
  write(tmp / "new", std::string("\0\1\2binary\0", 10));
  expect_applies_like_git({{"bin.dat", blob}},
                          "cp '" + tmp.path() + "/b2' bin.dat && cp '" + tmp.path() + "/new' new.bin");
}

TEST(ApplyVsGit, SymlinkAndEmptyFile) {
  expect_applies_like_git({{"x", "x\n"}}, "ln -s x link && : > empty && : > x");
}

// Seeded random sweep: a patch made by git against a base file, applied to a
// drifted copy (lines inserted, removed, edited), by git apply and by kmeta.
std::string random_lines(std::mt19937& rng, int n) {
  static const char* pool[] = {"{\n", "}\n", "\n", "\treturn 0;\n", "x\n", "int a;\n"};
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (rng() % 4 == 0)
      s += pool[rng() % 6];
    else
      s += "line " + std::to_string(rng() % 50) + "\n";
  }
  return s;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) v.push_back(l + "\n");
  return v;
}

std::string unlines(const std::vector<std::string>& v) {
  std::string s;
  for (auto& l : v) s += l;
  return s;
}

TEST(ApplyVsGit, RandomDriftSweep) {
  std::mt19937 rng(20261203);
  ScratchDir d;
  int cases = 0, applied = 0, reduced = 0, offsets = 0;
  for (int iter = 0; iter < 160; ++iter) {
    std::vector<std::string> base = lines_of(random_lines(rng, 20 + int(rng() % 60)));
    std::vector<std::string> mod = base;
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits && !mod.empty(); ++e) {
      size_t at = rng() % mod.size();
      switch (rng() % 3) {
        case 0: mod.erase(mod.begin() + long(at)); break;
        case 1: mod.insert(mod.begin() + long(at), "added " + std::to_string(rng() % 9) + "\n"); break;
        default: mod[at] = "edited " + std::to_string(rng() % 9) + "\n";
      }
    }
    std::vector<std::string> target = base;
    int drift = int(rng() % 4);
    for (int e = 0; e < drift && !target.empty(); ++e) {
      size_t at = rng() % target.size();
      switch (rng() % 3) {
        case 0: target.insert(target.begin() + long(at), 1 + rng() % 5, "drift\n"); break;
        case 1: target.erase(target.begin() + long(at)); break;
        default: target[at] = "changed context\n";
      }
    }
    write(d / "a", unlines(base));
    write(d / "b", unlines(mod));
    std::string diff = sh(d.path(), "git diff --no-index -U" + std::to_string(1 + rng() % 4) + " a b").out;
    size_t at = diff.find("\n@@ ");
    if (at == std::string::npos) continue;
    std::string patch = one_file_patch(diff.substr(at + 1));
    write(d / "p.patch", patch);
    bool c1 = rng() % 2;
    write(d / "f", unlines(target));
    auto g = sh(d.path(), std::string("git apply -v ") + (c1 ? "-C1 " : "") + "p.patch");
    std::string git_result = slurp(d / "f");
    std::vector<std::string> git_lines;
    {
      std::istringstream in(g.out);
      std::string l;
      while (std::getline(in, l))
        if (l.rfind("Hunk #", 0) == 0 || l.rfind("Context reduced", 0) == 0) git_lines.push_back(l);
    }
    Patch p = parse_or_die(patch);
    ApplyResult r =
        apply_patch(p, source_of({{"f", FileEntry{unlines(target), 0100644}}}), ApplyOptions{c1 ? 1 : -1});
    ++cases;
    ASSERT_EQ(r.ok, g.status == 0) << "case " << iter << "\n" << patch << "\ngit said:\n" << g.out;
    if (!r.ok) continue;
    ++applied;
    ASSERT_EQ(r.changes.size(), 1u);
    EXPECT_EQ(r.changes[0].entry->content, git_result) << "case " << iter;
    std::vector<std::string> ours = verbose_lines(r.files[0]);
    EXPECT_EQ(ours, git_lines) << "case " << iter << "\n" << patch << "\ngit said:\n" << g.out;
    for (const HunkResult& h : r.files[0].hunks) {
      if (h.context_reduced) ++reduced;
      if (h.offset) ++offsets;
    }
  }
  // The sweep must exercise each behaviour, or it proves little.
  EXPECT_GT(cases, 120);
  EXPECT_GT(applied, 40);
  EXPECT_GT(reduced, 3);
  EXPECT_GT(offsets, 10);
  EXPECT_LT(applied, cases);
}

}  // namespace
}  // namespace kmeta::tree
