#include "scc/compiler.h"

#include <gtest/gtest.h>

#include "scc/lexer.h"

namespace kmeta::scc {
namespace {

// A small cache in memory (the same shapes as src/scc/testdata/mini).
class CompilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs.add_dir("/cwd");
    fs.add_file("/k/ktypes/std/std.scc",
                "branch v1\nkconf non-hardware std.cfg\npatch ../../patches/0001.patch\n"
                "include features/f2/f2.scc nopatch\nbranch standard\n");
    fs.add_file("/k/ktypes/std/std.cfg", "CONFIG_STD=y\n");
    fs.add_file("/k/patches/0001.patch", "p1\n");
    fs.add_file("/k/features/f2/f2.scc",
                "kconf hardware f2.cfg\npatch f2.patch\ninclude ../../cfg/net.cfg\n");
    fs.add_file("/k/features/f2/f2.cfg", "CONFIG_F2=y # OVERRIDE:$MODULE_OR_Y\nCONFIG_G=y\n");
    fs.add_file("/k/features/f2/hardware.cfg", "CONFIG_HW=y\n");
    fs.add_file("/k/features/f2/z.kcf", "x\n");
    fs.add_file("/k/features/f2/a.kcf", "x\n");
    fs.add_file("/k/features/f2/f2.patch", "p2\n");
    fs.add_file("/k/cfg/net.cfg", "CONFIG_NET=y\n");
    fs.add_file("/k/features/f1/f1.scc",
                "if [ \"$KARCH\" = arm ]; then\n  kconf hardware arm.cfg\n  patch arm.patch\nelse\n"
                "  kconf required other.cfg\nfi\nforce kconf non-hardware f1.cfg\n");
    fs.add_file("/k/features/f1/arm.cfg", "CONFIG_ARM=y\n");
    fs.add_file("/k/features/f1/arm.patch", "pa\n");
    fs.add_file("/k/features/f1/other.cfg", "CONFIG_OTHER=y\n");
    fs.add_file("/k/features/f1/f1.cfg", "CONFIG_F1=y\n");
    fs.add_file("/k/bsp/m1/m1.scc",
                "define KMACHINE m1\ndefine KARCH arm\ninclude ktypes/std\ninclude features/f1/f1.scc nocfg\n"
                "kconf hardware m1.cfg\n");
    fs.add_file("/k/bsp/m1/m1.cfg", "CONFIG_M1=y\n");
  }

  CompileResult compile(const std::vector<std::string>& inputs, CompileOptions o = {}) {
    o.cwd = "/cwd";
    if (o.include_args.empty()) o.include_args = {"/k"};
    Compiler c(fs);
    return c.compile(inputs, o);
  }

  static std::string lines(const Series& s) {
    std::string out;
    for (const auto& a : s.actions) out += meta_lines(a);
    return out;
  }

  MemoryFileSystem fs;
};

TEST_F(CompilerTest, ConfigPassSeries) {
  CompileResult r = compile({"/k/bsp/m1/m1.scc"});
  ASSERT_TRUE(r.ok()) << r.diags.render();
  EXPECT_EQ(lines(r.series),
            "# _reloc_dir \n"
            "# _mark m1.scc start\n"
            "# _define KMACHINE 'm1'\n"
            "# _define KARCH 'arm'\n"
            "# _mark std.scc start\n"
            "branch: v1\n"
            "kconf /k/ktypes/std/std.cfg # non-hardware\n"
            "patch patches/v1/ktypes/std/../../patches/0001.patch\n"
            "# _mark f2.scc start\n"
            "kconf /k/features/f2/f2.cfg # hardware\n"
            "kconf /k/cfg/net.cfg # non-hardware\n"
            "# _mark f2.scc end\n"
            "branch rename: v1 v1/base\n"
            "branch: v1/standard\n"
            "# _mark std.scc end\n"
            "# _mark f1.scc start\n"
            "patch patches/v1/standard/features/f1/arm.patch\n"
            "kconf /k/features/f1/f1.cfg # non-hardware\n"
            "# _mark f1.scc end\n"
            "kconf /k/bsp/m1/m1.cfg # hardware\n"
            "# _mark m1.scc end\n");
}

