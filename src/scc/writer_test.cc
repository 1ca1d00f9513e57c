#include "scc/writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "scc/compiler.h"

namespace kmeta::scc {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs.add_dir("/s");
    fs.add_file("/k/base/base.scc",
                "branch v1\nkconf non-hardware base.cfg\npatch a.patch\nbranch std\n"
                "include features/x/x.scc\nmerge other\n");
    fs.add_file("/k/base/base.cfg", "CONFIG_BASE=y\n");
    fs.add_file("/k/base/non-hardware.cfg", "CONFIG_NH=y\n");
    fs.add_file("/k/base/a.patch", "pa\n");
    fs.add_file("/k/features/x/x.scc",
                "kconf hardware x.cfg\nkconf hardware x.cfg\nkconf non-hareware x.cfg\n"
                "kconf required x.cfg\npatch b.patch\n");
    fs.add_file("/k/features/x/x.cfg", "CONFIG_A=y # OVERRIDE:$MODULE_OR_Y\nCONFIG_B=y\nCONFIG_AB=y\n");
    fs.add_file("/k/features/x/hardware.cfg", "CONFIG_HW=y\n");
    fs.add_file("/k/features/x/b.patch", "pb\n");
  }

  OutputPlan plan(const std::string& artifacts, CompileOptions o = {}, const std::string& outdir = "/s/.km") {
    o.cwd = "/s";
    o.include_args = {"/k"};
    Compiler c(fs);
    CompileResult r = c.compile({"/k/base/base.scc"}, o);
    EXPECT_TRUE(r.ok()) << r.diags.render();
    OutputOptions oo;
    oo.outdir = outdir;
    oo.cwd = "/s";
    oo.artifacts = Artifacts::parse(outdir + ":" + artifacts);
    OutputPlan p;
    Diagnostics d;
    EXPECT_TRUE(plan_output(r.series, oo, fs, &p, d)) << d.render();
    return p;
  }

  static const PlannedFile* file(const OutputPlan& p, const std::string& name) {
    for (const auto& f : p.files)
      if (f.path == name) return &f;
    return nullptr;
  }

  MemoryFileSystem fs;
};

TEST_F(WriterTest, ConfigPassFiles) {
  OutputPlan p = plan("cfg,merge,meta");
  ASSERT_NE(file(p, "config.queue"), nullptr);
  EXPECT_EQ(file(p, "config.queue")->content,
            "configs/v1/base/base.cfg # non-hardware\n"
            "configs/v1/std/features/x/x.cfg # hardware\n"
            "configs/v1/std/features/x/x.cfg # hardware\n"
            "configs/v1/std/features/x/x.cfg # non-hareware\n"
            "configs/v1/std/features/x/x.cfg # required\n");
  // The classifier is listed again before the fragment, every time.
  EXPECT_EQ(file(p, "hardware_frags.txt")->content,
            "/s/.km/configs/v1/std/features/x/hardware.cfg\n/s/.km/configs/v1/std/features/x/x.cfg\n"
            "/s/.km/configs/v1/std/features/x/hardware.cfg\n/s/.km/configs/v1/std/features/x/x.cfg\n"
            "/s/.km/configs/v1/std/features/x/hardware.cfg\n/s/.km/configs/v1/std/features/x/hardware.cfg\n");
  EXPECT_EQ(file(p, "non-hardware_frags.txt")->content,
            "/s/.km/configs/v1/base/non-hardware.cfg\n/s/.km/configs/v1/base/base.cfg\n");
  EXPECT_EQ(file(p, "required_frags.txt")->content, "/s/.km/configs/v1/std/features/x/x.cfg\n");
  EXPECT_EQ(file(p, "unused.patch.queue")->content,
            "patches/v1/base/a.patch\npatches/v1/std/features/x/b.patch\n");
  EXPECT_EQ(file(p, "patch.v1.queue")->content, "patches/v1/base/a.patch\n");
  // merge writes into the branch's patch queue too.
  EXPECT_EQ(file(p, "patch.v1.std.queue")->content, "patches/v1/std/features/x/b.patch\nother\n");
  EXPECT_EQ(file(p, "merge.queue")->content, "other\n");
  EXPECT_EQ(file(p, "configs/v1/std/features/x/hardware.cfg")->content, "CONFIG_HW=y\n");
  EXPECT_EQ(file(p, "patches/v1/std/features/x/b.patch")->content, "pb\n");
  EXPECT_EQ(p.files.back().path, "meta-series");
  EXPECT_EQ(p.files.back().content.substr(0, 2), "#\n");
  EXPECT_EQ(p.out, "");
  EXPECT_NE(
      p.err.find("[DEBUG]: ===> fragment: /k/features/x/x.cfg flags: \n[DEBUG]: overrides found: CONFIG_A=y"),
      std::string::npos);
  EXPECT_NE(p.err.find("[DEBUG]: Module var: \n"), std::string::npos);
  EXPECT_EQ(file(p, "fixups"), nullptr);
  EXPECT_EQ(p.remove,
            (std::vector<std::string>{"config.queue", "unused.merge.queue", "merge.queue", "fixups"}));
}

