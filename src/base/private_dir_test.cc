#include "base/private_dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/testing/temp_dir.h"

namespace kmeta {
namespace {

using kmeta::testing::TempDir;

TEST(PrivateDir, CreatesPrivateDirectories) {
  TempDir t;
  ASSERT_EQ(::chmod(t.path().c_str(), 0755), 0);
  std::string d = t / "a/b/c";
  std::string why;
  EXPECT_TRUE(check_private_dir(d, &why)) << why;  // missing: its ancestors are fine
  mode_t old = ::umask(0);                         // even with a permissive umask
  EXPECT_TRUE(make_private_dirs(d));
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat((t / "a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(d.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(check_private_dir(d, &why)) << why;
}

TEST(PrivateDir, RefusesDirectoriesOthersCanWrite) {
  TempDir t;
  ASSERT_EQ(::chmod(t.path().c_str(), 0755), 0);
  std::string d = t / "cache";
  ASSERT_TRUE(make_private_dirs(d));
  std::string why;
  ASSERT_EQ(::chmod(d.c_str(), 0770), 0);
  EXPECT_FALSE(check_private_dir(d, &why));
  EXPECT_NE(why.find("is writable by group or others"), std::string::npos) << why;
  ASSERT_EQ(::chmod(d.c_str(), 0703), 0);
  EXPECT_FALSE(check_private_dir(d, &why));
  // Sticky does not excuse the cache directory itself...
  ASSERT_EQ(::chmod(d.c_str(), 01777), 0);
  EXPECT_FALSE(check_private_dir(d, &why));
  // ...but does an ancestor (/tmp): others cannot replace what is below.
  ASSERT_EQ(::chmod(d.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(t.path().c_str(), 01777), 0);
  EXPECT_TRUE(check_private_dir(d, &why)) << why;
  EXPECT_TRUE(check_private_dir(d + "/not/yet", &why)) << why;
  ASSERT_EQ(::chmod(t.path().c_str(), 0777), 0);  // a non-sticky shared ancestor
  EXPECT_FALSE(check_private_dir(d, &why));
  EXPECT_NE(why.find(t.path() + " is writable"), std::string::npos) << why;
  EXPECT_FALSE(check_private_dir(d + "/not/yet", &why));
  ASSERT_EQ(::chmod(t.path().c_str(), 0755), 0);
}

TEST(PrivateDir, RefusesDirectoriesOfOtherUsers) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  TempDir t;
  ASSERT_EQ(::chmod(t.path().c_str(), 0755), 0);
  std::string d = t / "cache";
  ASSERT_TRUE(make_private_dirs(d + "/sub"));
  ASSERT_EQ(::chown(d.c_str(), 65534, 65534), 0);  // nobody
  std::string why;
  EXPECT_FALSE(check_private_dir(d, &why));
  EXPECT_EQ(why, d + " is owned by uid 65534, not by the current user");
  EXPECT_FALSE(check_private_dir(d + "/sub", &why));  // an ancestor owned by another user
  EXPECT_FALSE(check_private_dir(d + "/missing", &why));
  // Through a symlink: the real directory is checked.
  ASSERT_EQ(::symlink(d.c_str(), (t / "link").c_str()), 0);
  EXPECT_FALSE(check_private_dir(t / "link", &why));
}

TEST(PrivateDir, AFileIsNotADirectory) {
  TempDir t;
  ASSERT_EQ(::chmod(t.path().c_str(), 0755), 0);
  ASSERT_EQ(::close(::creat((t / "f").c_str(), 0600)), 0);
  std::string why;
  EXPECT_FALSE(check_private_dir(t / "f", &why));
  EXPECT_FALSE(make_private_dirs(t / "f"));
}

}  // namespace
}  // namespace kmeta