TEST_F(CompilerTest, ActionsCarryProvenance) {
  CompileResult r = compile({"/k/bsp/m1/m1.scc"});
  ASSERT_TRUE(r.ok());
  const Action* net = nullptr;
  for (const Action* a : r.series.fragments())
    if (a->source == "/k/cfg/net.cfg") net = a;
  ASSERT_NE(net, nullptr);
  EXPECT_EQ(net->where.file, "/k/features/f2/f2.scc");
  EXPECT_EQ(net->where.line, 3);
  auto chain = r.series.chain(net->frame);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].str(), "/k/ktypes/std/std.scc:4");
  EXPECT_EQ(chain[1].str(), "/k/bsp/m1/m1.scc:3");
  EXPECT_EQ(net->dest, "configs/v1/cfg/net.cfg");
  EXPECT_EQ(net->prefix, "/k/");
  // Classifiers of the fragment's directory, *.kcf first (sorted), then the fixed names.
  const Action* f2 = r.series.fragments()[1];
  ASSERT_EQ(f2->classifiers.size(), 3u);
  EXPECT_EQ(f2->classifiers[0].name, "a.kcf");
  EXPECT_EQ(f2->classifiers[1].name, "z.kcf");
  EXPECT_EQ(f2->classifiers[2].name, "hardware.cfg");
}

TEST_F(CompilerTest, PatchPassHasNoDefinesSoConditionsChange) {
  CompileOptions o;
  o.commands = CommandSet::parse("patch");
  CompileResult r = compile({"/k/bsp/m1/m1.scc"}, o);
  ASSERT_TRUE(r.ok());
  // KARCH is unset: the arm branch is not taken; no branch: double slash.
  EXPECT_EQ(lines(r.series), "# _reloc_dir \npatch patches//ktypes/std/../../patches/0001.patch\n");
}

TEST_F(CompilerTest, CommandLineDefinesAreVisible) {
  CompileOptions o;
  o.commands = CommandSet::parse("patch");
  o.defines = {{"KARCH", "arm"}};
  CompileResult r = compile({"/k/bsp/m1/m1.scc"}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.series.patches().size(), 2u);
}

TEST_F(CompilerTest, OverridesAreEvaluated) {
  CompileOptions o;
  o.defines = {{"MODULE_OR_Y", "m"}};
  CompileResult r = compile({"/k/features/f2/f2.scc"}, o);
  ASSERT_TRUE(r.ok());
  const Action* f2 = r.series.fragments()[0];
  ASSERT_EQ(f2->overrides.size(), 1u);
  EXPECT_EQ(f2->overrides[0].option, "CONFIG_F2");
  EXPECT_EQ(f2->overrides[0].expression, "$MODULE_OR_Y");
  EXPECT_EQ(f2->overrides[0].value, "m");
  CompileResult r2 = compile({"/k/features/f2/f2.scc"});
  EXPECT_EQ(r2.series.fragments()[0]->overrides[0].value, "");
}

TEST_F(CompilerTest, UnsupportedOverrideExpressionWarns) {
  fs.add_file("/k/x/x.cfg", "CONFIG_A=y # OVERRIDE:$(rm -rf /)\n");
  fs.add_file("/k/x/x.scc", "kconf hardware x.cfg\n");
  CompileResult r = compile({"/k/x/x.scc"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.diags.warning_count(), 1u);
  EXPECT_FALSE(r.series.fragments()[0]->overrides[0].supported);
  EXPECT_EQ(r.series.fragments()[0]->overrides[0].value, "");
}

TEST_F(CompilerTest, MissingPatchUsesTheReferenceMessage) {
  fs.add_file("/k/e/a.scc", "include e/b.scc\n");
  fs.add_file("/k/e/b.scc", "\npatch missing.patch\n");
  CompileResult r = compile({"/k/e/a.scc"});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.preprocess_failed);
  // "included from" names the file one level up, as the reference does.
  EXPECT_EQ(r.reference_error, "ERROR: could not find patch missing.patch, included from /k/e/a.scc\n");
  ASSERT_EQ(r.diags.error_count(), 1u);
  const Diagnostic& d = r.diags.items()[0];
  EXPECT_EQ(d.where.str(), "/k/e/b.scc:2:7");
  ASSERT_EQ(d.chain.size(), 1u);
  EXPECT_EQ(d.chain[0].str(), "/k/e/a.scc:1");
}

