#include "kbuild/probe_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/checksum.h"
#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kmeta::kbuild {
namespace {

namespace fs = std::filesystem;

class TempDir : public kmeta::testing::TempDir {
 public:
  TempDir() : kmeta::testing::TempDir("kmeta-probe") {}
  std::string write(const std::string& rel, const std::string& text, bool exec = false) {
    fs::path p = fs::path(path()) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    if (exec) fs::permissions(p, fs::perms::owner_all);
    return p.string();
  }
};

// Counts executions; answers "out:<command>\n". The cache's own question to a
// compiler (its search directories) is counted apart.
struct CountingExec {
  int calls = 0;
  int searches = 0;
  CommandRunner fn() {
    return [this](const std::string& cmd, std::string* out, std::string*) {
      if (cmd.ends_with(" -print-search-dirs"))
        ++searches;
      else
        ++calls;
      *out = "out:" + cmd + "\n\n";
      return true;
    };
  }
};

ProbeCacheOptions opts(const TempDir& t, ProbeMode mode = ProbeMode::read_write) {
  ProbeCacheOptions o;
  o.dir = t.path() + "/cache";
  o.mode = mode;
  o.env = {{"PATH", t.path() + "/bin"}, {"CC", "mygcc"}, {"LD", "myld"}, {"HOME", "/home/x"}};
  o.cwd = t.path();
  return o;
}

TEST(ProbeCache, MissThenHitAcrossInstances) {
  TempDir t;
  t.write("bin/mygcc", "#!/bin/sh\necho gcc 1\n", true);
  CountingExec ex;
  std::string out, err;
  {
    ProbeCache c(opts(t), ex.fn());
    ASSERT_TRUE(c.run("mygcc -Werror -c -x c /dev/null", &out, &err)) << err;
    EXPECT_EQ(out, "out:mygcc -Werror -c -x c /dev/null\n\n");
    EXPECT_EQ(c.stats().misses, 1u);
    EXPECT_EQ(c.stats().stored, 1u);
    ASSERT_TRUE(c.run("mygcc -Werror -c -x c /dev/null", &out, &err));
    EXPECT_EQ(c.stats().hits, 1u);
  }
  EXPECT_EQ(ex.calls, 1);
  // A new process (instance) with the same environment spawns nothing.
  ProbeCache c2(opts(t), ex.fn());
  ASSERT_TRUE(c2.run("mygcc -Werror -c -x c /dev/null", &out, &err));
  EXPECT_EQ(out, "out:mygcc -Werror -c -x c /dev/null\n\n");  // raw bytes, trailing newlines kept
  EXPECT_EQ(ex.calls, 1);
  EXPECT_EQ(c2.stats().hits, 1u);
  // A different command text is a different probe.
  ASSERT_TRUE(c2.run("mygcc -Werror -c -x c /dev/null ", &out, &err));
  EXPECT_EQ(ex.calls, 2);
}

TEST(ProbeCache, KeyChangesWhenTheToolChanges) {
  TempDir t;
  std::string gcc = t.write("bin/mygcc", "#!/bin/sh\necho gcc 1\n", true);
  CountingExec ex;
  std::string out, err;
  const std::string cmd = "mygcc --version";
  ProbeCache a(opts(t), ex.fn());
  std::string before = a.entry_path(cmd);
  ASSERT_TRUE(a.run(cmd, &out, &err));
  // Upgrade the compiler: different size and mtime.
  t.write("bin/mygcc", "#!/bin/sh\necho gcc 2 -- upgraded\n", true);
  struct utimbuf tb = {1000000000, 1000000000};
  ::utime(gcc.c_str(), &tb);
  ProbeCache b(opts(t), ex.fn());
  EXPECT_NE(b.entry_path(cmd), before);
  ASSERT_TRUE(b.run(cmd, &out, &err));
  EXPECT_EQ(ex.calls, 2);
  EXPECT_EQ(b.stats().misses, 1u);
}

TEST(ProbeCache, GccKeyCoversItsBinutils) {
  TempDir t;
  t.write("bin/x-gcc", "#!/bin/sh\n", true);
  std::string as = t.write("bin/x-as", "#!/bin/sh\n", true);
  ProbeCacheOptions o = opts(t);
  o.env["CC"] = "x-gcc";
  CountingExec ex;
  const std::string cmd = "printf '%b\\n' 'nop' | x-gcc -c -x assembler-with-cpp -o /dev/null -";
  std::string before = ProbeCache(o, ex.fn()).entry_path(cmd);
  t.write("bin/x-as", "#!/bin/sh\n# newer binutils\n", true);
  EXPECT_NE(ProbeCache(o, ex.fn()).entry_path(cmd), before);
  (void)as;
}

TEST(ProbeCache, KeyCoversScriptsAndTheToolsTheyRead) {
  TempDir t;
  t.write("bin/mygcc", "#!/bin/sh\n", true);
  t.write("bin/myld", "#!/bin/sh\n", true);
  std::string script = t.write("scripts/ld-version.sh", "#!/bin/sh\necho GNU 2.40\n", true);
  CountingExec ex;
  // The command names only LD, but a script may read $CC too.
  const std::string cmd = script + " myld";
  ProbeCache a(opts(t), ex.fn());
  std::string m = a.key_material(cmd);
  EXPECT_NE(m.find("file " + script), std::string::npos) << m;
  EXPECT_NE(m.find("myld -> " + t.path() + "/bin/myld"), std::string::npos) << m;
  EXPECT_NE(m.find("mygcc -> " + t.path() + "/bin/mygcc"), std::string::npos) << m;
  std::string before = a.entry_path(cmd);
  t.write("scripts/ld-version.sh", "#!/bin/sh\necho GNU 2.41 changed\n", true);
  EXPECT_NE(ProbeCache(opts(t), ex.fn()).entry_path(cmd), before);
  // Relative paths resolve against the probe's cwd.
  EXPECT_NE(a.key_material("scripts/ld-version.sh myld").find("file " + t.path() + "/scripts/ld-version.sh"),
            std::string::npos);
}

TEST(ProbeCache, KeyedEnvironment) {
  TempDir t;
  CountingExec ex;
  const std::string cmd = "echo hi";
  std::string base = ProbeCache(opts(t), ex.fn()).entry_path(cmd);
  ProbeCacheOptions o = opts(t);
  o.env["HOME"] = "/elsewhere";  // not read by probes: same key
  o.env["TERM"] = "dumb";
  EXPECT_EQ(ProbeCache(o, ex.fn()).entry_path(cmd), base);
  o.env["PATH"] = "/usr/bin";  // decides which tools run
  EXPECT_NE(ProbeCache(o, ex.fn()).entry_path(cmd), base);
  o = opts(t);
  o.env["LC_ALL"] = "de_DE.UTF-8";  // tools translate their messages
  EXPECT_NE(ProbeCache(o, ex.fn()).entry_path(cmd), base);
  o = opts(t);
  o.cwd = "/somewhere/else";  // one cache serves every O= directory
  EXPECT_EQ(ProbeCache(o, ex.fn()).entry_path(cmd), base);
}

TEST(ProbeCache, ReplayNeverExecutes) {
  TempDir t;
  CountingExec ex;
  std::string out, err;
  {
    ProbeCache rec(opts(t), ex.fn());
    ASSERT_TRUE(rec.run("echo recorded", &out, &err));
  }
  ProbeCache rep(opts(t, ProbeMode::replay), ex.fn());
  ASSERT_TRUE(rep.run("echo recorded", &out, &err)) << err;
  EXPECT_EQ(out, "out:echo recorded\n\n");
  EXPECT_FALSE(rep.run("mygcc -mno-such-flag -c -x c /dev/null", &out, &err));
  EXPECT_NE(err.find("probe cache miss in replay mode: $(shell,mygcc -mno-such-flag -c -x c /dev/null)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(t.path() + "/cache"), std::string::npos) << err;
  EXPECT_EQ(ex.calls, 1);
  EXPECT_EQ(rep.stats().misses, 1u);
}

TEST(ProbeCache, OffModeAlwaysExecutesAndStoresNothing) {
  TempDir t;
  CountingExec ex;
  std::string out, err;
  ProbeCache c(opts(t, ProbeMode::off), ex.fn());
  ASSERT_TRUE(c.run("echo a", &out, &err));
  ASSERT_TRUE(c.run("echo a", &out, &err));
  EXPECT_EQ(ex.calls, 2);
  EXPECT_FALSE(fs::exists(t.path() + "/cache"));
}

TEST(ProbeCache, CorruptOrForeignEntryIsAMiss) {
  TempDir t;
  CountingExec ex;
  std::string out, err;
  ProbeCache c(opts(t), ex.fn());
  std::string path = c.entry_path("echo x");
  fs::create_directories(fs::path(path).parent_path());
  // Another key's material (a digest collision), with a valid checksum.
  std::string body = "12\nnot the key!3\nabc";
  char sum[17];
  std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(checksum64(body)));
  std::ofstream(path) << "kmeta-probe-entry 3 " << sum << "\n" << body;
  ASSERT_TRUE(c.run("echo x", &out, &err));
  EXPECT_EQ(ex.calls, 1);
  EXPECT_EQ(out, "out:echo x\n\n");
  EXPECT_TRUE(c.warnings().empty());  // a collision is not damage
  std::ofstream(path) << "garbage";
  ProbeCache c2(opts(t), ex.fn());
  ASSERT_TRUE(c2.run("echo x", &out, &err));
  EXPECT_EQ(ex.calls, 2);
  ASSERT_EQ(c2.warnings().size(), 1u);
  EXPECT_EQ(c2.warnings()[0], "probe cache entry " + path +
                                  " is damaged (not a probe cache entry of this version): probing again");
}

// Issue 9 item 2: any one flipped bit anywhere in an entry (the output, the
// key, the sizes, the header) is a miss with a warning, probed again and
// rewritten; never a different answer.
TEST(ProbeCache, EveryFlippedBitIsCaught) {
  TempDir t;
  const std::string cmd = "echo y";
  ProbeCacheOptions o = opts(t);
  {
    CountingExec ex;
    ProbeCache rec(o, ex.fn());
    std::string out, err;
    ASSERT_TRUE(rec.run(cmd, &out, &err));
  }
  std::string path = ProbeCache(o, CountingExec().fn()).entry_path(cmd);
  const std::string good = read_file(path).value();
  ASSERT_NE(good.find("out:echo y"), std::string::npos);
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit : {0, 1, 7}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      ASSERT_TRUE(write_file_atomic(path, bad));
      CountingExec ex;
      ProbeCache c(o, ex.fn());
      std::string out, err;
      ASSERT_TRUE(c.run(cmd, &out, &err));
      EXPECT_EQ(out, "out:echo y\n\n") << "byte " << i << " bit " << bit;
      EXPECT_EQ(ex.calls, 1) << "byte " << i << " bit " << bit << ": damaged entry used";
      EXPECT_EQ(c.stats().rejected, 1u);
      ASSERT_EQ(c.warnings().size(), 1u);
      EXPECT_NE(c.warnings()[0].find("is damaged"), std::string::npos) << c.warnings()[0];
      EXPECT_EQ(read_file(path).value(), good);  // rewritten
    }
  }
  // The entry as written is a hit, without a warning.
  CountingExec ex;
  ProbeCache c(o, ex.fn());
  std::string out, err;
  ASSERT_TRUE(c.run(cmd, &out, &err));
  EXPECT_EQ(ex.calls, 0);
  EXPECT_TRUE(c.warnings().empty());
}

