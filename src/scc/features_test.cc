#include "scc/features.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scc/compiler.h"

namespace kmeta::scc {
namespace {

TEST(KernelFeatures, DanglingFeatureIsAnErrorOrAWarning) {
  MemoryFileSystem fs;
  fs.add_file("/k/features/nf/nf.scc", "");
  fs.add_file("/layer/cfg/x.cfg", "");
  Diagnostics d;
  auto kept = check_kernel_features({"features/nf/nf.scc", "cfg/x.cfg:required", "features/gone.scc"},
                                    {"/k", "/layer"}, false, fs, "/", d);
  EXPECT_EQ(kept, (std::vector<std::string>{"features/nf/nf.scc", "cfg/x.cfg:required"}));
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(d.items()[0].message.find("Feature 'features/gone.scc' not found"), std::string::npos);
  Diagnostics w;
  check_kernel_features({"features/gone.scc"}, {"/k"}, true, fs, "/", w);
  EXPECT_EQ(w.error_count(), 0u);
  EXPECT_EQ(w.warning_count(), 1u);
}

TEST(YoctoInputs, OrderOfBothPasses) {
  YoctoInputs in;
  in.defconfig = "/w/defconfig";
  in.bsp_definition = "/k/bsp/b.scc";
  in.sccs = {"/w/x.scc", "/w/y.cfg"};
  in.patches = {"/w/p.patch"};
  in.kernel_features = {"features/nf/nf.scc"};
  EXPECT_EQ(config_pass_inputs(in),
            (std::vector<std::string>{"/w/defconfig", "/k/bsp/b.scc", "/w/x.scc", "/w/y.cfg", "/w/p.patch",
                                      "features/nf/nf.scc"}));
  EXPECT_EQ(patch_pass_inputs(in),
            (std::vector<std::string>{"/w/x.scc", "/w/y.cfg", "/w/p.patch", "features/nf/nf.scc"}));
  in.external_bsp = true;
  EXPECT_EQ(patch_pass_inputs(in).front(), "/k/bsp/b.scc");
  MemoryFileSystem fs;
  fs.add_file("/k/bsp/b.scc", "define KMETA_EXTERNAL_BSP t\n");
  EXPECT_TRUE(is_external_bsp(fs, "/k/bsp/b.scc"));
}

TEST(FeatureTree, NestsFilesWithTheirActions) {
  MemoryFileSystem fs;
  fs.add_file("/k/bsp/b.scc",
              "kconf hardware b.cfg\ninclude features/f.scc nopatch\npatch b.patch\n"
              "if [ x = y ]; then\ninclude features/g.scc\nfi\n");
  fs.add_file("/k/bsp/b.cfg", "");
  fs.add_file("/k/bsp/b.patch", "");
  fs.add_file("/k/features/f.scc", "branch v1\nkconf non-hardware f.cfg\n");
  fs.add_file("/k/features/f.cfg", "");
  fs.add_file("/k/features/g.scc", "kconf non-hardware f.cfg\n");
  Compiler c(fs);
  CompileOptions o;
  o.include_args = {"/k"};
  CompileResult r = c.compile({"/k/bsp/b.scc"}, o);
  ASSERT_TRUE(r.ok()) << r.diags.render();
  FeatureTree t = build_feature_tree(r.series);
  EXPECT_EQ(print_feature_tree(t),
            "bsp/b.scc\n"
            "  kconf hardware bsp/b.cfg\n"
            "  features/f.scc [nopatch]  (line 2)\n"
            "    branch v1\n"
            "    kconf non-hardware features/f.cfg\n"
            "  patch bsp/b.patch\n");
  FeatureTree all = build_feature_tree(r.series, true);
  EXPECT_NE(print_feature_tree(all).find("features/g.scc (not taken)  (line 5)"), std::string::npos);
  nlohmann::json j = feature_tree_json(t);
  EXPECT_EQ(j["tree"][0]["name"], "bsp/b.scc");
  EXPECT_EQ(j["tree"][0]["items"][1]["include"]["nopatch"], true);
}

}  // namespace
}  // namespace kmeta::scc
