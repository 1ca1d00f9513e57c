#include "bundle/module_subset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/file_util.h"
#include "base/strings.h"
#include "bundle/process.h"
#include "bundle/test_util.h"

namespace kmeta::bundle {
namespace {

using testing::fixture;
using testing::TempDir;

KernelInputs inputs(const std::string& arch) {
  InputRequest r;
  r.build_dir = fixture(arch);
  r.modules_dir = fixture(arch) + "/lib/modules/6.12.118";
  KernelInputs in;
  Diagnostics d;
  EXPECT_TRUE(resolve_inputs(r, &in, &d)) << d.render();
  return in;
}

std::vector<ListEntry> entries(const std::vector<std::string>& lines) {
  std::vector<ListEntry> out;
  Diagnostics d;
  int n = 0;
  for (const auto& l : lines) {
    ListEntry e;
    EXPECT_TRUE(parse_list_line(l, Location{"list", ++n}, &e, &d));
    out.push_back(e);
  }
  return out;
}

std::set<std::string> relpaths(const Subset& s) {
  std::set<std::string> out;
  for (const auto& m : s.modules) out.insert(m.relpath);
  return out;
}

// The closure read from the kernel's own modules.dep (the oracle): the
// module's line lists every module it needs, transitively.
std::set<std::string> closure_from_modules_dep(const std::string& dir, const std::string& relpath) {
  std::map<std::string, std::vector<std::string>> dep;
  const std::string text = read_file(dir + "/modules.dep").value();  // outlives the views split_lines returns
  for (std::string_view line : split_lines(text)) {
    size_t c = line.find(':');
    auto& v = dep[std::string(line.substr(0, c))];
    for (std::string_view w : split(line.substr(c + 1), ' '))
      if (!w.empty()) v.emplace_back(w);
  }
  std::set<std::string> out{relpath};
  std::vector<std::string> work{relpath};
  while (!work.empty()) {
    std::string r = work.back();
    work.pop_back();
    for (const auto& d : dep[r])
      if (out.insert(d).second) work.push_back(d);
  }
  return out;
}

TEST(SelectModules, ClosureMatchesTheKernelsModulesDep) {
  for (const char* arch : {"x86_64", "arm64"}) {
    KernelInputs in = inputs(arch);
    SubsetRequest req;
    req.entries = entries({"virtio-rng"});
    Subset s;
    Diagnostics d;
    ASSERT_TRUE(select_modules(in, req, &s, &d)) << d.render();
    EXPECT_EQ(relpaths(s),
              closure_from_modules_dep(in.modules_dir, "kernel/drivers/char/hw_random/virtio-rng.ko"));
    // virtio-rng -> virtio -> virtio_ring: the two-level chain is there.
    EXPECT_EQ(relpaths(s),
              (std::set<std::string>{
                  "kernel/drivers/char/hw_random/rng-core.ko", "kernel/drivers/char/hw_random/virtio-rng.ko",
                  "kernel/drivers/virtio/virtio.ko", "kernel/drivers/virtio/virtio_ring.ko"}));
    for (const auto& m : s.modules) {
      if (m.name == "virtio_ring") {
        EXPECT_EQ(m.why.rfind("dependency of ", 0), 0u);
      }
    }
  }
}

TEST(SelectModules, GlobsSubtreesAndExclusions) {
  KernelInputs in = inputs("x86_64");
  SubsetRequest req;
  // All of hw_random, minus the *-rng drivers, plus virtio-rng again (and its dependencies).
  req.entries =
      entries({"=drivers/char/hw_random", "kernel/drivers/char/hw_random/*-rng.ko -", "virtio_rng"});
  Subset s;
  Diagnostics d;
  ASSERT_TRUE(select_modules(in, req, &s, &d)) << d.render();
  EXPECT_EQ(d.items().size(), 0u) << d.render();
  EXPECT_EQ(relpaths(s),
            (std::set<std::string>{
                "kernel/drivers/char/hw_random/rng-core.ko", "kernel/drivers/char/hw_random/virtio-rng.ko",
                "kernel/drivers/virtio/virtio.ko", "kernel/drivers/virtio/virtio_ring.ko"}));
}

TEST(SelectModules, UnresolvedSymbolIsAnErrorAgreeingWithDepmod) {
  KernelInputs in = inputs("x86_64");
  SubsetRequest req;
  req.entries = entries({"virtio_rng"});
  req.dependencies = false;
  Subset s;
  Diagnostics d;
  EXPECT_FALSE(select_modules(in, req, &s, &d));
  ASSERT_FALSE(s.unresolved.empty());
  std::string all = d.render();
  EXPECT_NE(all.find("list:1: error: module 'virtio_rng' needs symbol"), std::string::npos) << all;
  EXPECT_NE(all.find("module 'virtio' exports it"), std::string::npos) << all;
  // depmod -e -F System.map on the same subset warns about the same symbols.
  TempDir t;
  ASSERT_TRUE(stage_subset(in, s, t.path, &d));
  std::string out;
  ASSERT_EQ(run_program({find_program("depmod"), "-b", t.path, "-e", "-F", in.system_map, "6.12.118"}, &out),
            0);
  std::set<std::string> depmod_says;
  for (std::string_view line : split_lines(out)) {
    size_t p = line.find("needs unknown symbol ");
    if (p != std::string_view::npos) depmod_says.insert("virtio_rng: " + std::string(line.substr(p + 21)));
  }
  EXPECT_EQ(depmod_says, std::set<std::string>(s.unresolved.begin(), s.unresolved.end())) << out;
}

TEST(SelectModules, BuiltInIsAWarningNotBuiltIsALocatedError) {
  KernelInputs in = inputs("x86_64");
  // rapl is =y in the fixture (modules.builtin); e1000 is not built at all.
  TempDir t;
  ASSERT_TRUE(write_file_atomic(t.path + "/list", "virtio_rng\nrapl\ne1000\ne1000e ?\nnot/a/path/*\n"));
  Diagnostics d;
  SubsetRequest req;
  req.entries = read_list_file(t.path + "/list", &d);
  std::string src = std::string(getenv("HOME") ? getenv("HOME") : "") + "/.cache/kmeta/kernels/linux-6.12";
  if (is_directory(src + "/drivers")) in.kernel_source = src;
  Subset s;
  EXPECT_FALSE(select_modules(in, req, &s, &d));
  std::string all = d.render();
  EXPECT_NE(all.find(t.path + "/list:2: warning: module 'rapl' is built into the kernel"), std::string::npos)
      << all;
  EXPECT_NE(all.find(t.path + "/list:3: error: module 'e1000' is not built by this kernel"),
            std::string::npos)
      << all;
  if (!in.kernel_source.empty()) {
    EXPECT_NE(all.find("CONFIG_E1000 is not set"), std::string::npos) << all;
  }
  EXPECT_EQ(all.find("e1000e"), std::string::npos) << "optional entries are silent: " << all;
  EXPECT_NE(all.find(t.path + "/list:5: error: 'not/a/path/*' matches no module"), std::string::npos) << all;
  EXPECT_EQ(d.error_count(), 2u) << all;
}

TEST(ConfigForModule, ReadsObjLinesOfTheSourceTree) {
  TempDir t;
  std::filesystem::create_directories(t.path + "/drivers/char/hw_random");
  ASSERT_TRUE(
      write_file_atomic(t.path + "/drivers/char/hw_random/Makefile",
                        "obj-$(CONFIG_HW_RANDOM) += rng-core.o\nobj-$(CONFIG_HW_RANDOM_VIRTIO) += \\\n"
                        "\tvirtio-rng.o\n"));
  EXPECT_EQ(config_for_module(t.path, "virtio_rng"), "CONFIG_HW_RANDOM_VIRTIO");
  EXPECT_EQ(config_for_module(t.path, "rng_core"), "CONFIG_HW_RANDOM");
  EXPECT_EQ(config_for_module(t.path, "e1000"), "");
}

// A lib/modules tree of small modules made here: host ELF objects (gcc -c)
// with a .modinfo section each (objcopy --add-section), indexed by depmod, so
// libkmod reads their softdep and firmware tags the way it reads a kernel's.
class SoftdepFirmwareTree : public ::testing::Test {
 protected:
  void SetUp() override {
    gcc_ = find_program("gcc");
    objcopy_ = find_program("objcopy");
    depmod_ = find_program("depmod");
    if (gcc_.empty() || objcopy_.empty() || depmod_.empty()) GTEST_SKIP() << "needs gcc, objcopy and depmod";
    dir_ = t_.path + "/root/lib/modules/" + kRelease;
    std::string src = t_.path + "/m.c";
    ASSERT_TRUE(write_file_atomic(src, "int kmeta_test_value;\n"));
    std::string out;
    ASSERT_EQ(run_program({gcc_, "-c", "-o", t_.path + "/m.o", src}, &out), 0) << out;
    // main_drv: softdeps before and after it, two firmware files (one absent).
    module("kernel/drivers/demo/main_drv.ko", {"softdep=pre: pre_helper post: post-helper",
                                               "firmware=demo/main.bin", "firmware=demo/absent.bin"});
    // pre_helper: a softdep on a module the tree does not have.
    module("kernel/drivers/demo/pre_helper.ko", {"softdep=pre: not_in_tree"});
    // post-helper (a dash in the file name): firmware found compressed.
    module("kernel/drivers/demo/post-helper.ko", {"firmware=demo/extra.bin"});
    module("kernel/drivers/demo/unrelated.ko", {"firmware=demo/main.bin"});
    std::filesystem::create_directories(t_.path + "/depmod.d");  // the host's /etc/depmod.d left out
    ASSERT_EQ(run_program({depmod_, "-b", t_.path + "/root", "-C", t_.path + "/depmod.d", kRelease}, &out), 0)
        << out;
    fw_ = t_.path + "/firmware";
    std::filesystem::create_directories(fw_ + "/demo");
    ASSERT_TRUE(write_file_atomic(fw_ + "/demo/main.bin", "main firmware\n"));
    ASSERT_TRUE(write_file_atomic(fw_ + "/demo/extra.bin.zst", "not really zstd\n"));
    ASSERT_TRUE(write_file_atomic(t_.path + "/System.map", "ffff800080000000 T _text\n"));
    ASSERT_TRUE(write_file_atomic(t_.path + "/config", "CONFIG_MODULES=y\n"));
    in_.arch = "x86_64";
    in_.modules_dir = dir_;
    in_.system_map = t_.path + "/System.map";
    in_.config = t_.path + "/config";
    in_.release = kRelease;
  }