// Issue 9 item 11: whatever sits at an entry's path, a run ends with the
// right answer (a FIFO or /dev/zero made it hang).
TEST(ProbeCache, OddEntriesAreMisses) {
  TempDir t;
  const std::string cmd = "echo odd";
  ProbeCacheOptions o = opts(t);
  std::string path = ProbeCache(o, CountingExec().fn()).entry_path(cmd);
  fs::create_directories(fs::path(path).parent_path());
  auto check = [&](const char* what, bool rewritten) {
    CountingExec ex;
    ProbeCache c(o, ex.fn());
    std::string out, err;
    ASSERT_TRUE(c.run(cmd, &out, &err)) << what;
    EXPECT_EQ(out, "out:echo odd\n\n") << what;
    EXPECT_EQ(ex.calls, 1) << what;
    ASSERT_EQ(c.warnings().size(), 1u) << what;
    EXPECT_NE(c.warnings()[0].find("ignoring probe cache entry " + path + ": "), std::string::npos)
        << c.warnings()[0];
    EXPECT_EQ(fs::is_regular_file(fs::symlink_status(path)), rewritten) << what;
    fs::remove_all(path);
  };
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  check("FIFO", true);
  fs::create_symlink("/dev/zero", path);
  check("link to /dev/zero", true);
  {
    CountingExec ex;
    ProbeCache rec(o, ex.fn());
    std::string out, err;
    ASSERT_TRUE(rec.run(cmd, &out, &err));
  }
  fs::rename(path, path + ".real");
  fs::create_symlink(path + ".real", path);  // even a link to a good entry
  check("symlink", true);
  fs::remove(path + ".real");
  fs::create_directories(path + "/sub");
  check("directory", false);  // cannot be replaced, but the probe answers
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, off_t{20} << 30), 0);  // 20 GiB, sparse
  ::close(fd);
  check("huge", true);
}

