#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "kconfig/parser.h"

namespace kmeta::kconfig {
namespace {

// Issue 9 item 11: what lkc would hang on (a FIFO) is refused with its
// reason (base/file_system_test.cc covers each kind of refusal); what lkc
// reports in its own words (missing, a directory) keeps lkc's words.
TEST(ParseFiles, TheParserSaysWhereAndWhy) {
  kmeta::testing::TempDir t("kmeta-fsrc");
  ASSERT_EQ(::mkfifo((t / "fifo").c_str(), 0600), 0);
  ASSERT_TRUE(write_file_atomic(t / "Kconfig", "config A\n\tbool \"a\"\nsource \"fifo\"\n"));
  ParseOptions o;
  o.srctree = t.path();
  o.cwd = t.path();
  Messages msgs;
  EXPECT_FALSE(parse_kconfig("Kconfig", o, msgs));
  EXPECT_EQ(msgs.text(Stream::err), "Kconfig:3: error: cannot read \"fifo\": not a regular file (a FIFO)\n");
  Messages top;
  EXPECT_FALSE(parse_kconfig("fifo", o, top));
  EXPECT_EQ(top.text(Stream::err), "fifo: error: cannot read: not a regular file (a FIFO)\n");
}

TEST(ParseFiles, LkcWordsForAMissingFileAndADirectory) {
  MemoryFileSystem fs;
  fs.add_file("/t/Kconfig", "config A\n\tbool \"a\"\nsource \"nope\"\n");
  fs.add_file("/t/Kdir", "source \"sub\"\n");
  fs.add_dir("/t/sub");
  ParseOptions o;
  o.files = &fs;
  o.cwd = "/t";
  o.dialect = Dialect::v6_12;
  Messages missing;
  EXPECT_FALSE(parse_kconfig("Kconfig", o, missing));
  EXPECT_EQ(missing.text(Stream::err), "Kconfig:3: can't open file \"nope\"\n");
  Messages dir;
  EXPECT_FALSE(parse_kconfig("Kdir", o, dir));
  EXPECT_EQ(dir.text(Stream::err), "input in flex scanner failed\n");
  // Relative names are read from cwd, then from $srctree.
  o.cwd = "/elsewhere";
  o.srctree = "/t";
  Messages fallback;
  EXPECT_FALSE(parse_kconfig("Kconfig", o, fallback));
  EXPECT_EQ(fallback.text(Stream::err), "Kconfig:3: can't open file \"nope\"\n");
}

}  // namespace
}  // namespace kmeta::kconfig
