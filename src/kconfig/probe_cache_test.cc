#include "kconfig/probe_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>

namespace kmeta::kconfig {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kmeta-probe-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string write(const std::string& rel, const std::string& text, bool exec = false) {
    fs::path p = fs::path(path_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    if (exec) fs::permissions(p, fs::perms::owner_all);
    return p.string();
  }

 private:
  std::string path_;
};

// Counts executions; answers "out:<command>\n".
struct CountingExec {
  int calls = 0;
  CommandRunner fn() {
    return [this](const std::string& cmd, std::string* out, std::string*) {
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
  std::ofstream(path) << "12\nnot the key!3\nabc";  // another key's material
  ASSERT_TRUE(c.run("echo x", &out, &err));
  EXPECT_EQ(ex.calls, 1);
  EXPECT_EQ(out, "out:echo x\n\n");
  std::ofstream(path) << "garbage";
  ProbeCache c2(opts(t), ex.fn());
  ASSERT_TRUE(c2.run("echo x", &out, &err));
  EXPECT_EQ(ex.calls, 2);
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
  ASSERT_TRUE(r.run("echo \"$FOO\"; pwd; echo \"${HOME-unset}\"; mkdir .tmp_$$ && rmdir .tmp_$$; exit 3", &out, &err))
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
}  // namespace kmeta::kconfig
