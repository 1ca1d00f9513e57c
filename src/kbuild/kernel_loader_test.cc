#include "kbuild/kernel_loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/testing/diagnostics.h"
#include "base/testing/temp_dir.h"

namespace kmeta::kbuild {

using kconfig::Dialect;
using kconfig::kNone;
using kconfig::Messages;
using kconfig::Stream;
namespace {

namespace fs = std::filesystem;

// A miniature kernel tree: the Makefile facts kernel_env reads, one arch, and
// a Kconfig that checks $(CC) the way scripts/Kconfig.include does.
class MiniKernel {
 public:
  explicit MiniKernel(const std::string& patchlevel = "12") {
    write("Makefile", "VERSION = 6\nPATCHLEVEL = " + patchlevel +
                          "\nSUBLEVEL = 7\nEXTRAVERSION =\n"
                          "ifeq ($(ARCH),x86_64)\n        SRCARCH := x86\nendif\n"
                          "export ARCH SRCARCH CROSS_COMPILE LD CC\n"
                          "export VERSION PATCHLEVEL SUBLEVEL KERNELRELEASE KERNELVERSION\n"
                          "export building_out_of_srctree srctree objtree VPATH\n"
                          "export KBUILD_DEFCONFIG KBUILD_KCONFIG CC_VERSION_TEXT\n");
    write("scripts/kconfig/Makefile", "export KCONFIG_DEFCONFIG_LIST :=\nunexport CONFIG_\n");
    write("arch/x86/Makefile", "KBUILD_DEFCONFIG := $(ARCH)_defconfig\n");
    write("arch/x86/Kconfig", "config X86\n\tdef_bool y\n");
    write("Kconfig",
          "mainmenu \"Linux/$(ARCH) $(KERNELVERSION)\"\n"
          "if-success = $(shell,{ $(1); } >/dev/null 2>&1 && echo \"$(2)\" || echo \"$(3)\")\n"
          "failure = $(if-success,$(1),n,y)\n"
          "$(error-if,$(failure,command -v $(CC)),C compiler '$(CC)' not found)\n"
          "source \"arch/$(SRCARCH)/Kconfig\"\n"
          "config CC_VERSION_TEXT\n\tstring\n\tdefault \"$(CC_VERSION_TEXT)\"\n"
          "config PROBED\n\tdef_bool $(shell,echo y)\n");
    fs::create_directories(dir_ / "out");
  }
  void write(const std::string& rel, const std::string& text) {
    fs::path p = fs::path(dir_.path()) / "src" / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  std::string src() const { return dir_ / "src"; }
  std::string out() const { return dir_ / "out"; }
  std::string probes() const { return dir_ / "probes"; }

  KernelLoadOptions options(const std::string& cross_compile = "") const {
    KernelLoadOptions o;
    o.env.srctree = src();
    o.env.objtree = out();
    o.env.arch = "x86_64";
    o.env.host = {"x86_64", "6.5.0-host"};
    const char* path = std::getenv("PATH");
    o.env.base_env = {{"PATH", path ? path : "/usr/bin:/bin"}};
    if (!cross_compile.empty()) o.env.make_vars["CROSS_COMPILE"] = cross_compile;
    o.probe_dir = probes();
    return o;
  }

 private:
  kmeta::testing::TempDir dir_{"kmeta-loader"};
};

TEST(KernelLoader, LoadsEnvironmentAndModel) {
  MiniKernel t;
  LoadedKernel k;
  Diagnostics err;
  ASSERT_TRUE(load_kernel(t.options(), &k, &err))
      << kmeta::testing::error_text(err) << k.log.text(Stream::err);
  ASSERT_TRUE(k.model);
  EXPECT_EQ(k.env.srcarch, "x86");
  EXPECT_EQ(k.env.version.str(), "6.12.7");
  EXPECT_EQ(k.model->dialect, Dialect::v6_12);
  EXPECT_NE(k.model->find("PROBED"), kNone);
  EXPECT_FALSE(k.model_reused);
  EXPECT_GT(k.probes.misses, 0u);

  // Second load: every probe and the parse come from the caches.
  LoadedKernel again;
  ASSERT_TRUE(load_kernel(t.options(), &again, &err)) << kmeta::testing::error_text(err);
  EXPECT_TRUE(again.model_reused);
  EXPECT_EQ(again.probes.misses, 0u);
  EXPECT_TRUE(again.cache_warnings.empty());
}

TEST(KernelLoader, SessionParsesOnDemandAndCounts) {
  MiniKernel t;
  KernelSession s;
  Diagnostics err;
  ASSERT_TRUE(s.open(t.options(), &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(s.model_dir(), t.probes() + "/models");
  EXPECT_EQ(s.probe_dir(), t.probes());
  // The Makefile's own commands (`$(CC) --version`, ...) ran during open().
  const size_t env_probes = s.probe_stats().misses;
  EXPECT_GE(env_probes, 1u);
  Messages log;
  auto model = s.loader()(s.env().kconfig, log);
  ASSERT_TRUE(model) << log.text(Stream::err);
  EXPECT_GT(s.probe_stats().misses, env_probes);
  EXPECT_GE(s.spawned(), s.probe_stats().misses);
  EXPECT_FALSE(s.model_result().hit);

  KernelLoadOptions off = t.options();
  off.probe_mode = ProbeMode::off;
  KernelSession uncached;
  ASSERT_TRUE(uncached.open(off, &err)) << kmeta::testing::error_text(err);
  EXPECT_TRUE(uncached.model_dir().empty());  // no model cache without a probe cache
}

// The probe-failure policy, part 1: a compiler that does not exist is what
// make sees too: `$(CC) --version` prints nothing, CC_VERSION_TEXT is empty,
// and the tree's own Kconfig check stops the parse with lkc's message.
TEST(KernelLoader, MissingCompilerIsTheTreesError) {
  MiniKernel t;
  KernelSession s;
  Diagnostics err;
  ASSERT_TRUE(s.open(t.options("kmeta-no-such-"), &err)) << kmeta::testing::error_text(err);
  ASSERT_NE(s.env().get("CC_VERSION_TEXT"), nullptr);
  EXPECT_EQ(*s.env().get("CC_VERSION_TEXT"), "");

  LoadedKernel k;
  EXPECT_FALSE(load_kernel(t.options("kmeta-no-such-"), &k, &err));
  EXPECT_EQ(kmeta::testing::error_text(err), "the kernel's Kconfig does not parse (see the messages above)");
  EXPECT_EQ(k.model, nullptr);
  EXPECT_NE(k.log.text(Stream::err).find("Kconfig:4: C compiler 'kmeta-no-such-gcc' not found"),
            std::string::npos)
      << k.log.text(Stream::err);
}

// Part 2: a probe that cannot be answered (replay, nothing recorded) is an
// error at open(), naming the Makefile's command.
TEST(KernelLoader, UnansweredMakefileProbeIsAnError) {
  MiniKernel t;
  KernelLoadOptions o = t.options("kmeta-no-such-");
  o.probe_mode = ProbeMode::replay;
  KernelSession s;
  Diagnostics err;
  EXPECT_FALSE(s.open(o, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find(
                "probe cache miss in replay mode: $(shell,LC_ALL=C kmeta-no-such-gcc --version"),
            std::string::npos)
      << kmeta::testing::error_text(err);
  LoadedKernel k;
  Diagnostics err2;
  EXPECT_FALSE(load_kernel(o, &k, &err2));
  EXPECT_EQ(kmeta::testing::error_text(err2), kmeta::testing::error_text(err));
  EXPECT_EQ(k.model, nullptr);

  // Recorded once, the same replay loads.
  LoadedKernel rec;
  ASSERT_FALSE(load_kernel(t.options("kmeta-no-such-"), &rec, &err));  // records, then the tree's error
  LoadedKernel replayed;
  err2.clear();
  EXPECT_FALSE(load_kernel(o, &replayed, &err2));
  EXPECT_EQ(kmeta::testing::error_text(err2), "the kernel's Kconfig does not parse (see the messages above)");
  EXPECT_EQ(replayed.log.text(Stream::err), rec.log.text(Stream::err));
}

TEST(KernelLoader, NotAKernelTree) {
  kmeta::testing::TempDir empty{"kmeta-loader-empty"};
  KernelLoadOptions o;
  o.env.srctree = empty.path();
  o.env.objtree = empty.path();
  o.env.arch = "x86_64";
  LoadedKernel k;
  Diagnostics err;
  EXPECT_FALSE(load_kernel(o, &k, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find(empty.path() + "/Makefile"), std::string::npos)
      << kmeta::testing::error_text(err);
}

// The one dialect rule reaches both the derived environment and the parse.
TEST(KernelLoader, DialectFollowsTheMakefileVersion) {
  for (auto [patchlevel, want] : {std::pair{"1", Dialect::v6_1}, std::pair{"6", Dialect::v6_1},
                                  std::pair{"11", Dialect::v6_12}, std::pair{"12", Dialect::v6_12}}) {
    SCOPED_TRACE(patchlevel);
    MiniKernel t(patchlevel);
    // The tree's lkc sources say nothing about the dialect: only the version counts.
    t.write("scripts/kconfig/lexer.l", "\"optional\" return T_OPTIONAL;\n");
    LoadedKernel k;
    Diagnostics err;
    ASSERT_TRUE(load_kernel(t.options(), &k, &err))
        << kmeta::testing::error_text(err) << k.log.text(Stream::err);
    EXPECT_EQ(k.env.dialect, want);
    EXPECT_EQ(k.model->dialect, want);
  }
}

}  // namespace
}  // namespace kmeta::kbuild
