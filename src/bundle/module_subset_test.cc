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
