#include "kbuild/tree_objects.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "base/file_util.h"

namespace kmeta::kbuild {
namespace {

namespace fs = std::filesystem;

class TreeObjects : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kbuild-tree-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  void put(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(write_file_atomic(root_ + "/" + rel, text));
  }
  std::string root_;
};

TEST_F(TreeObjects, FollowsEnabledDirectoriesAndComposites) {
  put("Kbuild", "obj-y += init/ mm/\nobj-y += arch/$(SRCARCH)/\nobj-$(CONFIG_NET) += net/\n");
  put("Makefile", "libs-y := lib/\n");
  put("init/Makefile", "obj-y := main.o version.o \\\n\tcalibrate.o  # three\n");
  put("mm/Makefile",
      "obj-y += filemap.o slab.o\n"
      "obj-$(CONFIG_SWAP) += swap.o\n"
      "obj-$(CONFIG_ZSMALLOC) += zs.o\n"
      "zs-y := zs_a.o zs_b.o\n"
      "zs-$(CONFIG_ZS_STAT) += zs_stat.o\n");
  put("arch/arm64/Kbuild", "obj-y += kernel/\n");
  put("arch/arm64/kernel/Makefile", "obj-y += setup.o\n");
  put("lib/Makefile", "lib-y += sort.o\nobj-m += mod.o\n");
  put("net/Makefile", "obj-y += socket.o\n");
  // init 3 + mm 2 (+ swap) + zs as its 2 parts (+ stat) + arch 1 + lib 2.
  EXPECT_EQ(estimate_objects(root_, "arm64", {}), 3u + 2 + 1 + 2);
  EXPECT_EQ(
      estimate_objects(root_, "arm64", {{"SWAP", "y"}, {"ZSMALLOC", "m"}, {"ZS_STAT", "y"}, {"NET", "n"}}),
      3u + 2 + 1 + 3 + 1 + 2);
}

TEST(TreeObjectsConfig, ReadsValues) {
  auto v = read_config_values("# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_C=\"x\"\n");
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v["B"], "y");
  EXPECT_EQ(v["C"], "\"x\"");
}

}  // namespace
}  // namespace kmeta::kbuild