TEST_F(CompilerTest, MissingFileInBranchNotTakenStillFails) {
  fs.add_file("/k/e/c.scc", "if [ \"$X\" = never ]; then\ninclude e/nonexistent.scc\nfi\n");
  CompileResult r = compile({"/k/e/c.scc"});
  EXPECT_TRUE(r.preprocess_failed);
  EXPECT_EQ(r.reference_error, "ERROR: could not find file e/nonexistent.scc, included from /k/e/c.scc\n");
}

TEST_F(CompilerTest, InhibitedStatementsAreNotLookedUp) {
  fs.add_file("/k/e/g.scc", "kconf hardware gone.cfg\npatch gone.patch\n");
  fs.add_file("/k/e/top.scc", "include e/g.scc nocfg nopatch\n");
  CompileResult r = compile({"/k/e/top.scc"});
  EXPECT_TRUE(r.ok()) << r.diags.render();
}

TEST_F(CompilerTest, WarnMissingSkips) {
  fs.add_file("/k/e/d.scc", "kconf hardware nothere.cfg\nkconf hardware ../cfg/net.cfg\n");
  CompileOptions o;
  o.warn_missing = true;
  CompileResult r = compile({"/k/e/d.scc"}, o);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.diags.warning_count(), 1u);
  EXPECT_EQ(r.series.fragments().size(), 1u);
}

TEST_F(CompilerTest, KeepGoingReportsEveryMissingFile) {
  fs.add_file("/k/e/many.scc", "kconf hardware a.cfg\npatch b.patch\ninclude c.scc\n");
  CompileOptions o;
  o.keep_going = true;
  CompileResult r = compile({"/k/e/many.scc"}, o);
  EXPECT_EQ(r.diags.error_count(), 3u);
}

TEST_F(CompilerTest, IncludeCycleIsAnErrorWithTheChain) {
  fs.add_file("/k/c/a.scc", "include c/b.scc\n");
  fs.add_file("/k/c/b.scc", "include c/a.scc\n");
  CompileResult r = compile({"/k/c/a.scc"});
  EXPECT_FALSE(r.ok());
  std::string all = r.diags.render();
  EXPECT_NE(all.find("include cycle: a.scc -> b.scc -> a.scc"), std::string::npos) << all;
  EXPECT_NE(all.find("included from /k/c/a.scc:1"), std::string::npos) << all;
}

TEST_F(CompilerTest, ExponentialIncludesHitTheBudget) {
  for (int i = 0; i < 40; ++i)
    fs.add_file(
        "/k/x/f" + std::to_string(i) + ".scc",
        "include x/f" + std::to_string(i + 1) + ".scc\ninclude x/f" + std::to_string(i + 1) + ".scc\n");
  fs.add_file("/k/x/f40.scc", "define A 1\n");
  CompileOptions o;
  o.max_statements = 100000;
  CompileResult r = compile({"/k/x/f0.scc"}, o);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.diags.render().find("giving up"), std::string::npos);
}

TEST_F(CompilerTest, DeepIncludeChainsStopCleanly) {
  for (int i = 0; i < 100; ++i)
    fs.add_file("/k/d/d" + std::to_string(i) + ".scc", "include d/d" + std::to_string(i + 1) + ".scc\n");
  fs.add_file("/k/d/d100.scc", "define A 1\n");
  CompileResult r = compile({"/k/d/d0.scc"});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.diags.render().find("nested deeper than 64 levels"), std::string::npos);
}

