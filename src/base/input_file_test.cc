#include "base/input_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kmeta {
namespace {

using kmeta::testing::TempDir;

struct Got {
  std::optional<std::string> text;
  std::string error;
  ReadError kind = ReadError::none;
};

Got read(const std::string& path, ReadOptions o = {}) {
  Got g;
  g.text = read_file(path, &g.error, &g.kind, o);
  return g;
}

TEST(InputFile, ReadsRegularFiles) {
  TempDir t;
  ASSERT_TRUE(write_file_atomic(t / "a", "hello\n"));
  ASSERT_TRUE(write_file_atomic(t / "empty", ""));
  EXPECT_EQ(read(t / "a").text.value(), "hello\n");
  EXPECT_EQ(read(t / "empty").text.value(), "");
  ASSERT_EQ(::symlink("a", (t / "link").c_str()), 0);
  EXPECT_EQ(read(t / "link").text.value(), "hello\n");  // inputs may be symlinks
  Got g = read(t / "link", {.nofollow = true});
  EXPECT_FALSE(g.text);
  EXPECT_EQ(g.kind, ReadError::symlink_loop);
}

// Each reason is its own: none of these is "does not exist".
TEST(InputFile, SaysWhyItCannotRead) {
  TempDir t;
  Got g = read(t / "missing");
  EXPECT_EQ(g.kind, ReadError::missing);
  EXPECT_EQ(g.error, "No such file or directory");

  g = read(t.path());
  EXPECT_EQ(g.kind, ReadError::directory);
  EXPECT_EQ(g.error, "Is a directory");

  ASSERT_EQ(::symlink("loop2", (t / "loop1").c_str()), 0);
  ASSERT_EQ(::symlink("loop1", (t / "loop2").c_str()), 0);
  g = read(t / "loop1");
  EXPECT_EQ(g.kind, ReadError::symlink_loop);
  EXPECT_EQ(g.error, "Too many levels of symbolic links");

  ASSERT_TRUE(write_file_atomic(t / "secret", "x"));
  ASSERT_EQ(::chmod((t / "secret").c_str(), 0), 0);
  if (::geteuid() != 0) {  // root reads anything
    g = read(t / "secret");
    EXPECT_EQ(g.kind, ReadError::permission);
  }
}

// A FIFO without a writer, a link to /dev/zero, a terminal-like device:
// refused at once, never read (this test hangs or allocates forever when they
// are read).
TEST(InputFile, RefusesWhatIsNotARegularFile) {
  TempDir t;
  ASSERT_EQ(::mkfifo((t / "fifo").c_str(), 0644), 0);
  Got g = read(t / "fifo");
  EXPECT_FALSE(g.text);
  EXPECT_EQ(g.kind, ReadError::not_regular);
  EXPECT_EQ(g.error, "not a regular file (a FIFO)");

  ASSERT_EQ(::symlink("/dev/zero", (t / "zero").c_str()), 0);
  g = read(t / "zero");
  EXPECT_EQ(g.kind, ReadError::not_regular);
  EXPECT_EQ(g.error, "not a regular file (a character device)");

  // /dev/null stays the empty input it always was (KCONFIG_ALLCONFIG=/dev/null).
  EXPECT_EQ(read("/dev/null").text.value(), "");
  EXPECT_EQ(read("/dev/null", {.private_file = true}).kind, ReadError::not_regular);
}

// A sparse file far larger than memory is refused before anything is
// allocated; so is one over a caller's smaller cap.
TEST(InputFile, CapsTheSize) {
  TempDir t;
  int fd = ::open((t / "sparse").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, off_t{20} << 30), 0);  // 20 GiB of holes
  ::close(fd);
  Got g = read(t / "sparse");
  EXPECT_FALSE(g.text);
  EXPECT_EQ(g.kind, ReadError::too_large);
  EXPECT_EQ(g.error, "too large: 21474836480 bytes, the limit is 268435456");

  ASSERT_TRUE(write_file_atomic(t / "ten", "0123456789"));
  EXPECT_EQ(read(t / "ten", {.max_size = 10}).text.value(), "0123456789");
  g = read(t / "ten", {.max_size = 9});
  EXPECT_EQ(g.kind, ReadError::too_large);
}

TEST(InputFile, PrivateFilesMustBeTheUsers) {
  TempDir t;
  ASSERT_TRUE(write_file_atomic(t / "mine", "x"));
  ASSERT_EQ(::chmod((t / "mine").c_str(), 0644), 0);
  EXPECT_TRUE(read(t / "mine", {.private_file = true}).text);
  ASSERT_EQ(::chmod((t / "mine").c_str(), 0664), 0);
  Got g = read(t / "mine", {.private_file = true});
  EXPECT_EQ(g.kind, ReadError::untrusted);
  EXPECT_EQ(g.error, "writable by group or others");
  ASSERT_EQ(::chmod((t / "mine").c_str(), 0646), 0);
  EXPECT_EQ(read(t / "mine", {.private_file = true}).kind, ReadError::untrusted);
  EXPECT_TRUE(read(t / "mine").text);  // inputs are not held to it
  if (::geteuid() == 0) {              // only root can give a file away
    ASSERT_EQ(::chmod((t / "mine").c_str(), 0644), 0);
    ASSERT_EQ(::chown((t / "mine").c_str(), 65534, 65534), 0);
    g = read(t / "mine", {.private_file = true});
    EXPECT_EQ(g.kind, ReadError::untrusted);
    EXPECT_EQ(g.error, "owned by uid 65534, not by the current user");
  }
}

}  // namespace
}  // namespace kmeta
