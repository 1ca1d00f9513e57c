#include "scc/search.h"

#include <gtest/gtest.h>

namespace kmeta::scc {
namespace {

TEST(Resolver, IncludeDirsLongestFirstTiesReversed) {
  MemoryFileSystem fs;
  for (const char* d : {"/x/aa", "/x/bb", "/x/ab", "/x/long", "/x/aa/deeper"}) fs.add_dir(d);
  Resolver r(fs, "/", {"/x/aa", "/x/bb", "/x/ab/", "/x/aa", "/x/missing", "/x/long", "/x/aa/deeper/.."});
  // Same as the reference: sort -u, longest first, equal lengths in reverse byte order.
  EXPECT_EQ(r.include_dirs(), (std::vector<std::string>{"/x/long", "/x/bb", "/x/ab", "/x/aa"}));
}

TEST(Resolver, SearchRules) {
  MemoryFileSystem fs;
  fs.add_file("/k/ktypes/standard/standard.scc", "");
  fs.add_file("/k/features/a.scc", "");
  fs.add_file("/k/features/b", "");
  fs.add_file("/k/features/c/features/c.scc", "");
  fs.add_file("/k/cfg/x.cfg", "");
  fs.add_file("/k/bsp/my-defconfig", "");
  fs.add_file("/k/d/odd/odd", "");  // rule 6: <stem>/<base> without extension
  fs.add_file("/cwd/local.scc", "");
  Resolver r(fs, "/cwd", {"/k"});
  EXPECT_EQ(r.search("ktypes/standard", r.include_dirs()), "/k/ktypes/standard/standard.scc");
  EXPECT_EQ(r.search("ktypes/standard.scc", r.include_dirs()), "/k/ktypes/standard/standard.scc");
  EXPECT_EQ(r.search("features/a", r.include_dirs()), "/k/features/a.scc");
  EXPECT_EQ(r.search("features/b", r.include_dirs()), "/k/features/b");
  EXPECT_EQ(r.search("features/c", r.include_dirs()), "/k/features/c/features/c.scc");
  EXPECT_EQ(r.search("cfg/x.cfg", r.include_dirs()), "/k/cfg/x.cfg");
  EXPECT_EQ(r.search("bsp/my-defconfig", r.include_dirs()), "/k/bsp/my-defconfig");
  EXPECT_EQ(r.search("d/odd", r.include_dirs()), "/k/d/odd/odd.scc");  // sic, and not a file
  EXPECT_FALSE(r.is_file(r.search("d/odd", r.include_dirs())));
  EXPECT_EQ(r.search("nope.scc", r.include_dirs()), "");
  // "." (the current directory) comes first; a name that is a file is returned as written.
  EXPECT_EQ(r.search("local", r.include_dirs()), "/cwd/local.scc");
  EXPECT_EQ(r.search("local.scc", r.include_dirs()), "local.scc");
}

TEST(Resolver, StripCommonPrefixAndPrefix) {
  MemoryFileSystem fs;
  fs.add_file("/k/features/a/a.cfg", "");
  fs.add_file("/layer/meta/x.patch", "");
  Resolver r(fs, "/", {"/k", "/layer/meta"});
  EXPECT_EQ(r.strip_common_prefix("/k/features/a/a.cfg"), "features/a/a.cfg");
  EXPECT_EQ(r.prefix_of("/k/features/a/a.cfg"), "/k/");
  EXPECT_EQ(r.prefix_of("/k/features/a/../a/a.cfg"), "/k/");
  EXPECT_EQ(r.strip_common_prefix("/layer/meta/x.patch"), "x.patch");
  // Outside every include dir: an existing file keeps its whole path (empty
  // prefix); a missing one loses its leading slash first (prefix "/").
  fs.add_file("/elsewhere/y.cfg", "");
  EXPECT_EQ(r.prefix_of("/elsewhere/y.cfg"), "");
  EXPECT_EQ(r.prefix_of("/elsewhere/z.cfg"), "/");
}

TEST(Collation, BytesAndEnUs) {
  EXPECT_LT(collate_compare("/k/bsp/xilinx-zynq/a", "/k/bsp/xilinx/zynq", Collation::bytes), 0);
  // en_US ignores punctuation first: "xilinxzynqa" > "xilinxzynq…"? compare "xilinxzynqa" vs "xilinxzynqzynq"
  EXPECT_GT(collate_compare("/k/bsp/xilinx-zynq/xilinx-zynq-standard.scc", "/k/bsp/xilinx/zynq-standard.scc",
                            Collation::en_us),
            0);
  EXPECT_LT(collate_compare("abc", "ABC", Collation::en_us), 0);
  EXPECT_EQ(collation_for_locale(nullptr, nullptr, nullptr), Collation::bytes);
  EXPECT_EQ(collation_for_locale("C", nullptr, "en_US.UTF-8"), Collation::bytes);
  EXPECT_EQ(collation_for_locale("", "", "en_US.UTF-8"), Collation::en_us);
  EXPECT_EQ(collation_for_locale("C.UTF-8", nullptr, nullptr), Collation::bytes);
}

TEST(RemoveFirst, LikeBashPatternRemoval) {
  EXPECT_EQ(remove_first("/a/b/a/c", "/a"), "/b/a/c");
  EXPECT_EQ(remove_first("abc", ""), "abc");
  EXPECT_EQ(remove_first("abc", "x"), "abc");
}

}  // namespace
}  // namespace kmeta::scc
