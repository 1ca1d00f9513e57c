#include "kbuild/model_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "kconfig/model_codec.h"
#include "kconfig/parse_testing.h"
#include "kconfig/printer.h"

namespace kmeta::kbuild {

using kconfig::encode_model;
using kconfig::expr_str;
using kconfig::kNone;
using kconfig::Messages;
using kconfig::Model;
using kconfig::ParseOptions;
using kconfig::print_model;
using kconfig::Stream;
namespace {

namespace fs = std::filesystem;

// A tree on disk (srctree), a build directory (cwd) and a cache directory.
class ModelCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = kmeta::testing::temp_root() + "/kmeta-model-cache.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    src_ = root_ + "/src";
    build_ = root_ + "/build";
    fs::create_directories(src_ + "/sub");
    fs::create_directories(build_);
    write("Kconfig",
          "mainmenu \"T $(ARCH)\"\n"
          "config A\n\tbool \"a\"\n\tdefault $(shell,echo y)\n"
          "config B\n\tstring \"b\"\n\tdefault \"$(OPTIONAL_VAR)\"\n"
          "$(warning-if,y,parsing)\n"
          "source \"sub/Kconfig\"\n");
    write("sub/Kconfig", "config C\n\ttristate \"c\"\n\tdepends on A\n");
    write("Makefile", "VERSION = 6\nPATCHLEVEL = 12\n");
    cache_.dir = root_ + "/cache";
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& rel, const std::string& text) {
    std::ofstream(src_ + "/" + rel, std::ios::trunc) << text;
  }
  ParseOptions options(const std::string& cwd = {}) {
    ParseOptions o;
    o.srctree = src_;
    o.cwd = cwd.empty() ? build_ : cwd;
    o.env = env_;
    o.shell = &shell_;
    return o;
  }
  struct Run {
    std::unique_ptr<Model> model;
    Messages msgs;
    ModelCacheResult res;
  };
  Run run(const std::string& cwd = {}) {
    Run r;
    r.model = parse_kconfig_cached("Kconfig", options(cwd), cache_, r.msgs, &r.res);
    return r;
  }
  size_t slots() const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(cache_.dir, ec)) n += e.path().extension() == ".model";
    return n;
  }

  std::string root_, src_, build_;
  std::map<std::string, std::string> env_ = {{"ARCH", "x86"}, {"srctree", ""}};
  kconfig::testing::Shell shell_;
  ModelCacheOptions cache_;
};

TEST_F(ModelCacheTest, SecondParseIsAHitWithTheSameModelAndMessages) {
  Run first = run();
  ASSERT_TRUE(first.model) << first.msgs.text(Stream::err);
  EXPECT_FALSE(first.res.hit);
  EXPECT_EQ(first.res.miss, "no stored model");
  EXPECT_TRUE(first.res.stored);
  EXPECT_EQ(first.msgs.text(Stream::err), "Kconfig:8: parsing\n");

  Run second = run();
  ASSERT_TRUE(second.model);
  EXPECT_TRUE(second.res.hit) << second.res.miss;
  EXPECT_TRUE(encode_model(*second.model) == encode_model(*first.model));
  EXPECT_EQ(print_model(*second.model), print_model(*first.model));
  EXPECT_EQ(second.msgs.text(Stream::err), first.msgs.text(Stream::err));
  ASSERT_EQ(second.msgs.items().size(), 1u);
  EXPECT_EQ(second.msgs.items()[0].severity, first.msgs.items()[0].severity);
  // The hit asked the shell again (the probe cache answers that when warm).
  EXPECT_EQ(shell_.commands.size(), 2u);
}

TEST_F(ModelCacheTest, AnEditedFileIsAMiss) {
  ASSERT_TRUE(run().res.stored);
  write("sub/Kconfig", "config C\n\ttristate \"c\"\n\tdepends on B\n");
  Run r = run();
  EXPECT_FALSE(r.res.hit);
  EXPECT_NE(r.res.miss.find("sub/Kconfig changed"), std::string::npos) << r.res.miss;
  EXPECT_EQ(expr_str(*r.model, r.model->node(r.model->sym(r.model->find("C")).nodes[0]).dep), "B");
  EXPECT_TRUE(run().res.hit);  // and the new parse was stored
}