// Issue 9 item 3: a cache directory others could have written is not read
// from or written to; the run goes on uncached and says so.
TEST(ProbeCache, UntrustedDirectoryIsNotUsed) {
  TempDir t;
  ProbeCacheOptions o = opts(t);
  const std::string cmd = "echo trusted";
  {
    CountingExec ex;
    ProbeCache rec(o, ex.fn());
    std::string out, err;
    ASSERT_TRUE(rec.run(cmd, &out, &err));
    EXPECT_TRUE(rec.trusted());
    EXPECT_TRUE(rec.warnings().empty());
  }
  std::string path = ProbeCache(o, CountingExec().fn()).entry_path(cmd);
  auto expect_uncached = [&](const std::string& why) {
    CountingExec ex;
    ProbeCache c(o, ex.fn());
    EXPECT_FALSE(c.trusted());
    ASSERT_EQ(c.warnings().size(), 1u);
    EXPECT_EQ(c.warnings()[0],
              "ignoring the probe cache " + o.dir + ": " + why + "; every probe runs, nothing is stored");
    std::string out, err;
    ASSERT_TRUE(c.run(cmd, &out, &err));
    ASSERT_TRUE(c.run(cmd, &out, &err));
    EXPECT_EQ(ex.calls, 2);
    EXPECT_EQ(c.stats().stored, 0u);
    ProbeCacheOptions r = o;
    r.mode = ProbeMode::replay;
    ProbeCache rep(r, ex.fn());
    EXPECT_FALSE(rep.run(cmd, &out, &err));
    EXPECT_NE(err.find("the cache is not trusted"), std::string::npos) << err;
    EXPECT_EQ(ex.calls, 2);
  };
  ASSERT_EQ(::chmod(o.dir.c_str(), 0777), 0);
  expect_uncached(o.dir + " is writable by group or others");
  ASSERT_EQ(::chmod(o.dir.c_str(), 0700), 0);
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(o.dir.c_str(), 65534, 65534), 0);  // nobody's
    expect_uncached(o.dir + " is owned by uid 65534, not by the current user");
    ASSERT_EQ(::chown(o.dir.c_str(), 0, 0), 0);
    // An entry planted by another user: a miss, re-probed, replaced by ours.
    ASSERT_TRUE(write_file_atomic(path, read_file(path).value()));
    ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
    CountingExec ex;
    ProbeCache c(o, ex.fn());
    std::string out, err;
    ASSERT_TRUE(c.run(cmd, &out, &err));
    EXPECT_EQ(ex.calls, 1);
    ASSERT_EQ(c.warnings().size(), 1u);
    EXPECT_EQ(c.warnings()[0],
              "ignoring probe cache entry " + path + ": owned by uid 65534, not by the current user");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u);
  }
  // A group-writable entry, even our own.
  ASSERT_EQ(::chmod(path.c_str(), 0664), 0);
  CountingExec ex;
  ProbeCache c(o, ex.fn());
  std::string out, err;
  ASSERT_TRUE(c.run(cmd, &out, &err));
  EXPECT_EQ(ex.calls, 1);
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_EQ(c.warnings()[0], "ignoring probe cache entry " + path + ": writable by group or others");
}