TEST_F(WriterTest, PreferModulesFixups) {
  CompileOptions o;
  o.defines = {{"MODULE_OR_Y", "m"}};
  OutputPlan p = plan("cfg,merge,meta", o);
  ASSERT_NE(file(p, "fixups"), nullptr);
  const std::string line = "sed s/^CONFIG_A=./CONFIG_A=m/ -i /s/.km/configs/v1/std/features/x/x.cfg";
  EXPECT_EQ(file(p, "fixups")->content.substr(0, line.size() + 1), line + "\n");
  EXPECT_EQ(p.out.substr(0, 11 + line.size() + 1), "Executing: " + line + "\n");
  // The copy is edited (only the exact option), the original kept beside it.
  EXPECT_EQ(file(p, "configs/v1/std/features/x/x.cfg")->content,
            "CONFIG_A=m # OVERRIDE:$MODULE_OR_Y\nCONFIG_B=y\nCONFIG_AB=y\n");
  EXPECT_EQ(file(p, "configs/v1/std/features/x/orig-x.cfg")->content,
            "CONFIG_A=y # OVERRIDE:$MODULE_OR_Y\nCONFIG_B=y\nCONFIG_AB=y\n");
}

// The reference evals every line of `fixups`: text a shell would interpret
// (from a -D value, an OVERRIDE variable or a fragment path) is never written.
TEST_F(WriterTest, UnsafeFixupsAreNotWritten) {
  CompileOptions o;
  o.defines = {{"MODULE_OR_Y", "m;touch${IFS}FILE"}};
  OutputPlan p = plan("cfg,merge,meta", o);
  EXPECT_EQ(file(p, "fixups"), nullptr);
  EXPECT_EQ(p.out.find("Executing:"), std::string::npos);
  // The value is literal sed text, so the copy still gets it (it is data there).
  EXPECT_EQ(file(p, "configs/v1/std/features/x/x.cfg")->content.substr(0, 26), "CONFIG_A=m;touch${IFS}FILE");
  CompileOptions ok;
  ok.defines = {{"MODULE_OR_Y", "m"}};
  EXPECT_EQ(file(plan("cfg,merge,meta", ok, "/s/a dir"), "fixups"), nullptr);  // the path needs quoting
  EXPECT_NE(file(plan("cfg,merge,meta", ok, "/s/a_dir"), "fixups"), nullptr);
}

TEST_F(WriterTest, PatchPassGoesToStdout) {
  CompileOptions o;
  o.commands = CommandSet::parse("patch");
  OutputPlan p = plan("patch", o);
  EXPECT_EQ(p.out, scc_header("(date not recorded)") +
                       "# _reloc_dir \npatch patches//base/a.patch\npatch patches//features/x/b.patch\n");
  EXPECT_EQ(file(p, "patch.queue")->content, "patches//base/a.patch\npatches//features/x/b.patch\n");
  EXPECT_EQ(file(p, "meta-series"), nullptr);
  EXPECT_EQ(p.err, "");
  EXPECT_EQ(p.remove, (std::vector<std::string>{"unused.patch.queue", "patch*.queue", "fixups"}));
}

