#include "base/file_util.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kmeta {
namespace {

namespace fs = std::filesystem;

TEST(FileUtil, AtomicWriteCreatesParentsAndLeavesNoTemp) {
  fs::path dir = fs::path(::testing::TempDir()) / "kmeta_file_util";
  fs::remove_all(dir);
  std::string target = (dir / "a" / "b.txt").string();
  std::string err;
  ASSERT_TRUE(write_file_atomic(target, "hello\n", &err)) << err;
  EXPECT_EQ(read_file(target).value(), "hello\n");
  ASSERT_TRUE(write_file_atomic(target, "x", &err));
  EXPECT_EQ(read_file(target).value(), "x");
  int entries = 0;
  for (auto& e : fs::directory_iterator(dir / "a")) { (void)e; ++entries; }
  EXPECT_EQ(entries, 1);
}

TEST(FileUtil, ReadMissingFileReportsError) {
  std::string err;
  EXPECT_FALSE(read_file("/nonexistent/kmeta/x", &err).has_value());
  EXPECT_FALSE(err.empty());
  EXPECT_FALSE(read_file("/", &err).has_value());
}

TEST(FileUtil, AtomicWriteFailsIntoMissingDirectoryOfFile) {
  std::string err;
  EXPECT_FALSE(write_file_atomic("/proc/kmeta-cannot-write/x", "x", &err));
}

int entries_in(const fs::path& dir) {
  int n = 0;
  for (auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

TEST(AtomicFile, AppearsWholeOnCommitOnly) {
  fs::path dir = fs::path(::testing::TempDir()) / "kmeta_atomic_file";
  fs::remove_all(dir);
  std::string target = (dir / "out.bin").string();
  ASSERT_TRUE(write_file_atomic(target, "old"));
  {
    AtomicFile f(target);
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(f.write("hello "));
    EXPECT_TRUE(f.write("world"));
    EXPECT_TRUE(f.pwrite("J", 6));
    EXPECT_EQ(read_file(target).value(), "old");  // not yet
    std::string err;
    ASSERT_TRUE(f.commit(&err)) << err;
    EXPECT_FALSE(f.commit(&err));  // once
  }
  EXPECT_EQ(read_file(target).value(), "hello Jorld");
  EXPECT_EQ(entries_in(dir), 1);
  {
    AtomicFile f(target);
    f.write("abandoned");
  }  // no commit: the temporary goes, the old file stays
  EXPECT_EQ(read_file(target).value(), "hello Jorld");
  EXPECT_EQ(entries_in(dir), 1);
}

TEST(AtomicFile, FirstErrorSticks) {
  AtomicFile f("/proc/kmeta-cannot-write/x");
  EXPECT_FALSE(f.ok());
  EXPECT_FALSE(f.write("x"));
  std::string err;
  EXPECT_FALSE(f.commit(&err));
  EXPECT_FALSE(err.empty());
}

}  // namespace
}  // namespace kmeta