TEST(ProbeCache, CreatesItsDirectoriesPrivate) {
  TempDir t;
  ProbeCacheOptions o = opts(t);
  o.dir = t.path() + "/a/b/probes";
  mode_t old = ::umask(0);
  CountingExec ex;
  ProbeCache c(o, ex.fn());
  std::string out, err;
  ASSERT_TRUE(c.run("echo p", &out, &err));
  ::umask(old);
  EXPECT_EQ(c.stats().stored, 1u);
  for (const std::string& d :
       {t.path() + "/a", o.dir, fs::path(c.entry_path("echo p")).parent_path().string()}) {
    struct stat st {};
    ASSERT_EQ(::stat(d.c_str(), &st), 0) << d;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << d;
  }
}

TEST(ProbeCache, NoDirectoryMeansNoCache) {
  TempDir t;
  ProbeCacheOptions o = opts(t);
  o.dir.clear();
  CountingExec ex;
  ProbeCache c(o, ex.fn());
  std::string out, err;
  ASSERT_TRUE(c.run("echo p", &out, &err));
  ASSERT_TRUE(c.run("echo p", &out, &err));
  EXPECT_EQ(ex.calls, 2);
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_EQ(c.warnings()[0], "no probe cache directory: every probe runs, nothing is stored");
}