TEST_F(WriterTest, RefusesToWriteOutsideTheOutputDirectory) {
  fs.add_file("/k/esc/esc.scc", "kconf hardware ../../../../../../etc/x.cfg\n");
  fs.add_file("/etc/x.cfg", "CONFIG_X=y\n");
  Compiler c(fs);
  CompileOptions o;
  o.cwd = "/s";
  o.include_args = {"/k"};
  CompileResult r = c.compile({"/k/esc/esc.scc"}, o);
  ASSERT_TRUE(r.ok()) << r.diags.render();
  OutputOptions oo;
  oo.outdir = "/s/.km";
  oo.artifacts = Artifacts::parse("/s/.km:cfg");
  OutputPlan p;
  Diagnostics d;
  EXPECT_FALSE(plan_output(r.series, oo, fs, &p, d));
  EXPECT_NE(d.render().find("outside the output directory"), std::string::npos);
}

TEST(Artifacts, ParseLikeTheReference) {
  Artifacts a = Artifacts::parse("dir");
  EXPECT_TRUE(a.meta && a.cfg && a.patch && !a.merge);
  Artifacts b = Artifacts::parse("dir:");
  EXPECT_FALSE(b.meta || b.cfg || b.patch || b.merge);
  Artifacts c = Artifacts::parse("dir:cfg,merge,meta");
  EXPECT_TRUE(c.meta && c.cfg && c.merge && !c.patch);
  Artifacts d = Artifacts::parse("dir:metadata");
  EXPECT_FALSE(d.meta);
}

TEST(WriteOutput, AtomicFilesAndReferenceRemovals) {
  kmeta::testing::TempDir tmp("scc-writer");
  const std::string& dir = tmp.path();
  ASSERT_TRUE(write_file_atomic(dir + "/patch.old.queue", "stale\n"));
  ASSERT_TRUE(write_file_atomic(dir + "/fixups", "old fixups\n"));
  ASSERT_TRUE(write_file_atomic(dir + "/keep.txt", "keep\n"));
  OutputPlan p;
  p.remove = {"patch*.queue", "fixups"};
  p.save_fixups = true;
  p.files = {{"configs/a/b.cfg", "x\n"}, {"patch.queue", "q\n"}};
  Diagnostics d;
  ASSERT_TRUE(write_output(p, dir, d)) << d.render();
  EXPECT_FALSE(file_exists(dir + "/patch.old.queue"));
  EXPECT_FALSE(file_exists(dir + "/fixups"));
  EXPECT_EQ(read_file(dir + "/fixups.old").value_or(""), "old fixups\n");
  EXPECT_EQ(read_file(dir + "/configs/a/b.cfg").value_or(""), "x\n");
  EXPECT_EQ(read_file(dir + "/patch.queue").value_or(""), "q\n");
  EXPECT_TRUE(file_exists(dir + "/keep.txt"));
  // No temporaries left behind.
  size_t n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    n += e.path().string().find("kmeta-tmp") != std::string::npos;
  EXPECT_EQ(n, 0u);
  std::filesystem::remove_all(dir);
}

TEST(ConfigsListing, LikeTheReference) {
  MemoryFileSystem fs;
  fs.add_file("/s/.km/config.queue", "configs/v/a.cfg # hardware\nconfigs/v/b.cfg # non-hardware\n");
  auto l = configs_listing(".km", fs, "/s");
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(*l, ".km/configs/v/a.cfg  .km/configs/v/b.cfg  ");
  EXPECT_FALSE(configs_listing("nope", fs, "/s").has_value());
}

}  // namespace
}  // namespace kmeta::scc
