#include "config/fragment.h"

#include <gtest/gtest.h>

namespace kmeta::config {
namespace {

TEST(Fragment, ClassifiesLinesLikeMergeConfig) {
  Fragment f = parse_fragment("a.cfg",
                              "# comment\n"
                              "\n"
                              "CONFIG_A=y\n"
                              "# CONFIG_B is not set\n"
                              "CONFIG_C = y\n"
                              "#CONFIG_D is not set\n"
                              "CONFIG_E=\"x y\" # note\n"
                              "garbage");
  ASSERT_EQ(f.lines.size(), 8u);
  EXPECT_EQ(f.lines[0].kind, LineKind::comment);
  EXPECT_EQ(f.lines[1].kind, LineKind::blank);
  EXPECT_EQ(f.lines[2].kind, LineKind::set);
  EXPECT_EQ(f.lines[2].name, "A");
  EXPECT_EQ(f.lines[2].raw_value, "y");
  EXPECT_EQ(f.lines[3].kind, LineKind::unset);
  EXPECT_EQ(f.lines[3].name, "B");
  EXPECT_EQ(f.lines[4].kind, LineKind::other);
  EXPECT_EQ(f.lines[5].kind, LineKind::comment);
  EXPECT_EQ(f.lines[6].kind, LineKind::set);
  EXPECT_EQ(f.lines[6].raw_value, "\"x y\" # note");
  EXPECT_EQ(f.lines[7].kind, LineKind::other);
  EXPECT_EQ(f.lines[7].number, 8);
}

TEST(Fragment, NotSetNeedsTheExactForm) {
  Fragment f = parse_fragment("a.cfg", "# CONFIG_A is not set \n# CONFIG_B is not set\r\n");
  EXPECT_EQ(f.lines[0].kind, LineKind::comment);
  EXPECT_EQ(f.lines[1].kind, LineKind::comment);
}

TEST(Fragment, SplitsValuesFromAnnotations) {
  EXPECT_EQ(split_value("y # OVERRIDE:$MODULE_OR_Y").value, "y");
  EXPECT_EQ(split_value("y # OVERRIDE:$MODULE_OR_Y").trailing, "# OVERRIDE:$MODULE_OR_Y");
  EXPECT_EQ(split_value("\"a b\" # c").value, "\"a b\"");
  EXPECT_EQ(split_value("\"a \\\"q\\\" b\"").value, "\"a \\\"q\\\" b\"");
  EXPECT_EQ(split_value("18 # 256 KiB").value, "18");
  EXPECT_EQ(split_value("m CONFIG_B=y").trailing, "CONFIG_B=y");
  EXPECT_EQ(split_value("y#x").value, "y");
  EXPECT_EQ(split_value("").value, "");
}

TEST(Fragment, SameValueTreatsNAndAbsentAlike) {
  EXPECT_TRUE(same_value("n", ""));
  EXPECT_TRUE(same_value("", "n"));
  EXPECT_TRUE(same_value("y", "y"));
  EXPECT_FALSE(same_value("y", "m"));
  EXPECT_FALSE(same_value("n", "y"));
}

TEST(Fragment, ValueSyntaxFollowsConf) {
  EXPECT_EQ(value_syntax(ValueType::tristate, "m").accepted, "m");
  EXPECT_EQ(value_syntax(ValueType::tristate, "y # OVERRIDE:$MODULE_OR_Y").accepted, "y");
  EXPECT_TRUE(value_syntax(ValueType::tristate, "y # OVERRIDE:$MODULE_OR_Y").problem.empty());
  EXPECT_FALSE(value_syntax(ValueType::boolean, "m").ok);
  EXPECT_FALSE(value_syntax(ValueType::boolean, " y").ok);
  EXPECT_EQ(value_syntax(ValueType::boolean, "yes").accepted, "y");
  EXPECT_FALSE(value_syntax(ValueType::boolean, "yes").problem.empty());

  EXPECT_TRUE(value_syntax(ValueType::integer, "18").ok);
  EXPECT_TRUE(value_syntax(ValueType::integer, "-3").ok);
  EXPECT_TRUE(value_syntax(ValueType::integer, "0").ok);
  EXPECT_FALSE(value_syntax(ValueType::integer, "018").ok);
  EXPECT_FALSE(value_syntax(ValueType::integer, "18 # 256 KiB").ok);
  EXPECT_FALSE(value_syntax(ValueType::integer, "").ok);
  EXPECT_FALSE(value_syntax(ValueType::integer, "0x10").ok);

  EXPECT_TRUE(value_syntax(ValueType::hex, "0x10").ok);
  EXPECT_TRUE(value_syntax(ValueType::hex, "abc").ok);
  EXPECT_FALSE(value_syntax(ValueType::hex, "0x").ok);
  EXPECT_FALSE(value_syntax(ValueType::hex, "0x1g").ok);

  ValueSyntax s = value_syntax(ValueType::string, "console=ttyS0");
  EXPECT_FALSE(s.ok);
  EXPECT_TRUE(s.silent);
  EXPECT_EQ(value_syntax(ValueType::string, "\"a\\\"b\" # x").accepted, "\"a\\\"b\"");
  EXPECT_FALSE(value_syntax(ValueType::string, "\"open").ok);
  EXPECT_FALSE(value_syntax(ValueType::string, "\"a\" b").problem.empty());
}

std::vector<SanityKind> kinds(const std::vector<SanityIssue>& v) {
  std::vector<SanityKind> out;
  out.reserve(v.size());
  for (const auto& i : v) out.push_back(i.kind);
  return out;
}

TEST(Fragment, SanityFindsDuplicatesAndBadForms) {
  Fragment f = parse_fragment("a.cfg",
                              "CONFIG_SMP=y\n"                        // 1
                              "# CONFIG_DEBUG_KERNEL\n"               // 2 unset without "is not set"
                              "CONFIG_PRINTK_TIME = y\n"              // 3 blank before '='
                              "CONFIG_A= y\n"                         // 4 blank after '='
                              "CONFIG_SMP=y\n"                        // 5 duplicate of 1
                              " #\n"                                  // 6 leading blank
                              "CONFIG_DRM\n"                          // 7 no '='
                              "CONFIG_CIFS=m CONFIG_CIFS_XATTR=y\n"   // 8 two assignments
                              "# CONFIG_B is not set # why\n"         // 9 trailing text
                              "#CONFIG_C is not set\n"                // 10 malformed
                              "# CONFIG_NOTE is needed by foo\n"      // 11 prose: fine
                              "CONFIG_D=y # OVERRIDE:$MODULE_OR_Y\n"  // 12 annotation: fine
                              "#CONFIG_E=y\n");                       // 13 commented-out: fine
  auto issues = check_fragment(f);
  std::vector<SanityKind> want = {
      SanityKind::unset_malformed, SanityKind::space_around_equals, SanityKind::space_around_equals,
      SanityKind::duplicate,       SanityKind::leading_whitespace,  SanityKind::missing_equals,
      SanityKind::trailing_text,   SanityKind::not_set_trailing,    SanityKind::unset_malformed};
  EXPECT_EQ(kinds(issues), want);
  EXPECT_EQ(issues[0].line, 2);
  EXPECT_EQ(issues[0].symbol, "DEBUG_KERNEL");
  EXPECT_EQ(issues[1].symbol, "PRINTK_TIME");
  EXPECT_EQ(issues[3].line, 5);
  EXPECT_EQ(issues[3].first_line, 1);
  EXPECT_EQ(issues[3].symbol, "SMP");
}

TEST(Fragment, DuplicateCountsUnsetAndSetAlike) {
  Fragment f = parse_fragment("a.cfg", "CONFIG_A=y\n# CONFIG_A is not set\n");
  auto issues = check_fragment(f);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, SanityKind::duplicate);
}

}  // namespace
}  // namespace kmeta::config
