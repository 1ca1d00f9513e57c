#include "kbuild/make_driver.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/testing/diagnostics.h"

namespace kmeta::kbuild {
namespace {

MakeOptions arm64_options() {
  Diagnostics err;
  MakeOptions o;
  o.srctree = "/src/linux";
  o.objtree = "/b/linux-qemuarm64-standard-build";
  o.arch = *arch_info("arm64", &err);
  o.toolchain.cross_compile = "aarch64-linux-gnu-";
  o.toolchain.cc = "aarch64-linux-gnu-gcc";
  o.jobs = 6;
  o.base_env = {{"PATH", "/usr/bin"}, {"MAKEFLAGS", "-j99 --jobserver-auth=3,4"}, {"HOME", "/root"}};
  o.source_date_epoch = 1700000000;
  return o;
}

TEST(MakeDriver, CommandLine) {
  MakeOptions o = arm64_options();
  MakeCommand c = make_command(o, {"Image", "modules"}, {{"INSTALL_MOD_PATH", "/stage"}});
  std::vector<std::string> want = {"make",       "-C",
                                   "/src/linux", "O=/b/linux-qemuarm64-standard-build",
                                   "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-",
                                   "-j6",        "INSTALL_MOD_PATH=/stage",
                                   "Image",      "modules"};
  EXPECT_EQ(c.argv, want);
}

TEST(MakeDriver, ReproducibleEnvironment) {
  MakeCommand c = make_command(arm64_options(), {"Image"});
  EXPECT_EQ(c.env["KBUILD_BUILD_TIMESTAMP"], "Tue Nov 14 22:13:20 UTC 2023");
  EXPECT_EQ(c.env["KBUILD_BUILD_USER"], "kmeta");
  EXPECT_EQ(c.env["KBUILD_BUILD_HOST"], "kmeta");
  EXPECT_EQ(c.env["KBUILD_BUILD_VERSION"], "1");
  EXPECT_EQ(c.env["SOURCE_DATE_EPOCH"], "1700000000");
  EXPECT_EQ(c.env.count("MAKEFLAGS"), 0u);  // an outer jobserver must not override -j
  EXPECT_EQ(c.env["HOME"], "/root");
  EXPECT_EQ(format_timestamp(0), "Thu Jan  1 00:00:00 UTC 1970");
}

TEST(MakeDriver, Launchers) {
  MakeOptions o = arm64_options();
  auto has = [](const MakeCommand& c, const std::string& a) {
    return std::find(c.argv.begin(), c.argv.end(), a) != c.argv.end();
  };
  o.launcher = Launcher::ccache;
  MakeCommand c = make_command(o, {});
  EXPECT_TRUE(has(c, "CC=ccache aarch64-linux-gnu-gcc"));
  EXPECT_TRUE(has(c, "HOSTCC=ccache gcc"));
  o.launcher = Launcher::distcc;
  c = make_command(o, {});
  EXPECT_TRUE(has(c, "CC=distcc aarch64-linux-gnu-gcc"));
  EXPECT_FALSE(std::any_of(c.argv.begin(), c.argv.end(),
                           [](const std::string& a) { return a.rfind("HOSTCC=", 0) == 0; }));
  EXPECT_EQ(c.env.count("CCACHE_PREFIX"), 0u);
  o.launcher = Launcher::ccache_distcc;
  c = make_command(o, {});
  EXPECT_TRUE(has(c, "CC=ccache aarch64-linux-gnu-gcc"));
  EXPECT_EQ(c.env["CCACHE_PREFIX"], "distcc");
  o.launcher = Launcher::none;
  c = make_command(o, {});
  EXPECT_FALSE(
      std::any_of(c.argv.begin(), c.argv.end(), [](const std::string& a) { return a.rfind("CC=", 0) == 0; }));
}

TEST(MakeDriver, Jobs) {
  std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"}};
  EXPECT_EQ(jobs_for(Launcher::ccache, 2, 0, env), 2);
  EXPECT_EQ(jobs_for(Launcher::ccache, 2, 7, env), 7);
  EXPECT_EQ(jobs_for(Launcher::icecc, 2, 0, env), 8);
  // distcc -j (the real binary) sums the hosts' /LIMITs.
  env["DISTCC_HOSTS"] = "127.0.0.1:3632/5 127.0.0.1:3633/3";
  EXPECT_EQ(jobs_for(Launcher::distcc, 2, 0, env), 8);
  EXPECT_GE(available_cores(), 1);
}

TEST(MakeDriver, EpochSources) {
  std::string source;
  EXPECT_EQ(source_date_epoch("/nonexistent", {{"SOURCE_DATE_EPOCH", "42"}}, &source), 42);
  EXPECT_EQ(source, "SOURCE_DATE_EPOCH");
  EXPECT_EQ(source_date_epoch("/nonexistent", {}, &source), 0);
  source_date_epoch(KMETA_SOURCE_DIR, {{"PATH", "/usr/bin:/bin"}}, &source);
  EXPECT_FALSE(source.empty());
}

}  // namespace
}  // namespace kmeta::kbuild
