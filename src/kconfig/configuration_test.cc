#include "kconfig/configuration.h"

#include <gtest/gtest.h>

#include "kconfig/cnum.h"
#include "kconfig/glibc_rand.h"
#include "kconfig/lkc_plumbing.h"
#include "kconfig/test_model_builder.h"

namespace kmeta::kconfig {
namespace {

using testing::ModelBuilder;
constexpr Tristate N = Tristate::no;
constexpr Tristate M = Tristate::mod;
constexpr Tristate Y = Tristate::yes;
constexpr auto kBool = SymbolType::boolean;
constexpr auto kTri = SymbolType::tristate;
constexpr auto kInt = SymbolType::integer;
constexpr auto kHex = SymbolType::hex;
constexpr auto kStr = SymbolType::string;

// A model with MODULES (default y) as the modules symbol.
ModelBuilder with_modules(Dialect d = Dialect::v6_12, const char* modules_default = "y") {
  ModelBuilder b(d);
  b.config("MODULES", kBool, "modules");
  b.default_("MODULES", b.s(modules_default));
  b.modules("MODULES");
  return b;
}

TEST(CNum, StrtollCorners) {
  EXPECT_EQ(c_strtoll("  42", 10).value, 42);
  EXPECT_EQ(c_strtoll("0x1f", 0).value, 31);
  EXPECT_EQ(c_strtoll("017", 0).value, 15);
  CNumber r = c_strtoll("0x", 0);
  EXPECT_EQ(r.value, 0);
  EXPECT_EQ(r.end, 1u);
  EXPECT_EQ(c_strtoll("abc", 10).end, 0u);
  EXPECT_TRUE(c_strtoll("99999999999999999999", 10).overflow);
  EXPECT_EQ(c_strtoll("99999999999999999999", 10).value, INT64_MAX);
  EXPECT_EQ(c_strtoll("-9223372036854775808", 10).value, INT64_MIN);
  EXPECT_EQ(c_strtoll("1f", 16).value, 31);
  EXPECT_EQ(c_strtoull("-1", 16).uvalue, UINT64_MAX);
}

TEST(CNum, StringValid) {
  EXPECT_TRUE(string_valid_for(kInt, "-0"));
  EXPECT_TRUE(string_valid_for(kInt, "0"));
  EXPECT_FALSE(string_valid_for(kInt, "007"));
  EXPECT_FALSE(string_valid_for(kInt, ""));
  EXPECT_FALSE(string_valid_for(kInt, "1a"));
  EXPECT_TRUE(string_valid_for(kHex, "0XAB"));
  EXPECT_TRUE(string_valid_for(kHex, "abc"));
  EXPECT_FALSE(string_valid_for(kHex, "0x"));
  EXPECT_FALSE(string_valid_for(kHex, ""));
  EXPECT_TRUE(string_valid_for(kBool, "yes"));
  EXPECT_FALSE(string_valid_for(kBool, "x"));
}

TEST(GlibcRand, MatchesGlibc) {
  // Reference values from glibc's rand() after srand(seed).
  GlibcRand r1(1);
  EXPECT_EQ(r1.next(), 1804289383);
  EXPECT_EQ(r1.next(), 846930886);
  GlibcRand r0(0);  // seed 0 behaves as 1
  EXPECT_EQ(r0.next(), 1804289383);
  GlibcRand r42(42);
  EXPECT_EQ(r42.next(), 71876166);
  EXPECT_EQ(r42.next(), 708592740);
  GlibcRand rmax(0xffffffffu);
  EXPECT_EQ(rmax.next(), 254925627);
}

TEST(HashOrder, FnvBucketsNewestFirst) {
  EXPECT_EQ(symbol_hash(""), 2166136261u);
  ModelBuilder b;
  b.config("A", kBool, "a");
  b.config("B", kBool, "b");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  auto order = cfg.table_order();
  EXPECT_EQ(order, hash_order(*m));
  ASSERT_EQ(order.size(), 2u);
  uint32_t ha = symbol_hash("A") % 16384, hb = symbol_hash("B") % 16384;
  EXPECT_EQ(order[0], ha < hb ? m->find("A") : m->find("B"));
}

TEST(Eval, TristateAlgebra) {
  ModelBuilder b = with_modules();
  b.config("T", kTri, "t");
  b.default_("T", b.s("m"));
  b.config("AND", kTri);
  b.default_("AND", b.and_(b.s("T"), b.s("y")));
  b.config("OR", kTri);
  b.default_("OR", b.or_(b.s("T"), b.s("n")));
  b.config("NOT", kTri);
  b.default_("NOT", b.not_(b.s("T")));
  b.config("EQ", kBool);
  b.default_("EQ", b.cmp(ExprKind::equal, "T", "m"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.tri(m->find("T")), M);
  EXPECT_EQ(cfg.tri(m->find("AND")), M);
  EXPECT_EQ(cfg.tri(m->find("OR")), M);
  EXPECT_EQ(cfg.tri(m->find("NOT")), M);
  EXPECT_EQ(cfg.tri(m->find("EQ")), Y);
}

TEST(Eval, ModulesOffTurnsMIntoY) {
  ModelBuilder b = with_modules(Dialect::v6_12, "n");
  b.config("T", kTri, "t");
  b.default_("T", b.s("m"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  cfg.calc(m->modules_sym);
  EXPECT_EQ(cfg.tri(m->find("T")), Y);
  EXPECT_EQ(cfg.effective_type(m->find("T")), kBool);
  EXPECT_TRUE(cfg.why(m->find("T")).promoted_to_y);
}

TEST(Eval, UserValueCappedByVisibility) {
  ModelBuilder b = with_modules();
  b.config("DEP", kTri, "dep");
  b.default_("DEP", b.s("m"));
  b.config("T", kTri, "t", b.s("DEP"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId t = m->find("T");
  plumbing(cfg).store_tri(t, DefSlot::user, Y);
  EXPECT_EQ(cfg.tri(t), M);
  Origin o = cfg.why(t);
  EXPECT_EQ(o.source, Origin::Source::user);
  EXPECT_TRUE(o.capped_by_visibility);
}

TEST(Eval, InvisibleUserValueIgnored) {
  ModelBuilder b;
  b.config("OFF", kBool, "off");
  b.config("X", kBool, "x", b.s("OFF"));
  b.default_("X", b.s("y"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId x = m->find("X");
  plumbing(cfg).store_tri(x, DefSlot::user, Y);
  EXPECT_EQ(cfg.tri(x), N);
  EXPECT_FALSE(cfg.write_flag(x));
  EXPECT_FALSE(cfg.why(x).user_value_used);
}

TEST(Eval, FirstActiveDefaultWinsEvenIfN) {
  ModelBuilder b;
  b.config("C", kBool, "c");
  b.default_("C", b.s("y"));
  b.config("X", kBool);
  PropId p1 = b.default_("X", b.s("n"), b.s("C"));
  b.default_("X", b.s("y"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId x = m->find("X");
  EXPECT_EQ(cfg.tri(x), N);
  EXPECT_EQ(cfg.why(x).default_prop, p1);
  EXPECT_FALSE(cfg.write_flag(x));  // promptless and n: not written
}

TEST(Eval, SelectBeatsUserNAndWarns) {
  ModelBuilder b;
  b.config("OFF", kBool, "off");
  b.config("S", kBool, "s");
  b.default_("S", b.s("y"));
  b.select("S", "T");
  b.config("T", kBool, "t", b.s("OFF"));
  auto m = b.finish();
  Messages log;
  Configuration cfg(*m, &log);
  cfg.clear_all_valid();
  SymbolId t = m->find("T");
  plumbing(cfg).store_tri(t, DefSlot::user, N);
  EXPECT_EQ(cfg.tri(t), Y);
  EXPECT_EQ(log.text(Stream::err),
            "\nWARNING: unmet direct dependencies detected for T\n"
            "  Depends on [n]: OFF [=n]\n"
            "  Selected by [y]:\n"
            "  - S [=y]\n");
  Origin o = cfg.why(t);
  EXPECT_EQ(o.source, Origin::Source::selected);
  ASSERT_EQ(o.selectors.size(), 1u);
  EXPECT_EQ(o.selectors[0].sym, m->find("S"));
  EXPECT_TRUE(o.unmet_dependencies);
  EXPECT_EQ(cfg.unmet_dep_warnings(), 1);
}

TEST(Eval, SelectFromModuleGivesM) {
  ModelBuilder b = with_modules();
  b.config("S", kTri, "s");
  b.default_("S", b.s("m"));
  b.select("S", "T");
  b.config("T", kTri, "t");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId t = m->find("T");
  EXPECT_EQ(cfg.tri(t), M);
  cfg.clear_all_valid();
  plumbing(cfg).store_tri(t, DefSlot::user, Y);
  EXPECT_EQ(cfg.tri(t), Y);  // a user value above the select is kept
}

TEST(Eval, ImplyIsADefaultCappedByDeps) {
  ModelBuilder b = with_modules();
  b.config("DEP", kTri, "dep");
  b.default_("DEP", b.s("m"));
  b.config("I", kBool, "i");
  b.default_("I", b.s("y"));
  b.imply("I", "T");
  b.imply("I", "HIDDEN");
  b.config("T", kTri, "t", b.s("DEP"));
  b.config("HIDDEN", kBool, "", b.s("n"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId t = m->find("T");
  EXPECT_EQ(cfg.tri(t), M);
  Origin o = cfg.why(t);
  EXPECT_EQ(o.source, Origin::Source::implied);
  EXPECT_TRUE(o.capped_by_dependency);
  // An invisible implied symbol is still written (as "is not set").
  SymbolId h = m->find("HIDDEN");
  EXPECT_EQ(cfg.tri(h), N);
  EXPECT_TRUE(cfg.write_flag(h));
  // A user n wins over imply.
  cfg.clear_all_valid();
  plumbing(cfg).store_tri(t, DefSlot::user, N);
  EXPECT_EQ(cfg.tri(t), N);
}

TEST(Eval, StringIntHexDefaults) {
  ModelBuilder b;
  b.config("B", kBool, "b");
  b.default_("B", b.s("y"));
  b.config("S", kStr, "s");
  b.default_("S", b.s("B"));  // string value of a bool is always "n"
  b.config("H", kHex, "h");
  b.default_("H", b.s("1f"));  // undefined symbol: its name, verbatim
  b.config("I", kInt, "i");
  b.config("E", kStr);
  b.default_("E", b.and_(b.s("B"), b.s("B")));  // not a single symbol: initial value
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.str(m->find("S")), "n");
  EXPECT_EQ(cfg.str(m->find("H")), "1f");
  EXPECT_EQ(cfg.str(m->find("I")), "0");
  EXPECT_EQ(cfg.str(m->find("E")), "");
  EXPECT_FALSE(cfg.write_flag(m->find("E")));
}

TEST(Eval, IntWithoutDefaultIsEmptyIn61) {
  ModelBuilder b(Dialect::v6_1);
  b.config("I", kInt, "i");
  b.config("H", kHex, "h");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.str(m->find("I")), "");
  EXPECT_EQ(cfg.str(m->find("H")), "");
}

TEST(Eval, RangeClampsUserValue) {
  ModelBuilder b;
  b.config("I", kInt, "i");
  b.default_("I", b.s("5"));
  PropId r = b.range("I", "1", "10");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId i = m->find("I");
  plumbing(cfg).store_str(i, DefSlot::user, "99");
  EXPECT_EQ(cfg.str(i), "10");
  Origin o = cfg.why(i);
  EXPECT_TRUE(o.range_clamped);
  EXPECT_EQ(o.range_prop, r);
  EXPECT_EQ(o.unclamped_value, "99");
  cfg.clear_all_valid();
  plumbing(cfg).store_str(i, DefSlot::user, "-3");
  EXPECT_EQ(cfg.str(i), "1");
}

TEST(Eval, ComparisonSemantics) {
  ModelBuilder b;
  b.config("H", kHex, "h");
  b.default_("H", b.s("0x10"));
  b.config("S", kStr, "s");
  b.default_("S", b.lit("abc"));
  b.config("HEX_GT", kBool);
  b.default_("HEX_GT", b.cmp(ExprKind::gth, "H", "9"));  // 0x10 > 9 numerically
  b.config("STR_LT", kBool);
  b.default_("STR_LT", b.cmp(ExprKind::lth, "S", "abd"));
  b.config("MIXED", kBool);
  b.default_("MIXED", b.cmp(ExprKind::equal, "017", "15"));  // base-0 parsing of unknowns
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.tri(m->find("HEX_GT")), Y);
  EXPECT_EQ(cfg.tri(m->find("STR_LT")), Y);
  EXPECT_EQ(cfg.tri(m->find("MIXED")), Y);
}

TEST(Eval, RecursionSeesInitialValue) {
  // A loop through defaults: the in-progress symbol reads as its type's
  // initial value ("0" for int in 6.12).
  ModelBuilder b;
  b.config("A", kInt, "a");
  b.default_("A", b.s("B"));
  b.config("B", kInt, "b");
  b.default_("B", b.s("A"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.str(m->find("A")), "0");
  EXPECT_EQ(cfg.str(m->find("B")), "0");
}

TEST(Eval, RangeBoundSeesCurrentValue) {
  // While A's range is checked, A already holds its new value (lkc sets curr
  // before validating the range), so B = A = 5 and 5 is within [1, 5].
  ModelBuilder b;
  b.config("A", kInt, "a");
  b.default_("A", b.s("5"));
  b.range("A", "1", "B");
  b.config("B", kInt, "b");
  b.default_("B", b.s("A"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.str(m->find("A")), "5");
  EXPECT_EQ(cfg.str(m->find("B")), "5");
}

TEST(Choice612, UserYLastLineWins) {
  ModelBuilder b;
  NodeId c = b.choice("pick");
  b.config("A", kBool, "a", kNone, c);
  b.config("B", kBool, "b", kNone, c);
  b.config("C", kBool, "c", kNone, c);
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId A = m->find("A"), B = m->find("B"), C = m->find("C");
  EXPECT_EQ(cfg.tri(A), Y);  // default: first visible
  cfg.clear_all_valid();
  // Reading order B=y then C=y: each moves to the front, C wins.
  plumbing(cfg).store_tri(B, DefSlot::user, Y);
  cfg.prioritize_member(B, true);
  plumbing(cfg).store_tri(C, DefSlot::user, Y);
  cfg.prioritize_member(C, true);
  EXPECT_EQ(cfg.tri(C), Y);
  EXPECT_EQ(cfg.tri(B), N);
  EXPECT_EQ(cfg.why(C).choice_rule, Origin::ChoiceRule::user_y);
}

TEST(Choice612, DefaultSetToNPicksFirstUnset) {
  ModelBuilder b;
  NodeId c = b.choice("pick");
  b.config("A", kBool, "a", kNone, c);
  b.config("B", kBool, "b", kNone, c);
  b.config("C", kBool, "c", kNone, c);
  b.choice_default(c, "B");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId A = m->find("A"), B = m->find("B"), C = m->find("C");
  EXPECT_EQ(cfg.tri(B), Y);
  cfg.clear_all_valid();
  plumbing(cfg).store_tri(B, DefSlot::user, N);
  cfg.prioritize_member(B, true);
  plumbing(cfg).store_tri(A, DefSlot::user, N);
  cfg.prioritize_member(A, true);
  EXPECT_EQ(cfg.tri(C), Y);
  EXPECT_EQ(cfg.why(C).choice_rule, Origin::ChoiceRule::first_unset);
  // All n: the member whose n came first (B) wins.
  cfg.clear_all_valid();
  plumbing(cfg).store_tri(C, DefSlot::user, N);
  cfg.prioritize_member(C, true);
  EXPECT_EQ(cfg.tri(B), Y);
  EXPECT_EQ(cfg.why(B).choice_rule, Origin::ChoiceRule::last_n);
}

TEST(Choice612, InvisibleMemberUserYIgnoredAndSelectHasNoEffect) {
  ModelBuilder b;
  NodeId c = b.choice("pick");
  b.config("A", kBool, "a", kNone, c);
  b.config("B", kBool, "b", b.s("n"), c);
  b.config("S", kBool, "s");
  b.default_("S", b.s("y"));
  b.select("S", "A");
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId A = m->find("A"), B = m->find("B");
  plumbing(cfg).store_tri(B, DefSlot::user, Y);
  cfg.prioritize_member(B, true);
  EXPECT_EQ(cfg.tri(A), Y);
  EXPECT_EQ(cfg.tri(B), N);
  EXPECT_FALSE(cfg.write_flag(B));
}

TEST(Choice61, ChoiceSymbolValueAndMemberNIgnored) {
  ModelBuilder b(Dialect::v6_1);
  NodeId c = b.choice("pick");
  b.config("A", kBool, "a", kNone, c);
  b.config("B", kBool, "b", kNone, c);
  b.choice_default(c, "B");
  SymbolId cs = b.choice_sym(c);
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId A = m->find("A"), B = m->find("B");
  EXPECT_EQ(cfg.tri(cs), Y);
  EXPECT_EQ(cfg.tri(B), Y);
  EXPECT_EQ(cfg.tri(A), N);
  // User n on the default member is ignored in 6.1.
  cfg.clear_all_valid();
  plumbing(cfg).store_tri(B, DefSlot::user, N);
  EXPECT_EQ(cfg.tri(B), Y);
}

TEST(Choice61, FalsePromptHidesMembers) {
  ModelBuilder b(Dialect::v6_1);
  NodeId c = b.choice("pick", kNone, NodeId(0), b.s("n"));
  b.config("A", kBool, "a", kNone, c);
  SymbolId cs = b.choice_sym(c);
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.tri(cs), N);
  EXPECT_EQ(cfg.tri(m->find("A")), N);
  EXPECT_FALSE(cfg.write_flag(m->find("A")));
}

TEST(Choice612, FalsePromptStillComputesMembers) {
  ModelBuilder b;
  NodeId c = b.choice("pick", kNone, NodeId(0), b.s("n"));
  b.config("A", kBool, "a", kNone, c);
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  EXPECT_EQ(cfg.tri(m->find("A")), Y);
  EXPECT_TRUE(cfg.write_flag(m->find("A")));
}

TEST(StringDefault, ImpliedWithoutDependencyCap) {
  ModelBuilder b = with_modules();
  b.config("DEP", kTri, "dep");
  b.default_("DEP", b.s("m"));
  b.config("I", kBool, "i");
  b.default_("I", b.s("y"));
  b.imply("I", "T");
  b.config("T", kTri, "t", b.s("DEP"));
  auto m = b.finish();
  Configuration cfg(*m);
  cfg.clear_all_valid();
  SymbolId t = m->find("T");
  EXPECT_EQ(cfg.tri(t), M);
  EXPECT_EQ(cfg.string_default(t), "y");  // savedefconfig quirk (case 48)
}

}  // namespace
}  // namespace kmeta::kconfig
