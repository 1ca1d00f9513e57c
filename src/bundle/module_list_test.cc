#include "bundle/module_list.h"

#include <fnmatch.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>
#include <string>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kmeta::bundle {
namespace {

TEST(GlobMatch, StarStopsAtSlashDoubleStarCrossesIt) {
  EXPECT_TRUE(glob_match("drivers/net/virtio*", "drivers/net/virtio_net.ko"));
  EXPECT_FALSE(glob_match("drivers/*", "drivers/net/virtio_net.ko"));
  EXPECT_TRUE(glob_match("drivers/**", "drivers/net/virtio_net.ko"));
  EXPECT_TRUE(glob_match("**/virtio_net.ko", "kernel/drivers/net/virtio_net.ko"));
  EXPECT_TRUE(glob_match("virtio?rng", "virtio_rng"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_FALSE(glob_match("virtio", "virtio_ring"));
}

// Without "**", the glob is fnmatch(3) with FNM_PATHNAME ('*' and '?' never
// match '/'): random patterns and texts over a small alphabet agree.
TEST(GlobMatch, AgreesWithFnmatchPathname) {
  std::mt19937 rng(12);
  const std::string pa = "ab/*?", ta = "ab/";
  int checked = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string p, t;
    for (int k = rng() % 9; k > 0; --k) {
      char c = pa[rng() % pa.size()];
      if (c == '*' && !p.empty() && p.back() == '*') continue;
      p += c;
    }
    for (int k = rng() % 10; k > 0; --k) t += ta[rng() % ta.size()];
    bool want = fnmatch(p.c_str(), t.c_str(), FNM_PATHNAME) == 0;
    ASSERT_EQ(glob_match(p, t), want) << "pattern '" << p << "' text '" << t << "'";
    ++checked;
  }
  EXPECT_EQ(checked, 20000);
}

// A hostile list line: 40 stars against a 60-character name that almost
// matches. A backtracking matcher takes C(60,40) steps; this one finishes.
TEST(GlobMatch, ManyStarsStayPolynomial) {
  std::string p, t(60, 'a');
  for (int i = 0; i < 40; ++i) p += "a*";
  p += "b";
  EXPECT_FALSE(glob_match(p, t));
  EXPECT_FALSE(glob_match("**" + p, "x/" + t));
  EXPECT_TRUE(glob_match(p.substr(0, p.size() - 1), t));
}

TEST(ParseListLine, Forms) {
  Diagnostics d;
  ListEntry e;
  ASSERT_TRUE(parse_list_line("virtio-rng", Location{"l", 1}, &e, &d));
  EXPECT_EQ(e.kind, ListEntry::Kind::name);
  EXPECT_EQ(e.pattern, "virtio_rng");
  ASSERT_TRUE(parse_list_line("  e1000e ?", Location{"l", 2}, &e, &d));
  EXPECT_TRUE(e.optional);
  EXPECT_FALSE(e.exclude);
  ASSERT_TRUE(parse_list_line("virtio_mmio -", Location{"l", 3}, &e, &d));
  EXPECT_TRUE(e.exclude);
  ASSERT_TRUE(parse_list_line("kernel/drivers/net/virtio*", Location{"l", 4}, &e, &d));
  EXPECT_EQ(e.kind, ListEntry::Kind::path_glob);
  ASSERT_TRUE(parse_list_line("=drivers/char/hw_random/", Location{"l", 5}, &e, &d));
  EXPECT_EQ(e.kind, ListEntry::Kind::subtree);
  EXPECT_EQ(e.pattern, "drivers/char/hw_random");
  ASSERT_TRUE(parse_list_line("virtio*", Location{"l", 6}, &e, &d));
  EXPECT_EQ(e.kind, ListEntry::Kind::name_glob);
  ASSERT_TRUE(parse_list_line("# a comment", Location{"l", 7}, &e, &d));
  EXPECT_TRUE(e.pattern.empty());
  EXPECT_FALSE(d.has_errors());
  EXPECT_FALSE(parse_list_line("virtio maybe", Location{"l", 8}, &e, &d));
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.items()[0].render(),
            "l:8: error: expected 'MODULE', 'MODULE ?' or 'MODULE -', got 'virtio maybe'");
}

TEST(EntryMatches, PathsWithOrWithoutKernelPrefix) {
  Diagnostics d;
  ListEntry e;
  parse_list_line("drivers/virtio/virtio_ring", Location{}, &e, &d);
  EXPECT_TRUE(entry_matches(e, "virtio_ring", "kernel/drivers/virtio/virtio_ring.ko"));
  EXPECT_TRUE(entry_matches(e, "virtio_ring", "kernel/drivers/virtio/virtio_ring.ko.xz"));
  parse_list_line("=drivers/virtio", Location{}, &e, &d);
  EXPECT_TRUE(entry_matches(e, "virtio", "kernel/drivers/virtio/virtio.ko"));
  EXPECT_FALSE(entry_matches(e, "virtio_rng", "kernel/drivers/char/hw_random/virtio-rng.ko"));
  parse_list_line("=drivers/virt", Location{}, &e, &d);
  EXPECT_FALSE(entry_matches(e, "virtio", "kernel/drivers/virtio/virtio.ko"));
}

TEST(ReadListFile, IncludesKeepTheirChainAndCyclesAreErrors) {
  kmeta::testing::TempDir t{"kmeta-list-test"};
  ASSERT_TRUE(write_file_atomic(t.path() + "/top", "# top\nvirtio_rng\n#include <nic>\nvirtio_mmio -\n"));
  ASSERT_TRUE(write_file_atomic(t.path() + "/nic", "virtio_net ?\n#include \"top\"\n"));
  Diagnostics d;
  auto entries = read_list_file(t.path() + "/top", &d);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].pattern, "virtio_rng");
  EXPECT_EQ(entries[1].pattern, "virtio_net");
  EXPECT_EQ(entries[1].where.str(), t.path() + "/nic:1");
  ASSERT_EQ(entries[1].chain.size(), 1u);
  EXPECT_EQ(entries[1].chain[0].str(), t.path() + "/top:3");
  EXPECT_TRUE(entries[2].exclude);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(d.items()[0].message.find("#include cycle"), std::string::npos);
  EXPECT_EQ(d.items()[0].where.str(), t.path() + "/nic:2");
}

TEST(ReadListFile, MissingFileAndMissingInclude) {
  kmeta::testing::TempDir t{"kmeta-list-test"};
  Diagnostics d;
  read_list_file(t.path() + "/nope", &d);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(d.items()[0].render().find("cannot read module list"), std::string::npos);
  ASSERT_TRUE(write_file_atomic(t.path() + "/a", "#include <gone>\n"));
  Diagnostics d2;
  read_list_file(t.path() + "/a", &d2);
  ASSERT_EQ(d2.error_count(), 1u);
  EXPECT_EQ(d2.items()[0].where.str(), t.path() + "/a:1");
}

}  // namespace
}  // namespace kmeta::bundle