TEST_F(ModelCacheTest, ATouchedFileIsAMiss) {
  ASSERT_TRUE(run().res.stored);
  struct timeval tv[2] = {{1000000000, 0}, {1000000000, 0}};  // same bytes, another mtime
  ASSERT_EQ(::utimes((src_ + "/Kconfig").c_str(), tv), 0);
  EXPECT_FALSE(run().res.hit);
}

TEST_F(ModelCacheTest, AFileAppearingWhereARelativeOpenLooksFirstIsAMiss) {
  ASSERT_TRUE(run().res.stored);
  // lkc opens "sub/Kconfig" relative to the cwd before $srctree/sub/Kconfig.
  fs::create_directories(build_ + "/sub");
  std::ofstream(build_ + "/sub/Kconfig") << "config D\n\tbool \"d\"\n";
  Run r = run();
  EXPECT_FALSE(r.res.hit);
  EXPECT_NE(r.model->find("D"), kNone);
  EXPECT_EQ(r.model->find("C"), kNone);
}

TEST_F(ModelCacheTest, AFileAppearingInAMissingDirectoryIsAMiss) {
  // sub/ does not exist in the build directory: one stat of it stands for
  // every file below it; creating it with the file inside must still count.
  ASSERT_TRUE(run().res.stored);
  fs::create_directories(build_ + "/sub");
  Run r = run();
  EXPECT_FALSE(r.res.hit);  // conservative: the directory stood for the file
  EXPECT_EQ(r.res.miss, "sub changed");
  EXPECT_TRUE(run().res.hit);  // now recorded as sub/Kconfig missing
  std::ofstream(build_ + "/sub/Kconfig") << "config D\n\tbool \"d\"\n";
  Run r2 = run();
  EXPECT_EQ(r2.res.miss, "sub/Kconfig changed");
  EXPECT_NE(r2.model->find("D"), kNone);
}

TEST_F(ModelCacheTest, AnotherBuildDirectoryOfTheSameTreeSharesTheSlot) {
  ASSERT_TRUE(run().res.stored);
  std::string other = root_ + "/build2";
  fs::create_directories(other);
  EXPECT_TRUE(run(other).res.hit);
  EXPECT_EQ(slots(), 1u);
}

TEST_F(ModelCacheTest, EnvironmentChangesAreMisses) {
  ASSERT_TRUE(run().res.stored);
  env_["UNRELATED"] = "1";  // not consulted by the tree
  EXPECT_TRUE(run().res.hit);
  env_["OPTIONAL_VAR"] = "now set";  // consulted while unset
  Run r = run();
  EXPECT_FALSE(r.res.hit);
  EXPECT_EQ(r.res.miss, "$(OPTIONAL_VAR) is now set");
  EXPECT_TRUE(run().res.hit);
  env_["OPTIONAL_VAR"] = "changed";  // consulted, other value
  EXPECT_EQ(run().res.miss, "$(OPTIONAL_VAR) changed");
}

TEST_F(ModelCacheTest, ChangedShellOutputIsAMiss) {
  ASSERT_TRUE(run().res.stored);
  shell_.output = "n\n";
  Run r = run();
  EXPECT_FALSE(r.res.hit);
  EXPECT_EQ(r.res.miss, "$(shell,echo y) changed");
}

TEST_F(ModelCacheTest, ArchitecturesGetTheirOwnSlots) {
  ASSERT_TRUE(run().res.stored);
  env_["ARCH"] = "arm64";
  EXPECT_EQ(run().res.miss, "no stored model");
  env_["ARCH"] = "x86";
  EXPECT_TRUE(run().res.hit);
  EXPECT_EQ(slots(), 2u);
}