// Issue 9 item 16: a probe that runs the compiler is keyed by the crt/libc
// files its link would read, found in the compiler's own library search
// directories: installing a libc for a cross compiler changes the key, an
// unrelated file does not, and a warm run still spawns nothing.
TEST(ProbeCache, CompilerProbesAreKeyedByTheLibcTheyLinkWith) {
  TempDir t;
  std::string sysroot = t.path() + "/sysroot";
  fs::create_directories(sysroot + "/gcc");
  t.write("bin/x-gcc",
          "#!/bin/sh\n[ \"$1\" = -print-search-dirs ] && echo \"install: " + sysroot +
              "/gcc/\" && echo \"programs: =/p\" && "
              "echo \"libraries: =" +
              sysroot + "/gcc/:" + sysroot + "/lib/\"\nexit 0\n",
          true);
  ProbeCacheOptions o = opts(t);
  o.env["CC"] = "x-gcc";
  SpawnRunner sp({{"PATH", t.path() + "/bin:/usr/bin:/bin"}}, t.path());
  auto exec = [&](const std::string& c, std::string* out, std::string* e) { return sp.run(c, out, e); };
  const std::string link = "x-gcc -x c - -o /dev/null";  // cc-can-link.sh's shape
  const std::string other = "echo no compiler here";
  std::string before, other_before;
  {
    ProbeCache c(o, exec);
    before = c.entry_path(link);
    other_before = c.entry_path(other);
    EXPECT_NE(c.key_material(link).find(sysroot + "/lib/libc.so absent"), std::string::npos)
        << c.key_material(link);
    EXPECT_EQ(c.key_material(other).find("sysroot"), std::string::npos);
  }
  EXPECT_EQ(sp.spawned(), 1u);  // the search directories, once
  {
    ProbeCache c(o, exec);
    EXPECT_EQ(c.entry_path(link), before);  // the search directories come from the cache
  }
  EXPECT_EQ(sp.spawned(), 1u);
  t.write("sysroot/lib/unrelated.txt", "x");
  EXPECT_EQ(ProbeCache(o, exec).entry_path(link), before);
  // "apt-get install libc6-dev-<arch>-cross"
  t.write("sysroot/lib/libc.so", "/* GNU ld script */");
  t.write("sysroot/lib/crt1.o", "");
  std::string after = ProbeCache(o, exec).entry_path(link);
  EXPECT_NE(after, before);
  EXPECT_EQ(ProbeCache(o, exec).entry_path(other), other_before);
  // An upgrade of one of them changes it again.
  t.write("sysroot/lib/libc.so", "/* GNU ld script, newer */");
  EXPECT_NE(ProbeCache(o, exec).entry_path(link), after);
  // A script probe (cc-can-link.sh $(CC) ...) reads $CC: keyed the same way.
  std::string script = t.write("scripts/cc-can-link.sh", "#!/bin/sh\n", true);
  EXPECT_NE(ProbeCache(o, exec).key_material(script + " x-gcc").find(sysroot + "/lib/libc.so "),
            std::string::npos);
}

