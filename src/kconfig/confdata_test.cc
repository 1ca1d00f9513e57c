#include "kconfig/confdata.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "kconfig/lkc_plumbing.h"
#include "kconfig/test_model_builder.h"

namespace kmeta::kconfig {
namespace {

using testing::ModelBuilder;
constexpr auto kBool = SymbolType::boolean;
constexpr auto kTri = SymbolType::tristate;
constexpr auto kInt = SymbolType::integer;
constexpr auto kHex = SymbolType::hex;
constexpr auto kStr = SymbolType::string;

// The case-10 Kconfig: MODULES + bools/tristates A..L.
std::unique_ptr<Model> case10(Dialect d) {
  ModelBuilder b(d);
  b.config("MODULES", kBool, "modules");
  b.default_("MODULES", b.s("y"));
  b.modules("MODULES");
  b.config("A", kBool, "A");
  b.config("B", kBool, "B");
  b.default_("B", b.s("y"));
  b.config("C", kTri, "C");
  b.config("D", kTri, "D");
  b.config("E", kBool, "E");
  b.config("F", kBool, "F");
  b.default_("F", b.s("y"));
  b.config("G", kBool, "G");
  b.config("H", kBool, "H");
  b.config("I", kBool, "I");
  b.default_("I", b.s("y"));
  b.config("J", kTri, "J");
  b.config("K", kBool, "K");
  b.config("L", kBool, "L");
  b.default_("L", b.s("y"));
  return b.finish();
}

constexpr std::string_view kCase10Input =
    "CONFIG_A=yes\n"
    "#CONFIG_B is not set\n"
    "CONFIG_C=Y\n"
    "CONFIG_D=m # trailing junk is ignored\n"
    "CONFIG_E=m\n"
    "CONFIG_E=y\n"
    "# CONFIG_F is not set, really\n"
    "CONFIG_G\n"
    "  CONFIG_H=y\n"
    "random garbage line\n"
    "\n"
    "CONFIG_UNKNOWN_SYM=y\n"
    "# CONFIG_I is not set\n"
    "CONFIG_J=m\n"
    "CONFIG_J=n\n"
    "CONFIG_K=y\r\n"
    "# CONFIG_L is not set\r\n";

std::string read_and_render(const Model& m, std::string_view input, Messages& log) {
  Configuration cfg(m, &log);
  ConfContext ctx;
  ReadState rs;
  load_config_text(cfg, ctx, ".config", input, DefSlot::user, rs);
  cfg.calc(m.modules_sym);
  cfg.calc_all();
  return render_config(cfg, ctx);
}

TEST(ReadConfig, LineGrammar612) {
  auto m = case10(Dialect::v6_12);
  Messages log;
  std::string out = read_and_render(*m, kCase10Input, log);
  EXPECT_EQ(log.text(Stream::err),
            ".config:3:warning: symbol value 'Y' invalid for C\n"
            ".config:5:warning: symbol value 'm' invalid for E\n"
            ".config:8:warning: unexpected data: CONFIG_G\n"
            ".config:9:warning: unexpected data:   CONFIG_H=y\n"
            ".config:10:warning: unexpected data: random garbage line\n"
            ".config:15:warning: override: reassigning to symbol J\n");
  EXPECT_EQ(out,
            "#\n# Automatically generated file; DO NOT EDIT.\n# Main menu\n#\n"
            "CONFIG_MODULES=y\nCONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\nCONFIG_D=m\nCONFIG_E=y\n"
            "CONFIG_F=y\n# CONFIG_G is not set\n# CONFIG_H is not set\n# CONFIG_I is not set\n"
            "# CONFIG_J is not set\nCONFIG_K=y\n# CONFIG_L is not set\n");
}

TEST(ReadConfig, LineGrammar61) {
  auto m = case10(Dialect::v6_1);
  Messages log;
  std::string out = read_and_render(*m, kCase10Input, log);
  EXPECT_EQ(log.text(Stream::err),
            ".config:3:warning: symbol value 'Y' invalid for C\n"
            ".config:5:warning: symbol value 'm' invalid for E\n"
            ".config:9:warning: unexpected data:   CONFIG_H=y\n"
            ".config:10:warning: unexpected data: random garbage line\n"
            ".config:15:warning: override: reassigning to symbol J\n");
  // 6.1 accepts "# CONFIG_F is not set, really" (prefix match).
  EXPECT_NE(out.find("# CONFIG_F is not set\n"), std::string::npos);
}

TEST(ReadConfig, UnknownSymbolsAndLocations) {
  ModelBuilder b;
  b.config("A", kBool, "A");
  auto m = b.finish();
  Messages log;
  Configuration cfg(*m, &log);
  ConfContext ctx;
  ctx.env["KCONFIG_WARN_UNKNOWN_SYMBOLS"] = "1";
  ReadState rs;
  plumbing(cfg).set_changed(false);
  load_config_text(cfg, ctx, "my.config", "CONFIG_NOPE=y\nCONFIG_A=y\n", DefSlot::user, rs);
  EXPECT_EQ(log.text(Stream::err), "my.config:1:warning: unknown symbol: NOPE\n");
  EXPECT_EQ(rs.warnings, 1);
  EXPECT_TRUE(cfg.changed());
  cfg.calc_all();
  Origin o = cfg.why(m->find("A"));
  EXPECT_EQ(o.source, Origin::Source::user);
  EXPECT_EQ(o.user_at.file, "my.config");
  EXPECT_EQ(o.user_at.line, 2);
}

TEST(ReadConfig, StringsAndNumbers) {
  ModelBuilder b;
  b.config("S1", kStr, "s1");
  b.default_("S1", b.lit("def"));
  b.config("S2", kStr, "s2");
  b.config("S3", kStr, "s3");
  b.config("S4", kStr, "s4");
  b.default_("S4", b.lit("keep"));
  b.config("I1", kInt, "i1");
  b.config("I2", kInt, "i2");
  b.config("H1", kHex, "h1");
  auto m = b.finish();
  Messages log;
  Configuration cfg(*m, &log);
  ConfContext ctx;
  ReadState rs;
  load_config_text(cfg, ctx, ".config",
                   "CONFIG_S1=\"a\\\"b\\\\c\\d\" tail\n"
                   "CONFIG_S2=\"unterminated\n"
                   "CONFIG_S3=unquoted\n"
                   "# CONFIG_S4 is not set\n"
                   "CONFIG_I1=007\n"
                   "CONFIG_I2=-0\n"
                   "CONFIG_H1=0XAB\n",
                   DefSlot::user, rs);
  cfg.calc_all();
  EXPECT_EQ(log.text(Stream::err),
            ".config:2:warning: invalid string found\n"
            ".config:5:warning: symbol value '007' invalid for I1\n");
  EXPECT_EQ(cfg.str(m->find("S1")), "a\"b\\cd");
  EXPECT_FALSE(cfg.has_value(m->find("S3")));  // unquoted: silently ignored
  EXPECT_EQ(cfg.str(m->find("S4")), "keep");   // "is not set" means nothing for strings
  EXPECT_EQ(cfg.str(m->find("I2")), "-0");
  EXPECT_EQ(cfg.str(m->find("H1")), "0XAB");  // stored verbatim
  std::string line;
  print_symbol(cfg, m->find("S1"), "CONFIG_", PrintN::as_unset, true, line);
  EXPECT_EQ(line, "CONFIG_S1=\"a\\\"b\\\\cd\"\n");
}

TEST(ReadConfig, ChoiceMemberMovesToFront) {
  ModelBuilder b;
  NodeId c = b.choice("pick");
  b.config("A", kBool, "a", kNone, c);
  b.config("B", kBool, "b", kNone, c);
  b.config("C", kBool, "c", kNone, c);
  SymbolId cs = b.choice_sym(c);
  auto m = b.finish();
  Configuration cfg(*m);
  ConfContext ctx;
  ReadState rs;
  load_config_text(cfg, ctx, ".config", "CONFIG_C=y\nCONFIG_B=y\n", DefSlot::user, rs);
  EXPECT_EQ(cfg.priority_list(cs), (std::vector<SymbolId>{m->find("B"), m->find("C"), m->find("A")}));
  cfg.calc_all();
  EXPECT_EQ(cfg.tri_now(m->find("B")), Tristate::yes);
}

// Configurations built on one shared Configuration::Index are independent:
// a config file read into one (which reorders its choice's priority list and
// decides the choice) changes nothing in another, and each resolves as one
// built without the shared index does.
TEST(ReadConfig, SharedIndexKeepsConfigurationsApart) {
  ModelBuilder b;
  NodeId c = b.choice("pick");
  b.config("A", kBool, "a", kNone, c);
  b.config("B", kBool, "b", kNone, c);
  b.config("C", kBool, "c", kNone, c);
  b.config("D", kTri, "d");
  SymbolId cs = b.choice_sym(c);
  auto m = b.finish();
  auto index = Configuration::index(*m);
  Configuration one(*m, index), two(*m, index), alone(*m);
  ConfContext ctx;
  ReadState rs1, rs2, rs3;
  load_config_text(one, ctx, ".config", "CONFIG_C=y\nCONFIG_D=m\n", DefSlot::user, rs1);
  EXPECT_EQ(one.priority_list(cs), (std::vector<SymbolId>{m->find("C"), m->find("A"), m->find("B")}));
  EXPECT_EQ(two.priority_list(cs), (std::vector<SymbolId>{m->find("A"), m->find("B"), m->find("C")}));
  one.calc_all();
  two.calc_all();
  EXPECT_EQ(one.tri_now(m->find("C")), Tristate::yes);
  EXPECT_EQ(two.tri_now(m->find("C")), Tristate::no);
  EXPECT_EQ(two.tri_now(m->find("A")), Tristate::yes);
  EXPECT_EQ(two.tri_now(m->find("D")), Tristate::no);
  load_config_text(alone, ctx, ".config", "CONFIG_C=y\nCONFIG_D=m\n", DefSlot::user, rs3);
  alone.calc_all();
  EXPECT_EQ(one.table_order(), alone.table_order());
  for (SymbolId s : m->symbol_ids()) EXPECT_EQ(one.tri_now(s), alone.tri_now(s)) << m->sym(s).name;
}

// Writer: header, menus, comments, "# end of", blank lines, first node wins.
TEST(WriteConfig, LayoutRules) {
  ModelBuilder b;
  b.model().mainmenu = "Test $(ARCH) menu";
  b.config("TOP", kBool, "top");
  b.default_("TOP", b.s("y"));
  NodeId outer = b.menu("Outer");
  b.config("IN1", kBool, "in1", kNone, outer);
  NodeId inner = b.menu("Inner", kNone, outer);
  b.config("IN2", kStr, "in2", kNone, inner);
  b.default_("IN2", b.lit("x\"y"));
  b.menu("Empty", kNone, outer);
  b.comment("A comment");
  b.config("AFTER", kInt, "after");
  b.default_("AFTER", b.s("3"));
  NodeId hidden = b.menu("Hidden", b.s("n"));
  b.config("HIDDEN_SEL", kBool, "hs", kNone, hidden);
  b.config("SEL", kBool, "sel");
  b.default_("SEL", b.s("y"));
  b.select("SEL", "HIDDEN_SEL");
  b.config("INVISIBLE", kBool, "", kNone);      // promptless n: not written
  b.config("TOP", kBool, "second definition");  // written at its first node only
  auto m = b.finish();
  Messages log;
  Configuration cfg(*m, &log);
  cfg.clear_all_valid();
  ConfContext ctx;
  EXPECT_EQ(render_config(cfg, ctx),
            "#\n# Automatically generated file; DO NOT EDIT.\n# Test $(ARCH) menu\n#\n"
            "CONFIG_TOP=y\n"
            "\n#\n# Outer\n#\n"
            "# CONFIG_IN1 is not set\n"
            "\n#\n# Inner\n#\n"
            "CONFIG_IN2=\"x\\\"y\"\n"
            "# end of Inner\n"
            "\n#\n# Empty\n#\n"
            "# end of Empty\n"
            "# end of Outer\n"
            "\n#\n# A comment\n#\n"
            "CONFIG_AFTER=3\n"
            "CONFIG_HIDDEN_SEL=y\n"
            "CONFIG_SEL=y\n");
  EXPECT_NE(log.text(Stream::err).find("unmet direct dependencies detected for HIDDEN_SEL"),
            std::string::npos);
}

TEST(WriteConfig, PrefixAndListFormat) {
  ModelBuilder b;
  b.config("A", kBool, "a");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  std::string out;
  print_symbol(cfg, m->find("A"), "BR2_", PrintN::as_value, true, out);
  print_symbol(cfg, m->find("A"), "BR2_", PrintN::as_unset, true, out);
  print_symbol(cfg, m->find("A"), "BR2_", PrintN::none, true, out);
  EXPECT_EQ(out, "BR2_A=n\n# BR2_A is not set\n");
}

class TempDir : public kmeta::testing::TempDir {
 public:
  TempDir() : kmeta::testing::TempDir("kmeta-confdata") {}
};

TEST(WriteConfig, AtomicWriteOldFileAndNoChange) {
  ModelBuilder b;
  b.config("A", kBool, "a");
  b.default_("A", b.s("y"));
  auto m = b.finish();
  TempDir dir;
  ConfContext ctx;
  ctx.cwd = dir.path();
  {
    Messages log;
    Configuration cfg(*m, &log);
    ReadState rs;
    EXPECT_FALSE(read_config(cfg, ctx, nullptr, rs));
    EXPECT_EQ(write_config(cfg, ctx), 0);
    EXPECT_EQ(log.text(Stream::out), "#\n# configuration written to .config\n#\n");
  }
  {
    Messages log;
    Configuration cfg(*m, &log);
    ReadState rs;
    EXPECT_TRUE(read_config(cfg, ctx, nullptr, rs));
    EXPECT_EQ(write_config(cfg, ctx), 0);
    EXPECT_EQ(log.text(Stream::out), "#\n# No change to .config\n#\n");
  }
  {
    // Nested, not yet existing directory; the old file becomes .old.
    Messages log;
    Configuration cfg(*m, &log);
    ctx.env["KCONFIG_CONFIG"] = "out/sub/x.config";
    ReadState rs;
    read_config(cfg, ctx, nullptr, rs);
    EXPECT_EQ(write_config(cfg, ctx), 0);
    EXPECT_TRUE(file_exists(dir.path() + "/out/sub/x.config"));
    plumbing(cfg).store_tri(m->find("A"), DefSlot::user, Tristate::no);
    cfg.clear_all_valid();
    EXPECT_EQ(write_config(cfg, ctx), 0);
    EXPECT_TRUE(file_exists(dir.path() + "/out/sub/x.config.old"));
  }
  {
    Messages log;
    Configuration cfg(*m, &log);
    ctx.env["KCONFIG_CONFIG"] = "";
    EXPECT_EQ(write_config(cfg, ctx), -1);
    EXPECT_EQ(log.text(Stream::err), "config name is empty\n");
  }
}

TEST(SaveDefconfig, SkipsDefaultsUnchangeableAndDefaultChoice) {
  ModelBuilder b;
  b.config("DEF_Y", kBool, "def y");
  b.default_("DEF_Y", b.s("y"));
  b.config("SET", kBool, "set");
  b.config("SEL", kBool, "sel");
  b.default_("SEL", b.s("y"));
  b.select("SEL", "SELECTED");
  b.config("SELECTED", kBool, "selected");
  b.config("I", kInt, "i");
  b.default_("I", b.s("5"));
  NodeId c = b.choice("pick");
  b.config("CA", kBool, "a", kNone, c);
  b.config("CB", kBool, "b", kNone, c);
  auto m = b.finish();
  Configuration cfg(*m);
  ConfContext ctx;
  ReadState rs;
  load_config_text(cfg, ctx, ".config",
                   "CONFIG_DEF_Y=y\nCONFIG_SET=y\nCONFIG_SELECTED=y\nCONFIG_I=6\nCONFIG_CA=y\n",
                   DefSlot::user, rs);
  EXPECT_EQ(render_defconfig(cfg, ctx), "CONFIG_SET=y\nCONFIG_I=6\n");
  ModelBuilder b2;
  NodeId c2 = b2.choice("pick");
  b2.config("CA", kBool, "a", kNone, c2);
  b2.config("CB", kBool, "b", kNone, c2);
  auto m2 = b2.finish();
  Configuration cfg2(*m2);
  load_config_text(cfg2, ctx, ".config", "CONFIG_CB=y\n", DefSlot::user, rs);
  EXPECT_EQ(render_defconfig(cfg2, ctx), "CONFIG_CB=y\n");
}

TEST(AutoConf, SideOutputsInTableOrder) {
  ModelBuilder b;
  b.config("MODULES", kBool, "modules");
  b.default_("MODULES", b.s("y"));
  b.modules("MODULES");
  b.config("AAA", kTri, "AAA");
  b.default_("AAA", b.s("m"));
  b.config("DDD", kHex, "DDD");
  b.default_("DDD", b.s("1f"));
  b.config("CCC", kStr, "CCC");
  b.default_("CCC", b.lit("q\"s"));
  b.config("FFF", kBool, "FFF");
  b.model().files = {"Kconfig"};
  b.model().env_used = {{"ARCH", "x86"}, {"CC", "gcc"}};
  auto m = b.finish();
  TempDir dir;
  ConfContext ctx;
  ctx.cwd = dir.path();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  ReadState rs;
  ASSERT_EQ(write_autoconf(cfg, ctx, rs, false), 0);
  auto conf = read_file(dir.path() + "/include/config/auto.conf");
  ASSERT_TRUE(conf);
  // Case 49's 6.12 order for these names: MODULES CCC AAA DDD.
  EXPECT_EQ(*conf,
            "#\n# Automatically generated file; DO NOT EDIT.\n# Main menu\n#\n"
            "CONFIG_MODULES=y\nCONFIG_CCC=q\"s\nCONFIG_AAA=m\nCONFIG_DDD=1f\n");
  auto h = read_file(dir.path() + "/include/generated/autoconf.h");
  ASSERT_TRUE(h);
  EXPECT_EQ(*h,
            "/*\n * Automatically generated file; DO NOT EDIT.\n * Main menu\n */\n"
            "#define CONFIG_MODULES 1\n#define CONFIG_CCC \"q\\\"s\"\n#define CONFIG_AAA_MODULE 1\n"
            "#define CONFIG_DDD 0x1f\n");
  auto cmd = read_file(dir.path() + "/include/config/auto.conf.cmd");
  ASSERT_TRUE(cmd);
  EXPECT_EQ(*cmd,
            "autoconfig := include/config/auto.conf\n\ndeps_config := \\\n\tKconfig \\\n\n"
            "$(autoconfig): $(deps_config)\n$(deps_config): ;\n"
            // 6.12 preprocess.c env_write_dep, per consulted variable
            "\nifneq \"$(ARCH)\" \"x86\"\n$(autoconfig): FORCE\nendif\n"
            "\nifneq \"$(CC)\" \"gcc\"\n$(autoconfig): FORCE\nendif\n");
  EXPECT_TRUE(file_exists(dir.path() + "/include/config/AAA"));
  EXPECT_FALSE(file_exists(dir.path() + "/include/config/FFF"));
  // auto.conf exists now: a second non-sync run writes nothing.
  EXPECT_EQ(write_autoconf(cfg, ctx, rs, false), 0);
}

}  // namespace
}  // namespace kmeta::kconfig