  void module(const std::string& relpath, const std::vector<std::string>& tags) {
    std::string name = std::filesystem::path(relpath).stem().string();
    std::string modinfo;
    for (const std::string& tag : tags) modinfo += tag + '\0';
    modinfo += "name=" + normalize_module_name(name) + '\0';
    modinfo += std::string("vermagic=") + kRelease + " SMP mod_unload " + '\0';
    std::string info = t_.path + "/" + name + ".modinfo";
    ASSERT_TRUE(write_file_atomic(info, modinfo));
    std::filesystem::create_directories(std::filesystem::path(dir_ + "/" + relpath).parent_path());
    std::string out;
    ASSERT_EQ(run_program({objcopy_, "--add-section", ".modinfo=" + info, "--set-section-flags",
                           ".modinfo=alloc,readonly", t_.path + "/m.o", dir_ + "/" + relpath},
                          &out),
              0)
        << out;
  }

  // depmod's modules.softdep (the oracle): "softdep main_drv pre: pre_helper post: post-helper".
  std::map<std::string, std::vector<std::string>> depmod_softdeps() {
    std::map<std::string, std::vector<std::string>> out;
    const std::string text = read_file(dir_ + "/modules.softdep").value_or("");
    for (std::string_view line : split_lines(text)) {
      std::vector<std::string_view> w;
      for (std::string_view x : split(line, ' '))
        if (!x.empty()) w.push_back(x);
      if (w.size() < 2 || w[0] != "softdep") continue;
      for (size_t i = 2; i < w.size(); ++i)
        if (w[i].back() != ':') out[std::string(w[1])].push_back(normalize_module_name(w[i]));
    }
    return out;
  }

