#include "scc/patch_pass.h"

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/testing/diagnostics.h"
#include "base/testing/temp_dir.h"

namespace kmeta::scc {
namespace {

// A cache with one BSP (its own patch, and a feature with a patch) and a
// second feature; the kernel tree is empty.
void add_cache(MemoryFileSystem& fs, bool declares_external) {
  fs.add_file("/c/bsp/m/m-standard.scc", std::string("define KMACHINE m\ndefine KTYPE standard\n") +
                                             (declares_external ? "define KMETA_EXTERNAL_BSP t\n" : "") +
                                             "patch m-fix.patch\ninclude features/a/a.scc\n");
  fs.add_file("/c/bsp/m/m-fix.patch", "m\n");
  fs.add_file("/c/features/a/a.scc", "patch a.patch\nkconf non-hardware a.cfg\n");
  fs.add_file("/c/features/a/a.patch", "a\n");
  fs.add_file("/c/features/a/a.cfg", "CONFIG_A=y\n");
  fs.add_file("/c/features/b/b.scc", "patch b.patch\n");
  fs.add_file("/c/features/b/b.patch", "b\n");
  fs.add_dir("/k");
}

PatchPassRequest request(const std::string& out) {
  PatchPassRequest r;
  r.caches = {"/c"};
  r.kernel = "/k";
  r.arch = "x86";
  r.machine = "m";
  r.ktype = "standard";
  r.outdir = out;
  return r;
}

std::string queue(const std::string& out) {
  std::string err;
  auto t = read_file(out + "/patch.queue", &err);
  return t ? *t : "(none: " + err + ")";
}

TEST(PatchPass, TheBspGoesInOnlyWhenExternal) {
  testing::TempDir d;
  MemoryFileSystem fs;
  add_cache(fs, false);
  PatchPassRequest r = request(d / "in-cache");
  r.features = {"features/b/b.scc"};
  PatchPassResult res;
  Diagnostics err;
  ASSERT_TRUE(run_patch_pass(r, fs, &res, &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(res.bsp_definition, "/c/bsp/m/m-standard.scc");
  EXPECT_FALSE(res.bsp_included);
  EXPECT_EQ(res.inputs, (std::vector<std::string>{"features/b/b.scc"}));
  EXPECT_EQ(queue(r.outdir), "patches//features/b/b.patch\n");
  EXPECT_EQ(res.patches, 1u);

  r.outdir = d / "external";
  r.external_bsp = true;  // KMETA_EXTERNAL_BSPS=t
  PatchPassResult ext;
  ASSERT_TRUE(run_patch_pass(r, fs, &ext, &err)) << kmeta::testing::error_text(err);
  EXPECT_TRUE(ext.bsp_included);
  EXPECT_FALSE(ext.bsp_declares_external);
  EXPECT_EQ(ext.inputs, (std::vector<std::string>{"/c/bsp/m/m-standard.scc", "features/b/b.scc"}));
  EXPECT_EQ(queue(r.outdir),
            "patches//bsp/m/m-fix.patch\npatches//features/a/a.patch\npatches//features/b/b.patch\n");
  EXPECT_TRUE(file_exists(r.outdir + "/patches/bsp/m/m-fix.patch"));
  EXPECT_FALSE(file_exists(r.outdir + "/config.queue"));  // the patch pass only
  EXPECT_FALSE(file_exists(r.outdir + "/meta-series"));
}

TEST(PatchPass, ABspThatDeclaresItselfExternalIsIncluded) {
  testing::TempDir d;
  MemoryFileSystem fs;
  add_cache(fs, true);
  PatchPassRequest r = request(d.path());
  PatchPassResult res;
  Diagnostics err;
  ASSERT_TRUE(run_patch_pass(r, fs, &res, &err)) << kmeta::testing::error_text(err);
  EXPECT_TRUE(res.bsp_declares_external);
  EXPECT_TRUE(res.bsp_included);
  EXPECT_EQ(queue(r.outdir), "patches//bsp/m/m-fix.patch\npatches//features/a/a.patch\n");
}

TEST(PatchPass, NothingToPassRunsNothing) {
  testing::TempDir d;
  MemoryFileSystem fs;
  add_cache(fs, false);
  PatchPassRequest r = request(d / "out");
  PatchPassResult res;
  Diagnostics err;
  ASSERT_TRUE(run_patch_pass(r, fs, &res, &err)) << kmeta::testing::error_text(err);
  EXPECT_FALSE(res.ran);
  EXPECT_TRUE(res.inputs.empty());
  EXPECT_FALSE(file_exists(r.outdir));
}

TEST(PatchPass, MissingBspOrFeatureIsAnError) {
  testing::TempDir d;
  MemoryFileSystem fs;
  add_cache(fs, false);
  PatchPassRequest r = request(d / "out");
  r.machine = "other";
  PatchPassResult res;
  Diagnostics err;
  EXPECT_FALSE(run_patch_pass(r, fs, &res, &err));
  EXPECT_NE(kmeta::testing::error_text(err).find("Could not locate BSP definition for other/standard"),
            std::string::npos)
      << kmeta::testing::error_text(err);
  r.have_defconfig = true;  // then the pass goes on without a BSP
  r.features = {"features/b/b.scc"};
  PatchPassResult ok;
  err.clear();
  EXPECT_TRUE(run_patch_pass(r, fs, &ok, &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(queue(r.outdir), "patches//features/b/b.patch\n");
  r.features = {"features/gone.scc"};
  PatchPassResult gone;
  EXPECT_FALSE(run_patch_pass(r, fs, &gone, &err));
  EXPECT_EQ(gone.diags.error_count(), 1u);
}

}  // namespace
}  // namespace kmeta::scc
