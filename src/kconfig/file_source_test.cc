#include "kconfig/file_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "kconfig/parser.h"

namespace kmeta::kconfig {
namespace {

// Issue 9 item 11: what lkc would hang on (a FIFO), read forever (a link to
// /dev/zero) or run out of memory on (a 20 GB sparse file) is refused with
// its reason; what lkc reports in its own words (missing, a directory) keeps
// its status.
TEST(DiskFileSource, RefusesWhatIsNotARegularFile) {
  kmeta::testing::TempDir t("kmeta-fsrc");
  ASSERT_EQ(::mkfifo((t / "fifo").c_str(), 0600), 0);
  ASSERT_EQ(::symlink("/dev/zero", (t / "zero").c_str()), 0);
  ASSERT_EQ(::mkdir((t / "dir").c_str(), 0700), 0);
  int fd = ::open((t / "huge").c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, off_t{20} << 30), 0);
  ::close(fd);
  ASSERT_TRUE(write_file_atomic(t / "Kconfig", "config A\n\tbool \"a\"\n"));

  DiskFileSource disk(t.path());
  std::string text, why;
  EXPECT_EQ(disk.read("Kconfig", &text, &why), FileSource::Status::ok);
  EXPECT_EQ(text, "config A\n\tbool \"a\"\n");
  EXPECT_EQ(disk.read("fifo", &text, &why), FileSource::Status::refused);
  EXPECT_EQ(why, "not a regular file (a FIFO)");
  EXPECT_EQ(disk.read("zero", &text, &why), FileSource::Status::refused);
  EXPECT_EQ(why, "not a regular file (a character device)");
  EXPECT_EQ(disk.read("huge", &text, &why), FileSource::Status::refused);
  EXPECT_EQ(why, "too large: 21474836480 bytes, the limit is 268435456");
  EXPECT_EQ(disk.read("dir", &text, &why), FileSource::Status::unreadable);
  EXPECT_EQ(disk.read("missing", &text, &why), FileSource::Status::missing);
}

TEST(DiskFileSource, TheParserSaysWhereAndWhy) {
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

}  // namespace
}  // namespace kmeta::kconfig
