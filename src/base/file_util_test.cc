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
  for (auto& e : fs::directory_iterator(dir / "a")) {
    (void)e;
    ++entries;
  }
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

namespace kmeta {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const char* name) {
  fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The issue-9 attack: a symlink planted at the old predictable temporary
// name (<file>.kmeta-tmp.<pid>) and at the target itself. Neither victim is
// written, and the target ends a regular file.
TEST(AtomicFile, NeverFollowsPlantedSymlinks) {
  fs::path dir = fresh_dir("kmeta_atomic_symlinks");
  fs::path victim = dir / "victim", victim2 = dir / "victim2";
  ASSERT_TRUE(write_file_atomic(victim.string(), "precious"));
  ASSERT_TRUE(write_file_atomic(victim2.string(), "precious2"));
  fs::path target = dir / ".config";
  for (const std::string& name :
       std::vector<std::string>{".config.kmeta-tmp." + std::to_string(::getpid()),
                                "..config.kmeta-tmp." + std::to_string(::getpid()), ".config.tmp",
                                ".config." + std::to_string(::getpid()) + ".tmp"})
    fs::create_symlink(victim, dir / name);
  fs::create_symlink(victim2, target);
  std::string err;
  ASSERT_TRUE(write_file_atomic(target.string(), "new", &err)) << err;
  EXPECT_EQ(read_file(victim.string()).value(), "precious");
  EXPECT_EQ(read_file(victim2.string()).value(), "precious2");
  EXPECT_FALSE(fs::is_symlink(target));
  EXPECT_EQ(read_file(target.string()).value(), "new");
}

TEST(AtomicFile, TemporaryIsExclusiveHiddenAndUnpredictable) {
  fs::path dir = fresh_dir("kmeta_atomic_names");
  std::string target = (dir / "out").string();
  AtomicFile a(target), b(target);  // two writers of one file never share a temporary
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  ASSERT_EQ(names.size(), 2u);
  EXPECT_NE(names[0], names[1]);
  for (const auto& n : names) {
    EXPECT_TRUE(is_atomic_temp_name(n)) << n;
    EXPECT_EQ(n.rfind(".out.kmeta-tmp.", 0), 0u) << n;
  }
  EXPECT_TRUE(a.write("a") && a.commit());
  EXPECT_TRUE(b.write("b") && b.commit());
  EXPECT_EQ(read_file(target).value(), "b");
  EXPECT_EQ(entries_in(dir), 1);
}

// Directories built then renamed into place (the bundle deploy folder, a
// squashfs image written by tar2sqfs): a new, unpredictable name every time,
// never a planted directory or symlink.
TEST(FileUtil, TempDirBesideIsNewAndNeverAPlantedLink) {
  fs::path dir = fresh_dir("kmeta_temp_dir");
  fs::path victim = dir / "victim";
  fs::create_directory(victim);
  fs::create_symlink(victim, dir / (".x86_64.kmeta-tmp." + std::to_string(::getpid())));
  std::string err;
  std::string a = create_temp_dir_beside((dir / "x86_64").string(), &err);
  std::string b = create_temp_dir_beside((dir / "x86_64").string(), &err);
  ASSERT_FALSE(a.empty()) << err;
  ASSERT_FALSE(b.empty()) << err;
  EXPECT_NE(a, b);
  for (const std::string& t : {a, b}) {
    EXPECT_TRUE(fs::is_directory(t) && !fs::is_symlink(t)) << t;
    EXPECT_TRUE(fs::is_empty(t));
    EXPECT_TRUE(is_atomic_temp_name(fs::path(t).filename().string())) << t;
  }
  EXPECT_TRUE(fs::is_empty(victim));
  EXPECT_TRUE(create_temp_dir_beside((dir / "no" / "such" / "deep").string(), &err).size() > 0) << err;
  EXPECT_EQ(create_temp_dir_beside("/proc/kmeta-no/x", &err), "");
  EXPECT_NE(err.find("/proc/kmeta-no/x: "), std::string::npos) << err;
}

// Private scratch space: a new mode-0700 directory under the parent given,
// gone with everything in it when the object goes; "" when it cannot be made.
TEST(FileUtil, ScratchDirIsPrivateAndRemovedWithTheObject) {
  fs::path dir = fresh_dir("kmeta_scratch_dir");
  std::string kept;
  {
    ScratchDir a(dir.string(), "kmeta-x");
    ScratchDir b(dir.string(), "kmeta-x");
    ASSERT_FALSE(a.path().empty());
    EXPECT_NE(a.path(), b.path());
    EXPECT_EQ(fs::path(a.path()).parent_path(), dir);
    EXPECT_EQ(fs::path(a.path()).filename().string().rfind("kmeta-x.", 0), 0u) << a.path();
    EXPECT_EQ(fs::status(a.path()).permissions() & fs::perms::all, fs::perms::owner_all);
    fs::create_directories(a.path() + "/sub");
    std::FILE* f = std::fopen((a.path() + "/sub/file").c_str(), "w");
    ASSERT_TRUE(f);
    std::fclose(f);
    kept = a.path();
  }
  EXPECT_FALSE(fs::exists(kept));
  EXPECT_TRUE(fs::is_empty(dir));
  ScratchDir none("/proc/kmeta-no", "kmeta-x");
  EXPECT_EQ(none.path(), "");
}

TEST(AtomicFile, BackupIsAHardLinkAndTheTargetNeverGoes) {
  fs::path dir = fresh_dir("kmeta_atomic_backup");
  std::string target = (dir / ".config").string(), old = (dir / ".config.old").string();
  AtomicFile none(target);  // nothing to back up yet
  none.write("one");
  ASSERT_TRUE(none.commit(nullptr, old));
  EXPECT_FALSE(file_exists(old));
  fs::create_symlink(dir / "victim", old);  // a planted .config.old is replaced, not followed
  AtomicFile f(target);
  f.write("two");
  ASSERT_TRUE(f.commit(nullptr, old));
  EXPECT_EQ(read_file(target).value(), "two");
  EXPECT_FALSE(fs::is_symlink(old));
  EXPECT_EQ(read_file(old).value(), "one");
  EXPECT_FALSE(file_exists((dir / "victim").string()));
  EXPECT_EQ(entries_in(dir), 2);
  // Killed between the backup and the rename: backup and target are one
  // file. The next commit must not leave its link temporary behind.
  fs::remove(old);
  fs::create_hard_link(target, old);
  AtomicFile g(target);
  g.write("three");
  ASSERT_TRUE(g.commit(nullptr, old));
  EXPECT_EQ(read_file(old).value(), "two");
  EXPECT_EQ(entries_in(dir), 2);
}

TEST(AtomicFile, ErrorsNameThePath) {
  // /proc refuses new files for everyone, root included (ENOSPC and EROFS
  // are injected with strace in tests/output_dir.sh).
  std::string err;
  EXPECT_FALSE(write_file_atomic("/proc/self/kmeta-out", "x", &err));
  EXPECT_NE(err.find("/proc/self/kmeta-out: "), std::string::npos) << err;
}

TEST(AtomicFile, StaleTemporariesOfKilledRunsAreRemoved) {
  fs::path dir = fresh_dir("kmeta_atomic_stale");
  ASSERT_TRUE(write_file_atomic((dir / "keep").string(), "k"));
  ASSERT_TRUE(write_file_atomic((dir / ".keep.kmeta-tmp.notrandom").string(), "k"));
  // What a killed run leaves: an AtomicFile temporary that was never renamed.
  ASSERT_TRUE(write_file_atomic((dir / ".out.kmeta-tmp.0123456789abcdef").string(), "half"));
  EXPECT_EQ(entries_in(dir), 3);
  EXPECT_EQ(remove_stale_temps(dir.string()), 1);
  EXPECT_EQ(entries_in(dir), 2);
}

}  // namespace
}  // namespace kmeta
