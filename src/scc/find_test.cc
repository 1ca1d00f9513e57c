#include "scc/find.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kmeta::scc {
namespace {

TEST(DefineLine, GrepBreSemantics) {
  EXPECT_TRUE(define_line_matches("define KMACHINE qemuarm64", "qemuarm64"));
  EXPECT_TRUE(define_line_matches("  define KMACHINE qemuarm64  \t", "qemuarm64"));
  // Not anchored on the left, any variable counts.
  EXPECT_TRUE(define_line_matches("define KMACHINE xilinx-zynq", "zynq"));
  EXPECT_TRUE(define_line_matches("define KFOO zynq", "zynq"));
  // '.' matches any character.
  EXPECT_TRUE(define_line_matches("define KMACHINE qemuxX6", "qemux.6"));
  EXPECT_FALSE(define_line_matches("define KMACHINE qemuarm64 # c", "qemuarm64"));
  EXPECT_FALSE(define_line_matches("#define KMACHINE qemuarm64", "qemuarm64"));
  EXPECT_FALSE(define_line_matches("define KMACHINE qemuarm", "qemuarm64"));
  EXPECT_TRUE(define_line_matches("defineqemuarm64", "qemuarm64"));
  // Other BRE characters go through the regex engine.
  EXPECT_TRUE(define_line_matches("define KMACHINE aaab", "a*b"));
  EXPECT_TRUE(define_line_matches("define KMACHINE m1", "m[0-9]"));
  EXPECT_TRUE(define_line_matches("define KMACHINE x", "[bad"));  // grep parses "[bad[[:space:]]" as one set
  EXPECT_FALSE(define_line_matches("define KMACHINE x", "\\("));  // grep rejects the pattern: no match
}

class FindTest : public ::testing::Test {
 protected:
  FindResult find(const std::string& m, const std::string& t, bool fuzz = false) {
    FindOptions o;
    o.include_args = {"/k"};
    o.kmachine = m;
    o.ktype = t;
    o.fuzz = fuzz;
    return find_bsp(fs, o);
  }
  MemoryFileSystem fs;
};

// The prefilters (define lines only, a literal value's substring check) must
// not change a score: `\|` makes an unanchored branch that any line can
// match, as with grep; short files and define-less files behave as before.
TEST_F(FindTest, PrefiltersKeepGrepScores) {
  fs.add_file("/k/a.scc", "define K m\n");  // short: the text lives in the string itself
  fs.add_file("/k/b.scc", "kconf x standard\n  \tdefine KMACHINE m\n");
  fs.add_file("/k/c.scc", "# define KMACHINE m\ndefine KTYPE standard\n");
  fs.add_file("/k/d.scc", "kconf hardware standard\n");  // no define line: never a candidate
  fs.add_file("/k/e.scc", "define KTYPE standard\nx define KMACHINE m\n");
  std::vector<std::pair<std::string, int>> want = {{"/k/a.scc", 1}, {"/k/b.scc", 1}, {"/k/c.scc", 0},
                                                   {"/k/e.scc", 0}, {"/k/a.scc", 1}, {"/k/b.scc", 1},
                                                   {"/k/c.scc", 1}, {"/k/e.scc", 1}};
  EXPECT_EQ(find("m", "standard").scored, want);
  // "x\|standard": the second branch is `standard[[:space:]]*$` on any line,
  // so b.scc's kconf line counts; c.scc has no x on a define line but a
  // standard line.
  FindResult r = find("nomatch\\|standard", "tiny", true);
  std::vector<std::pair<std::string, int>> alt = {
      {"/k/a.scc", 0}, {"/k/b.scc", 1}, {"/k/c.scc", 1}, {"/k/e.scc", 1}};
  ASSERT_GE(r.scored.size(), 4u);
  EXPECT_EQ(std::vector(r.scored.begin(), r.scored.begin() + 4), alt);
  // A value with BRE operators is matched by the engine, not by substring.
  EXPECT_EQ(find("s.andard", "none").scored[0].second, 0);
  EXPECT_EQ(find("s.andard", "none").scored[2].second, 1);
}

TEST_F(FindTest, BothValuesNeededAndTheSecondTieWins) {
  fs.add_file("/k/bsp/a/a-std.scc", "define KMACHINE amd-zynq\ndefine KTYPE standard\n");
  fs.add_file("/k/bsp/x/x-std.scc", "define KMACHINE xilinx-zynq\ndefine KTYPE standard\n");
  fs.add_file("/k/bsp/y/y-std.scc", "define KMACHINE zynq\ndefine KTYPE standard\n");
  fs.add_file("/k/bsp/y/y-rt.scc", "define KMACHINE zynq\ndefine KTYPE preempt-rt\n");
  fs.add_file("/k/features/nodef.scc", "kconf hardware a.cfg\n");
  FindResult r = find("zynq", "standard");
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.score, 2);
  EXPECT_EQ(r.path, "/k/bsp/x/x-std.scc");  // second of a-std, x-std, y-std
  EXPECT_EQ(find("zynq", "preempt-rt").path, "/k/bsp/y/y-rt.scc");
  EXPECT_FALSE(find("zynq", "tiny").found);
  // --fuzz falls back to the KMACHINE-only search (same tie rule).
  FindResult f = find("zynq", "tiny", true);
  ASSERT_TRUE(f.found);
  EXPECT_EQ(f.path, "/k/bsp/x/x-std.scc");
  EXPECT_FALSE(find("nomatch", "tiny", true).found);
}

