#include "config/pipeline.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/testing/diagnostics.h"

namespace kmeta::config {
namespace {

// Issue #10 item 1's payoff: the whole `kmeta config` pipeline (BSP lookup,
// scc, merge, the kernel's environment, Kconfig parse, resolve, classify,
// audit) on a kernel tree and a kernel cache held in a MemoryFileSystem. The
// roots below do not exist on disk, so every input provably comes from
// memory; the probes (the Makefile's `$(CC) --version`, the Kconfig's
// $(shell,...)) are answered by a runner, without a shell. run_config()
// writes nothing, so no output directory is needed either.

const char* kRoot = "/kmeta-in-memory-test";

const char* kMakefile =
    "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 7\nEXTRAVERSION =\n"
    "export ARCH SRCARCH CROSS_COMPILE LD CC\n"
    "export VERSION PATCHLEVEL SUBLEVEL KERNELRELEASE KERNELVERSION\n"
    "export srctree objtree\n"
    "export KBUILD_DEFCONFIG KBUILD_KCONFIG CC_VERSION_TEXT\n";

const char* kKconfig =
    "mainmenu \"Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration\"\n"
    "\n"
    "config CC_VERSION_TEXT\n"
    "\tstring\n"
    "\tdefault \"$(CC_VERSION_TEXT)\"\n"
    "\n"
    "source \"arch/$(SRCARCH)/Kconfig\"\n";

const char* kArchKconfig =
    "config X86\n"
    "\tdef_bool y\n"
    "\tselect HAVE_PCI\n"
    "\n"
    "config HAVE_PCI\n"
    "\tbool\n"
    "\n"
    "config PROBED\n"
    "\tdef_bool $(shell,echo probed-answer)\n"
    "\n"
    "menu \"Bus options\"\n"
    "\n"
    "config PCI\n"
    "\tbool \"PCI support\"\n"
    "\tdepends on HAVE_PCI\n"
    "\n"
    "config PCI_FOO\n"
    "\tbool \"Foo PCI driver\"\n"
    "\tdepends on PCI && NET\n"
    "\n"
    "endmenu\n"
    "\n"
    "config NET\n"
    "\tbool \"Networking\"\n";

struct Probes {
  std::vector<std::string> asked;
  kbuild::CommandRunner runner() {
    return [this](const std::string& cmd, std::string* out, std::string*) {
      asked.push_back(cmd);
      if (cmd.find("--version") != std::string::npos)
        *out = "gcc (Debian 12.2.0-14) 12.2.0\n";
      else if (cmd == "echo probed-answer")
        *out = "y\n";
      else
        out->clear();
      return true;
    };
  }
};

MemoryFileSystem tree_and_cache() {
  const std::string k = std::string(kRoot) + "/kernel", c = std::string(kRoot) + "/cache";
  MemoryFileSystem fs;
  fs.add_file(k + "/Makefile", kMakefile);
  fs.add_file(k + "/Kconfig", kKconfig);
  fs.add_file(k + "/scripts/kconfig/Makefile", "export KCONFIG_DEFCONFIG_LIST :=\nunexport CONFIG_\n");
  fs.add_file(k + "/arch/x86/Kconfig", kArchKconfig);
  fs.add_file(k + "/arch/x86/Makefile", "KBUILD_DEFCONFIG := x86_64_defconfig\n");
  fs.add_dir(k + "/kernel/configs");
  fs.add_dir(k + "/arch/x86/configs");
  // The BSP: hardware wants PCI and the Foo driver; a feature turns NET off,
  // which the driver depends on: the request for PCI_FOO is lost.
  fs.add_file(c + "/bsp/tiny/tiny-standard.scc",
              "define KMACHINE tiny\ndefine KTYPE standard\ndefine KARCH x86\n\n"
              "include features/nonet/nonet.scc\nkconf hardware tiny.cfg\n");
  fs.add_file(c + "/bsp/tiny/tiny.cfg", "CONFIG_PCI=y\nCONFIG_PCI_FOO=y\n");
  fs.add_file(c + "/features/nonet/nonet.scc", "kconf non-hardware nonet.cfg\n");
  fs.add_file(c + "/features/nonet/nonet.cfg", "# CONFIG_NET is not set\n");
  return fs;
}

ConfigRequest request(FileSystem& fs, Probes& probes) {
  const std::string k = std::string(kRoot) + "/kernel";
  ConfigRequest req;
  BspRequest b;
  b.caches = {std::string(kRoot) + "/cache"};
  b.kernel = k;
  b.arch = "x86";
  b.machine = "tiny";
  b.ktype = "standard";
  req.bsp = b;
  req.kernel.srctree = k;
  req.kernel.objtree = std::string(kRoot) + "/build";
  req.kernel.arch = "x86";
  req.kernel.host = {"x86_64", "6.12.0-test"};
  req.kernel.base_env = {{"PATH", "/usr/bin:/bin"}};
  req.kernel.probe_mode = kbuild::ProbeMode::off;
  req.kernel.model_cache = false;
  req.kernel.runner = probes.runner();
  req.output = std::string(kRoot) + "/build";
  req.levels.audit_level = 2;
  req.files = &fs;
  return req;
}

TEST(PipelineInMemory, ConfiguresAndAuditsWithoutTheDisk) {
  DiskFileSystem disk;
  ASSERT_FALSE(disk.exists(kRoot)) << "the test's root must not exist on disk";
  MemoryFileSystem fs = tree_and_cache();
  Probes probes;
  ConfigRequest req = request(fs, probes);
  ConfigResult res;
  Diagnostics error;
  ASSERT_TRUE(run_config(req, &res, &error))
      << kmeta::testing::error_text(error) << res.kernel.log.text(kconfig::Stream::err);

  EXPECT_EQ(res.bsp_definition, std::string(kRoot) + "/cache/bsp/tiny/tiny-standard.scc");
  ASSERT_EQ(res.queue.size(), 2u);
  EXPECT_EQ(res.queue[0].fragment.path, std::string(kRoot) + "/cache/features/nonet/nonet.cfg");
  EXPECT_EQ(res.queue[1].fragment.path, std::string(kRoot) + "/cache/bsp/tiny/tiny.cfg");

  // What lkc writes for this tree with this seed (alldefconfig): the menu as
  // a comment block, NET not set as asked, PCI_FOO's dependency unmet.
  EXPECT_EQ(res.dotconfig,
            "#\n"
            "# Automatically generated file; DO NOT EDIT.\n"
            "# Linux/x86 6.12.7 Kernel Configuration\n"
            "#\n"
            "CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
            "CONFIG_X86=y\n"
            "CONFIG_HAVE_PCI=y\n"
            "CONFIG_PROBED=y\n"
            "\n"
            "#\n"
            "# Bus options\n"
            "#\n"
            "CONFIG_PCI=y\n"
            "# end of Bus options\n"
            "\n"
            "# CONFIG_NET is not set\n");

  // The lost request is reported, with the operand that held it down.
  ASSERT_EQ(res.audit.findings.size(), 1u);
  const Finding& f = res.audit.findings[0];
  EXPECT_EQ(f.kind, FindingKind::unmet_dependency);
  EXPECT_EQ(f.symbol, "PCI_FOO");
  EXPECT_EQ(f.requested, "y");
  EXPECT_EQ(f.actual, "n");
  EXPECT_EQ(f.at.file, std::string(kRoot) + "/cache/bsp/tiny/tiny.cfg");
  EXPECT_EQ(f.at.line, 2);
  EXPECT_EQ(f.hw, HwClass::hardware);
  EXPECT_EQ(res.audit.requested, 3u);
  EXPECT_EQ(res.audit.matched, 2u);

  // The probes were answered by the runner: the Makefile's compiler version
  // and the Kconfig's $(shell,...), and nothing was spawned.
  bool cc = false, shell = false;
  for (const std::string& c : probes.asked) {
    cc = cc || c.find("--version") != std::string::npos;
    shell = shell || c == "echo probed-answer";
  }
  EXPECT_TRUE(cc);
  EXPECT_TRUE(shell);
  EXPECT_FALSE(res.kernel.model_reused);
}

}  // namespace
}  // namespace kmeta::config
