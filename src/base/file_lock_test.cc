#include "base/file_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/testing/temp_dir.h"

namespace kmeta {
namespace {

using kmeta::testing::TempDir;

LockRequest req(const std::string& path, LockMode mode = LockMode::exclusive, bool wait = false) {
  LockRequest r;
  r.path = path;
  r.mode = mode;
  r.wait = wait;
  return r;
}

TEST(FileLock, ExclusiveExcludesEveryOtherHolder) {
  TempDir t;
  std::string p = t / "lock";
  std::string err;
  FileLock a, b;
  ASSERT_EQ(lock_file(req(p), &a, &err), LockResult::locked) << err;
  EXPECT_TRUE(a.held());
  // flock locks belong to open file descriptions: a second open conflicts even in this process.
  EXPECT_EQ(lock_file(req(p), &b, &err), LockResult::busy);
  EXPECT_FALSE(b.held());
  EXPECT_EQ(lock_file(req(p, LockMode::shared), &b, &err), LockResult::busy);
  a.release();
  EXPECT_FALSE(a.held());
  EXPECT_EQ(lock_file(req(p), &b, &err), LockResult::locked) << err;
}

TEST(FileLock, SharedHoldersCoexist) {
  TempDir t;
  std::string p = t / "lock";
  std::string err;
  FileLock a, b, c;
  ASSERT_EQ(lock_file(req(p, LockMode::shared), &a, &err), LockResult::locked) << err;
  EXPECT_EQ(lock_file(req(p, LockMode::shared), &b, &err), LockResult::locked) << err;
  EXPECT_EQ(lock_file(req(p), &c, &err), LockResult::busy);
}

TEST(FileLock, SharedWithoutCreateOnAMissingFileIsAbsent) {
  TempDir t;
  LockRequest r = req(t / "none", LockMode::shared);
  r.create = false;
  FileLock l;
  std::string err;
  EXPECT_EQ(lock_file(r, &l, &err), LockResult::absent);
  EXPECT_FALSE(l.held());
  struct stat st {};
  EXPECT_NE(::lstat((t / "none").c_str(), &st), 0);  // not created
}

TEST(FileLock, RefusesSymlinksAndDirectories) {
  TempDir t;
  ASSERT_EQ(::symlink((t / "target").c_str(), (t / "link").c_str()), 0);
  ASSERT_EQ(::mkdir((t / "dir").c_str(), 0755), 0);
  FileLock l;
  std::string err;
  EXPECT_EQ(lock_file(req(t / "link"), &l, &err), LockResult::failed);
  struct stat st {};
  EXPECT_NE(::lstat((t / "target").c_str(), &st), 0);  // nothing created through the link
  err.clear();
  EXPECT_EQ(lock_file(req(t / "dir", LockMode::shared), &l, &err), LockResult::failed);
  EXPECT_NE(err.find("dir"), std::string::npos) << err;
}

TEST(FileLock, AKilledHolderLeavesNoStaleLock) {
  TempDir t;
  std::string p = t / "lock";
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    FileLock l;
    std::string err;
    if (lock_file(req(p), &l, &err) != LockResult::locked) ::_exit(1);
    (void)!::write(ready[1], "x", 1);
    ::pause();
    ::_exit(0);
  }
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  FileLock l;
  std::string err;
  EXPECT_EQ(lock_file(req(p), &l, &err), LockResult::busy);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(lock_file(req(p), &l, &err), LockResult::locked) << err;
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST(FileLock, WaitCallsOnWaitOnceThenTakesTheLock) {
  TempDir t;
  std::string p = t / "lock";
  std::string err;
  auto held = std::make_unique<FileLock>();
  ASSERT_EQ(lock_file(req(p), held.get(), &err), LockResult::locked);
  int waits = 0;
  LockRequest r = req(p, LockMode::exclusive, /*wait=*/true);
  r.on_wait = [&] {
    ++waits;
    held.reset();  // the other holder goes away while we wait
  };
  FileLock l;
  EXPECT_EQ(lock_file(r, &l, &err), LockResult::locked) << err;
  EXPECT_EQ(waits, 1);
}

}  // namespace
}  // namespace kmeta
