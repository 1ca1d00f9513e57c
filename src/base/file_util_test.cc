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

}  // namespace
}  // namespace kmeta