TEST(ProbeCache, FailedExecutionIsNotCached) {
  TempDir t;
  int calls = 0;
  CommandRunner failing = [&](const std::string&, std::string*, std::string* e) {
    ++calls;
    *e = "boom";
    return false;
  };
  std::string out, err;
  ProbeCache c(opts(t), failing);
  EXPECT_FALSE(c.run("echo x", &out, &err));
  EXPECT_EQ(err, "boom");
  EXPECT_FALSE(c.run("echo x", &out, &err));
  EXPECT_EQ(calls, 2);
}

TEST(ProbeCache, DefaultDirectory) {
  EXPECT_EQ(default_probe_dir("/xdg", "/home/u"), "/xdg/kmeta/probes");
  EXPECT_EQ(default_probe_dir("", "/home/u"), "/home/u/.cache/kmeta/probes");
  EXPECT_EQ(default_probe_dir("relative", "/home/u"), "/home/u/.cache/kmeta/probes");  // XDG: absolute only
  // Issue 9 item 3: without HOME, the passwd entry's home; never /tmp.
  EXPECT_EQ(default_probe_dir("", "", "/home/pw"), "/home/pw/.cache/kmeta/probes");
  EXPECT_EQ(default_probe_dir("", "relative", "/home/pw"), "/home/pw/.cache/kmeta/probes");
  EXPECT_EQ(default_probe_dir("", "", ""), "");
  EXPECT_EQ(default_probe_dir("", ""), "");
}

TEST(ProbeCache, DigestIsStableAndSpread) {
  EXPECT_EQ(probe_digest("abc"), probe_digest("abc"));
  EXPECT_NE(probe_digest("abc"), probe_digest("abd"));
  EXPECT_EQ(probe_digest("").size(), 32u);
}

TEST(SpawnRunner, ExplicitEnvironmentAndDirectory) {
  TempDir t;
  SpawnRunner r({{"FOO", "bar baz"}, {"PATH", "/usr/bin:/bin"}}, t.path());
  std::string out, err;
  ASSERT_TRUE(
      r.run("echo \"$FOO\"; pwd; echo \"${HOME-unset}\"; mkdir .tmp_$$ && rmdir .tmp_$$; exit 3", &out, &err))
      << err;
  EXPECT_EQ(out, "bar baz\n" + t.path() + "\nunset\n");
  EXPECT_EQ(r.spawned(), 1u);
}

TEST(SpawnRunner, ThroughTheCacheSecondRunSpawnsNothing) {
  TempDir t;
  SpawnRunner r({{"PATH", "/usr/bin:/bin"}}, t.path());
  ProbeCacheOptions o = opts(t);
  auto exec = [&](const std::string& c, std::string* out, std::string* e) { return r.run(c, out, e); };
  std::string out, err;
  {
    ProbeCache c(o, exec);
    ASSERT_TRUE(c.run("echo one; echo two", &out, &err));
  }
  ProbeCache c(o, exec);
  ASSERT_TRUE(c.run("echo one; echo two", &out, &err));
  EXPECT_EQ(out, "one\ntwo\n");
  EXPECT_EQ(r.spawned(), 1u);
}

}  // namespace
}  // namespace kmeta::kbuild