TEST_F(FindTest, SameValueTwiceNeverScoresTwo) {
  fs.add_file("/k/bsp/s.scc", "define KMACHINE standard\ndefine KTYPE standard\n");
  EXPECT_FALSE(find("standard", "standard").found);
}

TEST(FindReal, ZynqTieInBothCollations) {
  std::string k = std::string(KMETA_SHARED_DIR) + "/data/yocto-kernel-cache/yocto-6.12";
  if (!std::filesystem::is_directory(k)) GTEST_SKIP() << "no cache at " << k;
  DiskFileSystem fs;
  FindOptions o;
  o.include_args = {k};
  o.kmachine = "zynq";
  o.ktype = "standard";
  std::string root = fs.canonical(k).value();
  EXPECT_EQ(find_bsp(fs, o).path, root + "/bsp/xilinx-zynq/xilinx-zynq-standard.scc");
  o.collation = Collation::en_us;  // what Yocto's LC_ALL=en_US.UTF-8 gives (README of the goldens)
  EXPECT_EQ(find_bsp(fs, o).path, root + "/bsp/xilinx/zynq-standard.scc");
  o.kmachine = "qemux86-64";
  o.collation = Collation::bytes;
  EXPECT_EQ(find_bsp(fs, o).path, root + "/bsp/common-pc-64/common-pc-64-standard.scc");
}

TEST(FindReal, Yocto61ZynqEnUs) {
  std::string k = std::string(KMETA_SHARED_DIR) + "/data/yocto-kernel-cache/yocto-6.1";
  if (!std::filesystem::is_directory(k)) GTEST_SKIP() << "no cache at " << k;
  DiskFileSystem fs;
  FindOptions o;
  o.include_args = {k};
  o.kmachine = "zynq";
  o.ktype = "standard";
  std::string root = fs.canonical(k).value();
  EXPECT_EQ(find_bsp(fs, o).path, root + "/bsp/xilinx/zynq-standard.scc");
  o.collation = Collation::en_us;
  EXPECT_EQ(find_bsp(fs, o).path, root + "/bsp/xilinx-zynq/xilinx-zynq-standard.scc");
}

}  // namespace
}  // namespace kmeta::scc

namespace kmeta::scc {
namespace {

// KMACHINE/KTYPE are grep patterns to spp: a hostile one (20,000 nested
// groups overflowed std::regex's recursion) is a clear error; one that
// backtracks exponentially is answered in linear time; a value matched
// through "\|" can score on any line of a candidate, as with grep -l.
TEST(FindHostile, PatternsAreBoundedErrors) {
  MemoryFileSystem fs;
  fs.add_file("/k/bsp/a/a.scc",
              "define KMACHINE " + std::string(40, 'a') + "\ndefine KTYPE standard\n# tiny\n");
  FindOptions o;
  o.include_args = {"/k"};
  o.ktype = "standard";
  for (int i = 0; i < 20000; ++i) o.kmachine += "\\(";
  FindResult r = find_bsp(fs, o);
  EXPECT_FALSE(r.found);
  EXPECT_NE(r.error.find("is not a usable grep pattern"), std::string::npos) << r.error;
  EXPECT_LT(r.error.size(), 300u);  // the value is shown shortened

  o.kmachine = "\\(a*\\)*\\(a*\\)*\\(a*\\)*b";
  r = find_bsp(fs, o);
  EXPECT_TRUE(r.error.empty());
  EXPECT_FALSE(r.found);
  o.kmachine = "\\(a*\\)*";
  EXPECT_TRUE(find_bsp(fs, o).found);
  o.kmachine = "nomatch\\|tiny";
  EXPECT_TRUE(find_bsp(fs, o).found);  // "# tiny" ends in the alternative
}

}  // namespace
}  // namespace kmeta::scc
