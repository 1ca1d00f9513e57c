#include "base/file_system.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kmeta {
namespace {

TEST(MemoryFileSystem, FilesDirsAndListing) {
  MemoryFileSystem fs;
  fs.add_file("/k/features/a/a.scc", "x");
  fs.add_file("/k/features/a/b.cfg", "y");
  fs.add_dir("/k/empty");
  EXPECT_EQ(fs.type("/k/features/a/a.scc"), FileType::regular);
  EXPECT_EQ(fs.type("/k/features"), FileType::directory);
  EXPECT_EQ(fs.type("/k/empty"), FileType::directory);
  EXPECT_EQ(fs.type("/k/nope"), FileType::missing);
  EXPECT_EQ(*fs.read("/k/features/./a/../a/b.cfg"), "y");
  EXPECT_EQ(fs.canonical("/k/features/a/../a/new.scc").value(), "/k/features/a/new.scc");
  EXPECT_FALSE(fs.canonical("/k/missing/dir/x").has_value());
  auto l = fs.list("/k/features/a");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "a.scc");
  EXPECT_EQ(l[1].name, "b.cfg");
  auto top = fs.list("/k");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_TRUE(top[0].is_dir);
}

TEST(DiskFileSystem, CanonicalResolvesLikeReadlinkF) {
  DiskFileSystem fs;
  std::string src = KMETA_SOURCE_DIR;
  EXPECT_EQ(fs.canonical(src + "/src/scc/../scc/fs.h").value_or(""),
            fs.canonical(src + "/src/scc/fs.h").value_or("x"));
  // A missing last component is accepted, a missing parent is not.
  EXPECT_TRUE(fs.canonical(src + "/src/scc/does-not-exist").has_value());
  EXPECT_FALSE(fs.canonical(src + "/no/such/dir/x").has_value());
  EXPECT_TRUE(fs.is_file(src + "/src/scc/fs.h"));
  EXPECT_TRUE(fs.is_dir(src + "/src/scc"));
}

// What read_result() says for each kind of file, on disk (issue 9 item 11:
// what lkc would hang on, read forever or run out of memory on is refused
// with its reason, before anything is read).
TEST(DiskFileSystem, ReadResultRefusesWhatIsNotARegularFile) {
  kmeta::testing::TempDir t("kmeta-fs");
  ASSERT_EQ(::mkfifo((t / "fifo").c_str(), 0600), 0);
  ASSERT_EQ(::symlink("/dev/zero", (t / "zero").c_str()), 0);
  ASSERT_EQ(::mkdir((t / "dir").c_str(), 0700), 0);
  int fd = ::open((t / "huge").c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, off_t{20} << 30), 0);
  ::close(fd);
  ASSERT_TRUE(write_file_atomic(t / "Kconfig", "config A\n\tbool \"a\"\n"));

  DiskFileSystem disk;
  ReadResult ok = disk.read_result(t / "Kconfig");
  ASSERT_TRUE(ok.text);
  EXPECT_EQ(*ok.text, "config A\n\tbool \"a\"\n");
  EXPECT_EQ(ok.error, ReadError::none);
  ReadResult fifo = disk.read_result(t / "fifo");
  EXPECT_FALSE(fifo.text);
  EXPECT_EQ(fifo.error, ReadError::not_regular);
  EXPECT_EQ(fifo.reason, "not a regular file (a FIFO)");
  ReadResult zero = disk.read_result(t / "zero");
  EXPECT_EQ(zero.error, ReadError::not_regular);
  EXPECT_EQ(zero.reason, "not a regular file (a character device)");
  ReadResult huge = disk.read_result(t / "huge");
  EXPECT_EQ(huge.error, ReadError::too_large);
  EXPECT_EQ(huge.reason, "too large: 21474836480 bytes, the limit is 268435456");
  EXPECT_EQ(disk.read_result(t / "dir").error, ReadError::directory);
  ReadResult missing = disk.read_result(t / "missing");
  EXPECT_EQ(missing.error, ReadError::missing);
  EXPECT_EQ(missing.reason, "No such file or directory");
  EXPECT_EQ(disk.read(t / "missing"), nullptr);
}

// The caller's cap, on a first read and on a kept one; keep = false leaves
// nothing behind (the file changed on disk is read anew), keep = true
// answers from the cache.
TEST(DiskFileSystem, ReadResultCapAndKeep) {
  kmeta::testing::TempDir t("kmeta-fs");
  ASSERT_TRUE(write_file_atomic(t / "a", "0123456789"));
  DiskFileSystem disk;
  ReadResult capped = disk.read_result(t / "a", {.max_size = 4, .keep = false});
  EXPECT_FALSE(capped.text);
  EXPECT_EQ(capped.error, ReadError::too_large);
  EXPECT_EQ(capped.reason, "too large: 10 bytes, the limit is 4");
  ASSERT_TRUE(disk.read_result(t / "a", {.keep = false}).text);
  ASSERT_TRUE(write_file_atomic(t / "a", "changed"));
  EXPECT_EQ(*disk.read(t / "a"), "changed");  // nothing was kept: read anew, and kept now
  ASSERT_TRUE(write_file_atomic(t / "a", "changed again, and longer"));
  EXPECT_EQ(*disk.read(t / "a"), "changed");  // the kept text
  EXPECT_EQ(disk.read_result(t / "a", {.max_size = 3}).error, ReadError::too_large);
  EXPECT_EQ(*disk.read_result(t / "a", {.max_size = 7}).text, "changed");
}

TEST(MemoryFileSystem, ReadResultCapAndReasons) {
  MemoryFileSystem fs;
  fs.add_file("/k/a", "0123456789");
  fs.add_dir("/k/d");
  ReadResult ok = fs.read_result("/k/a");
  ASSERT_TRUE(ok.text);
  EXPECT_EQ(*ok.text, "0123456789");
  EXPECT_EQ(ok.error, ReadError::none);
  ReadResult capped = fs.read_result("/k/a", {.max_size = 4});
  EXPECT_FALSE(capped.text);
  EXPECT_EQ(capped.error, ReadError::too_large);
  EXPECT_EQ(capped.reason, "too large: 10 bytes, the limit is 4");
  EXPECT_EQ(*fs.read_result("/k/a", {.max_size = 10}).text, "0123456789");
  ReadResult dir = fs.read_result("/k/d");
  EXPECT_EQ(dir.error, ReadError::directory);
  EXPECT_EQ(dir.reason, "Is a directory");
  ReadResult missing = fs.read_result("/k/b");
  EXPECT_EQ(missing.error, ReadError::missing);
  EXPECT_EQ(missing.reason, "No such file or directory");
  EXPECT_EQ(fs.read("/k/b"), nullptr);
}

}  // namespace
}  // namespace kmeta
