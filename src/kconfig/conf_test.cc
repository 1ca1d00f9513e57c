#include "kconfig/conf.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "kconfig/glibc_rand.h"
#include "kconfig/test_model_builder.h"

namespace kmeta::kconfig {
namespace {

using testing::ModelBuilder;

class TempDir : public kmeta::testing::TempDir {
 public:
  TempDir() : kmeta::testing::TempDir("kmeta-conf") {}
};

std::unique_ptr<Model> small_model(Dialect d = Dialect::v6_12) {
  ModelBuilder b(d);
  b.config("MODULES", SymbolType::boolean, "modules");
  b.default_("MODULES", b.s("y"));
  b.modules("MODULES");
  b.config("A", SymbolType::boolean, "A");
  b.default_("A", b.s("y"));
  b.config("T", SymbolType::tristate, "T");
  NodeId c = b.choice("pick");
  b.config("C1", SymbolType::boolean, "c1", kNone, c);
  b.config("C2", SymbolType::boolean, "c2", kNone, c);
  return b.finish();
}

struct ConfRun {
  int rc;
  Messages log;
};

ConfRun run(const std::string& dir, std::vector<std::string> args,
            std::map<std::string, std::string, std::less<>> env = {}, Dialect d = Dialect::v6_12,
            std::string stdin_text = "") {
  ConfRequest req;
  req.args = std::move(args);
  req.ctx.cwd = dir;
  req.ctx.env = std::move(env);
  req.load = [d](const std::string&, Messages&) { return small_model(d); };
  StringInput in(std::move(stdin_text));
  req.input = &in;
  ConfRun r;
  r.rc = run_conf(req, r.log);
  return r;
}

TEST(RunConf, OlddefconfigWritesConfigAndSideOutputs) {
  TempDir dir;
  ConfRun r = run(dir.path(), {"--olddefconfig", "Kconfig"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.log.text(Stream::out), "#\n# configuration written to .config\n#\n");
  auto cfg = read_file(dir.path() + "/.config");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(*cfg,
            "#\n# Automatically generated file; DO NOT EDIT.\n# Main menu\n#\n"
            "CONFIG_MODULES=y\nCONFIG_A=y\n# CONFIG_T is not set\nCONFIG_C1=y\n# CONFIG_C2 is not set\n");
  EXPECT_TRUE(file_exists(dir.path() + "/include/config/auto.conf"));
  // Second run: nothing changed.
  ConfRun again = run(dir.path(), {"-s", "--olddef", "Kconfig"});
  EXPECT_EQ(again.rc, 0);
  EXPECT_EQ(again.log.text(Stream::out), "");
}

TEST(RunConf, CommandLineErrors) {
  TempDir dir;
  ConfRun missing = run(dir.path(), {"--olddefconfig"});
  EXPECT_EQ(missing.rc, 1);
  EXPECT_EQ(missing.log.text(Stream::err), "conf: Kconfig file missing\n");
  EXPECT_EQ(missing.log.text(Stream::out), conf_usage("conf"));

  ConfRun ambiguous = run(dir.path(), {"--s", "--olddefconfig", "Kconfig"});
  EXPECT_EQ(ambiguous.rc, 0);
  EXPECT_EQ(ambiguous.log.text(Stream::err),
            "conf: option '--s' is ambiguous; possibilities: '--silent' '--syncconfig' '--savedefconfig'\n");

  ConfRun junk = run(dir.path(), {"-x", "--bogus=1", "--olddefconfig=1", "--olddefconfig", "Kconfig"});
  EXPECT_EQ(junk.log.text(Stream::err),
            "conf: invalid option -- 'x'\n"
            "conf: unrecognized option '--bogus=1'\n"
            "conf: option '--olddefconfig' doesn't allow an argument\n");

  ConfRun noarg = run(dir.path(), {"Kconfig", "--defconfig"});
  EXPECT_EQ(noarg.rc, 0);  // the error is ignored; the default mode (oldaskconfig) runs
  EXPECT_EQ(noarg.log.text(Stream::err).substr(0, 48), "conf: option '--defconfig' requires an argument\n");

  ConfRun help = run(dir.path(), {"-h", "--olddefconfig", "Kconfig"});
  EXPECT_EQ(help.rc, 1);
  EXPECT_EQ(help.log.text(Stream::out), conf_usage("conf"));
}

TEST(RunConf, DefconfigAndAllconfigFailures) {
  TempDir dir;
  ConfRun d = run(dir.path(), {"--defconfig=nope", "Kconfig"});
  EXPECT_EQ(d.rc, 1);
  EXPECT_EQ(d.log.text(Stream::err), "***\n*** Can't find default configuration \"nope\"!\n***\n");
  ConfRun a = run(dir.path(), {"--allnoconfig", "Kconfig"}, {{"KCONFIG_ALLCONFIG", "1"}});
  EXPECT_EQ(a.rc, 1);
  EXPECT_EQ(a.log.text(Stream::err),
            "*** KCONFIG_ALLCONFIG set, but no \"allno.config\" or \"all.config\" file found\n");
  ConfRun s = run(dir.path(), {"--allyesconfig", "Kconfig"}, {{"KCONFIG_ALLCONFIG", "seed"}});
  EXPECT_EQ(s.rc, 1);
  EXPECT_EQ(s.log.text(Stream::err), "*** Can't read seed configuration \"seed\"!\n");
}

TEST(RunConf, WerrorOnReadWarnings) {
  TempDir dir;
  ASSERT_TRUE(write_file_atomic(dir.path() + "/.config", "garbage\n"));
  ConfRun r = run(dir.path(), {"--olddefconfig", "Kconfig"}, {{"KCONFIG_WERROR", ""}});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.log.text(Stream::err), ".config:1:warning: unexpected data: garbage\n");
}

TEST(RunConf, RandconfigSeedLine) {
  TempDir dir;
  ConfRun r = run(dir.path(), {"--randconfig", "Kconfig"}, {{"KCONFIG_SEED", "0x1234"}});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.log.text(Stream::out).substr(0, 19), "KCONFIG_SEED=0x1234");
  ConfRun bad =
      run(dir.path(), {"--randconfig", "Kconfig"}, {{"KCONFIG_SEED", "1"}, {"KCONFIG_PROBABILITY", "70:40"}});
  EXPECT_EQ(bad.rc, 1);
  EXPECT_EQ(bad.log.text(Stream::err), "KCONFIG_PROBABILITY: Numerical result out of range\n");
}

TEST(RunConf, Probabilities) {
  std::string one = "30", two = "20:10", three = "1:2:3", junk = "abc";
  auto p1 = parse_probability(&one);
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->bool_y, 30);
  EXPECT_EQ(p1->tri_m, 15);
  EXPECT_EQ(p1->tri_y, 15);
  auto p2 = parse_probability(&two);
  EXPECT_EQ(p2->bool_y, 30);
  auto p3 = parse_probability(&three);
  EXPECT_EQ(p3->tri_m, 3);
  auto pj = parse_probability(&junk);  // strtol parses nothing three times: all 0
  ASSERT_TRUE(pj);
  EXPECT_EQ(pj->bool_y + pj->tri_y + pj->tri_m, 0);
  auto def = parse_probability(nullptr);
  EXPECT_EQ(def->bool_y, 50);
}