TEST_F(ModelCacheTest, CorruptOrTruncatedEntriesAreMissesNotErrors) {
  ASSERT_TRUE(run().res.stored);
  std::string slot;
  for (const auto& e : fs::directory_iterator(cache_.dir)) slot = e.path();
  std::string bytes = *read_file(slot);
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x20;
  ASSERT_TRUE(write_file_atomic(slot, flipped));
  Run r = run();
  EXPECT_FALSE(r.res.hit);
  EXPECT_NE(r.res.miss, "");  // where the flip lands decides which check sees it first
  ASSERT_TRUE(r.model);
  ASSERT_TRUE(write_file_atomic(slot, bytes.substr(0, bytes.size() - 10)));
  EXPECT_EQ(run().res.miss, "truncated");
  ASSERT_TRUE(write_file_atomic(slot, "garbage"));
  EXPECT_EQ(run().res.miss, "not a model cache file");
  EXPECT_TRUE(run().res.hit);
}

TEST_F(ModelCacheTest, ACorruptModelIsCaughtByTheChecksumEvenWhenItDecodes) {
  ASSERT_TRUE(run().res.stored);
  std::string slot;
  for (const auto& e : fs::directory_iterator(cache_.dir)) slot = e.path();
  std::string bytes = *read_file(slot);
  // The mainmenu text sits in the model blob near the end; changing a letter
  // still decodes, so only the checksum can tell.
  size_t at = bytes.rfind("T x86");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'U';
  ASSERT_TRUE(write_file_atomic(slot, bytes));
  Run r = run();
  EXPECT_FALSE(r.res.hit);
  EXPECT_EQ(r.res.miss, "checksum mismatch");
  EXPECT_EQ(r.model->mainmenu, "T x86");
}

TEST_F(ModelCacheTest, ADamagedProbeCommandIsNeverRun) {
  ASSERT_TRUE(run().res.stored);
  std::string slot;
  for (const auto& e : fs::directory_iterator(cache_.dir)) slot = e.path();
  std::string bytes = *read_file(slot);
  size_t at = bytes.find("echo y");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 5] = 'z';
  ASSERT_TRUE(write_file_atomic(slot, bytes));
  shell_.commands.clear();
  Run r = run();
  EXPECT_EQ(r.res.miss, "checksum mismatch");
  EXPECT_EQ(shell_.commands, std::vector<std::string>{"echo y"});  // the fresh parse's, only
}

// Issue 9 item 12: a flipped bit anywhere in the help part (read lazily,
// after the model) invalidates the entry: re-parsed, re-stored, and the help
// text (the audit's rename hints) is never silently empty.
TEST_F(ModelCacheTest, ADamagedHelpTextInvalidatesTheEntry) {
  write("sub/Kconfig", "config C\n\ttristate \"c\"\n\tdepends on A\n\thelp\n\t  Formerly OLD_C.\n");
  auto help_of_c = [](const Model& m) { return std::string(m.help(m.sym(m.find("C")).nodes[0])); };
  Run first = run();
  ASSERT_TRUE(first.res.stored);
  ASSERT_EQ(help_of_c(*first.model), "Formerly OLD_C.\n");
  std::string slot;
  for (const auto& e : fs::directory_iterator(cache_.dir)) slot = e.path();
  const std::string good = *read_file(slot);
  size_t at = good.rfind("Formerly OLD_C.");
  ASSERT_NE(at, std::string::npos);
  for (size_t i = at; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x01;
    ASSERT_TRUE(write_file_atomic(slot, bad));
    Run r = run();
    EXPECT_FALSE(r.res.hit) << "byte " << i;
    EXPECT_EQ(r.res.miss, "help text checksum mismatch") << "byte " << i;
    EXPECT_TRUE(r.res.stored);
    ASSERT_TRUE(r.model);
    EXPECT_EQ(help_of_c(*r.model), "Formerly OLD_C.\n");
    EXPECT_EQ(*read_file(slot), good);  // re-stored
  }
  Run again = run();
  EXPECT_TRUE(again.res.hit) << again.res.miss;
  EXPECT_EQ(help_of_c(*again.model), "Formerly OLD_C.\n");
}