  static constexpr const char* kRelease = "6.12.118";
  TempDir t_;
  std::string gcc_, objcopy_, depmod_, dir_, fw_;
  KernelInputs in_;
};

TEST_F(SoftdepFirmwareTree, ClosureFollowsSoftdepsAndCollectsFirmware) {
  // depmod read the same .modinfo tags: its modules.softdep names them.
  auto soft = depmod_softdeps();
  ASSERT_EQ(soft["main_drv"], (std::vector<std::string>{"pre_helper", "post_helper"}));
  ASSERT_EQ(soft["pre_helper"], (std::vector<std::string>{"not_in_tree"}));

  SubsetRequest req;
  req.entries = entries({"main_drv"});
  req.firmware_dir = fw_;
  Subset s;
  Diagnostics d;
  ASSERT_TRUE(select_modules(in_, req, &s, &d)) << d.render();
  // The selection plus depmod's softdeps of it, and nothing else.
  std::set<std::string> want{"main_drv"};
  for (const auto& n : soft["main_drv"]) want.insert(n);
  std::set<std::string> got;
  for (const auto& m : s.modules) {
    got.insert(m.name);
    if (m.name != "main_drv") {
      EXPECT_EQ(m.why, "softdep of main_drv") << m.name;
    }
    EXPECT_EQ(m.where.line, 1) << m.name;
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(relpaths(s),
            (std::set<std::string>{"kernel/drivers/demo/main_drv.ko", "kernel/drivers/demo/post-helper.ko",
                                   "kernel/drivers/demo/pre_helper.ko"}));
  // Firmware: the declared files found in the firmware dir (a compressed
  // one by its suffix), each from the module that declared it.
  ASSERT_EQ(s.firmware.size(), 2u);
  EXPECT_EQ(s.firmware[0].relpath, "demo/extra.bin.zst");
  EXPECT_EQ(s.firmware[0].module, "post_helper");
  EXPECT_EQ(s.firmware[0].source, fw_ + "/demo/extra.bin.zst");
  EXPECT_EQ(s.firmware[1].relpath, "demo/main.bin");
  EXPECT_EQ(s.firmware[1].module, "main_drv");
  // The missing firmware and the missing softdep are located warnings.
  std::string all = d.render();
  EXPECT_EQ(d.error_count(), 0u) << all;
  EXPECT_NE(
      all.find("list:1: warning: firmware 'demo/absent.bin' declared by module 'main_drv' is not in " + fw_),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("list:1: warning: softdep 'not_in_tree' of module 'pre_helper' is not in the tree"),
            std::string::npos)
      << all;

  // Staged: the firmware under lib/firmware, depmod's softdep index for the subset.
  TempDir out;
  ASSERT_TRUE(stage_subset(in_, s, out.path, &d)) << d.render();
  EXPECT_EQ(read_file(out.path + "/lib/firmware/demo/main.bin").value_or(""), "main firmware\n");
  EXPECT_TRUE(file_exists(out.path + "/lib/firmware/demo/extra.bin.zst"));
  EXPECT_FALSE(file_exists(out.path + "/lib/firmware/demo/absent.bin"));
  auto staged_soft = read_file(out.path + "/lib/modules/6.12.118/modules.softdep").value_or("");
  EXPECT_NE(staged_soft.find("softdep main_drv pre: pre_helper post: post-helper"), std::string::npos)
      << staged_soft;
  EXPECT_FALSE(file_exists(out.path + "/lib/modules/6.12.118/kernel/drivers/demo/unrelated.ko"));
}

TEST_F(SoftdepFirmwareTree, WithoutSoftdepsOrFirmwareDirOnlyTheModule) {
  SubsetRequest req;
  req.entries = entries({"main_drv"});
  req.softdeps = false;
  Subset s;
  Diagnostics d;
  ASSERT_TRUE(select_modules(in_, req, &s, &d)) << d.render();
  EXPECT_EQ(relpaths(s), (std::set<std::string>{"kernel/drivers/demo/main_drv.ko"}));
  EXPECT_TRUE(s.firmware.empty());
  EXPECT_EQ(d.items().size(), 0u) << d.render();
}

TEST(StageSubset, WritesTheSubsetsOwnIndex) {
  KernelInputs in = inputs("arm64");
  SubsetRequest req;
  req.entries = entries({"virtio_mmio"});
  Subset s;
  Diagnostics d;
  ASSERT_TRUE(select_modules(in, req, &s, &d)) << d.render();
  TempDir t;
  ASSERT_TRUE(stage_subset(in, s, t.path, &d)) << d.render();
  std::string dir = t.path + "/lib/modules/6.12.118";
  auto dep = read_file(dir + "/modules.dep");
  ASSERT_TRUE(dep);
  EXPECT_EQ(*dep,
            "kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko\n"
            "kernel/drivers/virtio/virtio_ring.ko:\n"
            "kernel/drivers/virtio/virtio_mmio.ko: kernel/drivers/virtio/virtio.ko "
            "kernel/drivers/virtio/virtio_ring.ko\n");
  for (const char* f : {"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.order"})
    EXPECT_TRUE(file_exists(dir + "/" + f)) << f;
  EXPECT_FALSE(file_exists(dir + "/build"));
  EXPECT_FALSE(file_exists(dir + "/kernel/drivers/char/hw_random/rng-core.ko"));
}

}  // namespace
}  // namespace kmeta::bundle