TEST_F(CompilerTest, InputFragmentsPatchesAndSpecifiers) {
  fs.add_file("/w/extra.cfg", "CONFIG_X=y\n");
  fs.add_file("/w/fix.patch", "p\n");
  CompileOptions o;
  o.include_args = {"/k", "/w"};
  CompileResult r = compile({"/w/extra.cfg:required", "/w/fix.patch", "features/f2/f2.scc"}, o);
  ASSERT_TRUE(r.ok()) << r.diags.render();
  auto frags = r.series.fragments();
  ASSERT_GE(frags.size(), 1u);
  EXPECT_EQ(frags[0]->kconf_class, "hardware");
  EXPECT_EQ(frags[0]->prefix, "/w/");
  auto patches = r.series.patches();
  ASSERT_GE(patches.size(), 1u);
  EXPECT_EQ(patches[0]->dest, "patches//./fix.patch");
}

TEST_F(CompilerTest, MissingInputFile) {
  CompileResult r = compile({"nope.scc"});
  EXPECT_TRUE(r.preprocess_failed);
  EXPECT_EQ(r.reference_error, "ERROR. input file \"nope.scc\" does not exist\n");
}

// Issue 9 item 15: something that is there but is not a readable file is
// reported as what it is, not as "does not exist".
TEST_F(CompilerTest, ADirectoryIsNotMissing) {
  fs.add_dir("/cwd/d.scc");
  CompileResult r = compile({"d.scc"});
  EXPECT_TRUE(r.preprocess_failed);
  EXPECT_EQ(r.reference_error, "ERROR. input file \"d.scc\" is a directory\n");
  ASSERT_EQ(r.diags.error_count(), 1u);
  EXPECT_EQ(r.diags.items()[0].message, "input file 'd.scc' is a directory");

  fs.add_dir("/k/e/sub.scc");
  fs.add_file("/k/e/top.scc", "include sub.scc\nkconf hardware dir.cfg\n");
  fs.add_dir("/k/e/dir.cfg");
  r = compile({"/k/e/top.scc"});
  EXPECT_EQ(r.reference_error,
            "ERROR: could not read file sub.scc, included from /k/e/top.scc (is a directory)\n");
  fs.add_file("/k/e/top2.scc", "kconf hardware dir.cfg\n");
  r = compile({"/k/e/top2.scc"});
  ASSERT_EQ(r.diags.error_count(), 1u);
  EXPECT_EQ(r.diags.items()[0].message, "fragment 'dir.cfg' not found (is a directory)");
}

TEST_F(CompilerTest, FeatureIncludedWithDifferentFlagsWarns) {
  fs.add_file("/k/t/t.scc", "include features/f2/f2.scc\ninclude features/f2/f2.scc nocfg\n");
  CompileResult r = compile({"/k/t/t.scc"});
  ASSERT_TRUE(r.ok());
  std::string all = r.diags.render();
  EXPECT_NE(all.find("'f2.scc' is included with nocfg here and with no flags at /k/t/t.scc:1"),
            std::string::npos)
      << all;
}

TEST_F(CompilerTest, ParseErrorsCarryTheIncludeChain) {
  fs.add_file("/k/p/bad.scc", "echo hello\n");
  fs.add_file("/k/p/top.scc", "\ninclude p/bad.scc\n");
  CompileResult r = compile({"/k/p/top.scc"});
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diags.error_count(), 1u);
  EXPECT_EQ(r.diags.items()[0].chain.at(0).str(), "/k/p/top.scc:2");
}

TEST(CommandSet, ParseLikeGrepW) {
  std::vector<std::string> unknown;
  CommandSet s = CommandSet::parse("patch,kconf cfg", &unknown);
  EXPECT_TRUE(s.patch && s.kconf);
  EXPECT_FALSE(s.branch || s.define || s.mark || s.merge);
  EXPECT_EQ(unknown, std::vector<std::string>{"cfg"});
}