// Issue 9 items 3 and 11: a cache directory others can write is not used;
// an entry that is not a regular file of the user's is a miss with a
// warning (a FIFO there used to hang the run) and is replaced.
TEST_F(ModelCacheTest, UntrustedDirectoryIsNotUsed) {
  ASSERT_TRUE(run().res.stored);
  ASSERT_EQ(::chmod(cache_.dir.c_str(), 0777), 0);
  Run r = run();
  ASSERT_TRUE(r.model);
  EXPECT_FALSE(r.res.hit);
  EXPECT_FALSE(r.res.stored);
  EXPECT_EQ(r.res.miss, "cache not trusted");
  EXPECT_EQ(r.res.warning, "ignoring the model cache " + cache_.dir + ": " + cache_.dir +
                               " is writable by group or others; parsing, storing nothing");
  ASSERT_EQ(::chmod(cache_.dir.c_str(), 0700), 0);
  EXPECT_TRUE(run().res.hit);
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(cache_.dir.c_str(), 65534, 65534), 0);
    EXPECT_EQ(run().res.miss, "cache not trusted");
    ASSERT_EQ(::chown(cache_.dir.c_str(), 0, 0), 0);
  }
}

TEST_F(ModelCacheTest, OddEntriesAreMissesWithAWarning) {
  ASSERT_TRUE(run().res.stored);
  std::string slot;
  for (const auto& e : fs::directory_iterator(cache_.dir)) slot = e.path();
  auto check = [&](const std::string& what, const std::string& why) {
    Run r = run();
    ASSERT_TRUE(r.model) << what;
    EXPECT_FALSE(r.res.hit) << what;
    EXPECT_EQ(r.res.warning, "ignoring model cache entry " + slot + ": " + why) << what;
    EXPECT_TRUE(r.res.stored) << what;
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(slot))) << what;
    Run again = run();
    EXPECT_TRUE(again.res.hit) << what;
    EXPECT_EQ(again.res.warning, "") << what;
  };
  fs::remove(slot);
  ASSERT_EQ(::mkfifo(slot.c_str(), 0600), 0);
  check("FIFO", "not a regular file (a FIFO)");
  fs::remove(slot);
  fs::create_symlink("/dev/zero", slot);
  check("link to /dev/zero", "Too many levels of symbolic links");
  ASSERT_EQ(::chmod(slot.c_str(), 0666), 0);
  check("writable by others", "writable by group or others");
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(slot.c_str(), 65534, 65534), 0);
    check("another user's", "owned by uid 65534, not by the current user");
  }
}

TEST_F(ModelCacheTest, FailedParsesAreNotStored) {
  write("sub/Kconfig", "config C\n\ttristate \"c\"\n\tdepends on (A\n");
  Run r = run();
  EXPECT_FALSE(r.model);
  EXPECT_FALSE(r.res.stored);
  EXPECT_EQ(slots(), 0u);
}

TEST_F(ModelCacheTest, KeepsOnlyTheNewestSlots) {
  cache_.keep = 2;
  for (const char* arch : {"a1", "a2", "a3", "a4"}) {
    env_["ARCH"] = arch;
    ASSERT_TRUE(run().res.stored);
  }
  EXPECT_EQ(slots(), 2u);
}

TEST_F(ModelCacheTest, AnotherProducerGetsItsOwnSlot) {
  cache_.producer = producer_identity();
  EXPECT_NE(cache_.producer, "kmeta");  // /proc/self/exe was found
  ASSERT_TRUE(run().res.stored);
  EXPECT_TRUE(run().res.hit);
  cache_.producer += " rebuilt";
  EXPECT_EQ(run().res.miss, "no stored model");
}

TEST_F(ModelCacheTest, StoreOffReadsButNeverWrites) {
  cache_.store = false;
  EXPECT_FALSE(run().res.stored);
  EXPECT_EQ(slots(), 0u);
}

}  // namespace
}  // namespace kmeta::kbuild