TEST(RunConf, ListNewConfigAndOldconfigDialogue) {
  TempDir dir;
  ASSERT_TRUE(write_file_atomic(dir.path() + "/.config", "CONFIG_MODULES=y\n"));
  ConfRun l = run(dir.path(), {"--listnewconfig", "Kconfig"});
  EXPECT_EQ(l.log.text(Stream::out), "CONFIG_A=y\nCONFIG_T=n\nCONFIG_C1=y\nCONFIG_C2=n\n");
  ConfRun o = run(dir.path(), {"--oldconfig", "Kconfig"}, {}, Dialect::v6_12, "n\nm\n2\n");
  EXPECT_EQ(o.rc, 0);
  EXPECT_EQ(o.log.text(Stream::out),
            "*\n* Restart config...\n*\n*\n* Main menu\n*\n"
            "modules (MODULES) [Y/n/?] y\n"
            "A (A) [Y/n/?] (NEW) n\n"
            "T (T) [N/m/y/?] (NEW) m\n"
            "pick\n> 1. c1 (C1) (NEW)\n  2. c2 (C2) (NEW)\nchoice[1-2?]: 2\n"
            "#\n# configuration written to .config\n#\n");
  auto cfg = read_file(dir.path() + "/.config");
  EXPECT_NE(cfg->find("CONFIG_T=m\n# CONFIG_C1 is not set\nCONFIG_C2=y\n"), std::string::npos);
}

TEST(RunConf, Randconfig61And612Differ) {
  // Same model, same seed: 6.12 draws in menu order over prompted symbols,
  // 6.1 in table order over every bool/tristate (the choice symbol included).
  auto m612 = small_model(Dialect::v6_12);
  Configuration c612(*m612);
  GlibcRand r612(7);
  randomize_config(c612, RandProbabilities{}, r612);
  auto m61 = small_model(Dialect::v6_1);
  Configuration c61(*m61);
  GlibcRand r61(7);
  randomize_config(c61, RandProbabilities{}, r61);
  // Both produce a valid choice state (exactly one member y).
  for (Configuration* c : {&c612, &c61}) {
    int ys = 0;
    for (const char* n : {"C1", "C2"}) ys += c->tri(c->model().find(n)) == Tristate::yes;
    EXPECT_EQ(ys, 1);
  }
}

}  // namespace
}  // namespace kmeta::kconfig
