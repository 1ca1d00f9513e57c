#include "tree/patch_parse.h"

#include <gtest/gtest.h>

namespace kmeta::tree {
namespace {

Patch parse(const std::string& t, bool ok = true, std::string* err = nullptr) {
  Patch p;
  Diagnostics d;
  EXPECT_EQ(parse_patch(t, Location{FileName("x.patch"), 10, 0}, &p, &d), ok) << d.render();
  if (err) *err = d.render();
  return p;
}

TEST(PatchParse, GitHeaders) {
  Patch p = parse(
      "diff --git a/old name b/new name\nsimilarity index 90%\nrename from old name\nrename to new name\n"
      "index 1234567..89abcde 100755\n--- a/old name\n+++ b/new name\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
      "diff --git a/m b/m\nold mode 100644\nnew mode 100755\n"
      "diff --git a/n b/n\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 "
      "@@\n+x\n"
      "diff --git \"a/q\\tx\" \"b/q\\tx\"\ndeleted file mode 100644\n--- \"a/q\\tx\"\n+++ /dev/null\n@@ -1 "
      "+0,0 @@\n-y\n");
  ASSERT_EQ(p.files.size(), 4u);
  EXPECT_TRUE(p.files[0].is_rename);
  EXPECT_EQ(p.files[0].old_path, "old name");
  EXPECT_EQ(p.files[0].new_path, "new name");
  EXPECT_EQ(p.files[0].hunks[0].leading, 1);
  EXPECT_EQ(p.files[0].hunks[0].trailing, 0);
  EXPECT_EQ(p.files[1].old_mode, 0100644u);
  EXPECT_EQ(p.files[1].new_mode, 0100755u);
  EXPECT_EQ(p.files[1].path(), "m");
  EXPECT_TRUE(p.files[2].is_new);
  EXPECT_EQ(p.files[2].new_path, "n");
  EXPECT_TRUE(p.files[3].is_delete);
  EXPECT_EQ(p.files[3].old_path, "q\tx");
}

TEST(PatchParse, TraditionalAndTrailingText) {
  Patch p =
      parse("Some text\n--- a/x.c\t2012-01-01\n+++ b/x.c\t2012-01-02\n@@ -3 +3 @@\n-a\n+b\n-- \n2.39.5\n");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].old_path, "x.c");
  EXPECT_EQ(p.files[0].hunks[0].old_count, 1);
  EXPECT_EQ(p.files[0].hunks[0].lines.size(), 2u);
}

TEST(PatchParse, CorruptHunkIsLocated) {
  std::string err;
  parse("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n?b\n", false, &err);
  EXPECT_NE(err.find("x.patch:15: error: corrupt patch at line 6"), std::string::npos) << err;
  parse("just words\n", false, &err);
  EXPECT_NE(err.find("no patch found"), std::string::npos);
}

TEST(PatchParse, Base85) {
  std::string out;
  // "0000" in git's alphabet is four zero digits -> 0x00000000.
  ASSERT_TRUE(base85_decode("00000", 4, &out));
  EXPECT_EQ(out, std::string(4, '\0'));
  EXPECT_EQ(base85_line_length('A'), 1);
  EXPECT_EQ(base85_line_length('z'), 52);
  EXPECT_FALSE(base85_decode("0000\"", 4, &out));
}

TEST(PatchParse, Reverse) {
  Patch p = parse("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n-b\n+c\n+d\n");
  Patch r = reverse_patch(p);
  EXPECT_EQ(r.files[0].hunks[0].old_count, 3);
  EXPECT_EQ(r.files[0].hunks[0].lines[1].op, '+');
  EXPECT_EQ(r.files[0].hunks[0].lines[2].op, '-');
}

}  // namespace
}  // namespace kmeta::tree