TEST(Expansion, SplitsUnquotedVariables) {
  Vars v{{"A", "x  y"}, {"E", ""}};
  auto words = [&](const std::string& text) {
    SourceMap map(text);
    Diagnostics d;
    auto lines = read_logical_lines(text, "t", map, d);
    size_t i = 0;
    std::vector<Token> toks;
    lex_shell_words(lines, &i, "t", map, d, &toks);
    std::vector<Word> ws;
    ws.reserve(toks.size());
    for (auto& t : toks) ws.push_back(t.word);
    return expand_words(ws, v);
  };
  EXPECT_EQ(words("$A"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(words("\"$A\""), (std::vector<std::string>{"x  y"}));
  EXPECT_EQ(words("a$E b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(words("$E"), std::vector<std::string>{});
  EXPECT_EQ(words("\"$E\""), std::vector<std::string>{""});
  EXPECT_EQ(words("p$A"), (std::vector<std::string>{"px", "y"}));
}

}  // namespace
}  // namespace kmeta::scc

namespace kmeta::scc {
namespace {

// kgit-meta evaluates the branch names of meta-series as shell text: a name
// that is not a valid git branch name, or that a shell would interpret, is a
// located error and nothing reaches the series.
TEST(CompilerBranchNames, UnsafeNamesAreLocatedErrors) {
  struct Case {
    std::string scc, message, bad;  // bad: text no branch/merge action may carry
  };
  const Case cases[] = {
      {"branch 'x;touch${IFS}FILE'\n",
       "branch name 'x;touch${IFS}FILE' is not a valid branch name: it has characters a shell would "
       "interpret",
       "touch"},
      {"define B \"a|b\"\nbranch \"$B\"\n", "top.scc:2: error: branch name 'a|b' is not a valid branch name",
       "a|b"},
      {"branch a..b\n", "branch name 'a..b' is not a valid branch name: it contains '..'", "a..b"},
      {"branch v1\nbranch .hidden\n",
       "branch name 'v1/.hidden' is not a valid branch name: it has a component starting with '.'",
       ".hidden"},
      {"branch v1\nmerge 'a`id`'\n", "merge name 'a`id`' is not a valid branch name", "`"},
      {"branch -f\n", "starts with '-'", "-f"},
  };
  for (const auto& c : cases) {
    MemoryFileSystem fs;
    fs.add_dir("/cwd");
    fs.add_file("/k/top.scc", c.scc);
    CompileOptions o;
    o.cwd = "/cwd";
    o.include_args = {"/k"};
    Compiler comp(fs);
    CompileResult r = comp.compile({"/k/top.scc"}, o);
    EXPECT_FALSE(r.ok()) << c.scc;
    std::string text = r.diags.render();
    EXPECT_NE(text.find("/k/top.scc:"), std::string::npos) << text;
    EXPECT_NE(text.find(c.message), std::string::npos) << c.scc << "\n" << text;
    for (const auto& a : r.series.actions) {
      if (a.op == Op::branch || a.op == Op::merge) {
        EXPECT_EQ(meta_lines(a).find(c.bad), std::string::npos) << c.scc << ": " << meta_lines(a);
      }
    }
  }
}

TEST(CompilerBranchNames, OrdinaryNamesPass) {
  MemoryFileSystem fs;
  fs.add_dir("/cwd");
  fs.add_file("/k/top.scc",
              "branch v6.12\nbranch standard\nbranch preempt-rt_2+x,y@z%w=1\nmerge v6.12/standard\n");
  CompileOptions o;
  o.cwd = "/cwd";
  o.include_args = {"/k"};
  Compiler comp(fs);
  CompileResult r = comp.compile({"/k/top.scc"}, o);
  EXPECT_TRUE(r.ok()) << r.diags.render();
}

}  // namespace
}  // namespace kmeta::scc
