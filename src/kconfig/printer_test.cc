#include "kconfig/printer.h"

#include <gtest/gtest.h>

#include "kconfig/parse_testing.h"

namespace kmeta::kconfig {
namespace {

using testing::parse_text;

TEST(Printer, ParenthesesFollowExprCompareType) {
  Model m;
  SymbolId a = m.intern("A"), b = m.intern("B"), c = m.intern("C");
  ExprId A = m.e_sym(a), B = m.e_sym(b), C = m.e_sym(c);
  EXPECT_EQ(expr_str(m, m.e_and(m.e_or(A, B), m.e_not(C))), "(A || B) && !C");
  EXPECT_EQ(expr_str(m, m.e_or(m.e_and(A, B), C)), "A && B || C");
  EXPECT_EQ(expr_str(m, m.e_not(m.e_and(A, B))), "!(A && B)");
  EXPECT_EQ(expr_str(m, m.e_not(m.e_cmp(ExprKind::equal, a, kSymYes))), "!A=y");  // lkc adds none here
  EXPECT_EQ(expr_str(m, m.e_and(m.e_cmp(ExprKind::leq, a, b), m.e_cmp(ExprKind::unequal, c, kSymNo))),
            "A<=B && C!=n");
  EXPECT_EQ(expr_str(m, kNone), "y");
  SymbolId ch = m.new_choice_symbol();
  EXPECT_EQ(expr_str(m, m.e_and(m.e_sym(ch), m.e_sym(m.intern_const("str")))), "<choice> && str");
}

TEST(Printer, ValuesLikeExprGstrPrint) {
  auto p = parse_text(
      "config A\n\tbool \"a\"\nconfig B\n\tint \"b\"\nconfig C\n\tbool \"c\"\n\tdepends on A && B > 3 && "
      "UNDEF\n");
  ASSERT_TRUE(p.model) << p.err();
  std::string out;
  print_expr_values(p.m(), p.dep("C"), out, [&](SymbolId s) { return p.m().sym(s).name == "A" ? "y" : "5"; });
  // unknown-type symbols (UNDEF, the constant 3) get no value
  EXPECT_EQ(out, "A [=y] && B [=5]>3 && UNDEF");
}

TEST(Printer, SymbolPrintsBackItsDefinitions) {
  auto p = parse_text(
      "menu \"m\"\n"
      "config FOO\n"
      "\ttristate \"Foo\" if BAR\n"
      "\tdefault m if BAR\n"
      "\tselect BAZ\n"
      "\tdepends on BAR || !QUX\n"
      "\thelp\n"
      "\t  Some help.\n"
      "\n"
      "\t    indented\n"
      "endmenu\n"
      "config FOO\n"
      "\tdef_bool y\n"
      "config BAR\n\tbool\nconfig BAZ\n\tbool\n");
  ASSERT_TRUE(p.model) << p.err();
  EXPECT_EQ(print_symbol(p.m(), p.m().find("FOO")),
            "# Kconfig:2\n"
            "config FOO\n"
            "\ttristate\n"
            "\tprompt \"Foo\" if BAR\n"
            "\tdefault m if BAR\n"
            "\tselect BAZ\n"
            "\tdepends on BAR || !QUX\n"
            "\thelp\n"
            "\t  Some help.\n"
            "\n"
            "\t    indented\n"
            "# Kconfig:12\n"
            "config FOO\n"
            "\tbool\n"
            "\tdefault y\n");
}

TEST(Printer, PrintedBackSymbolsParseAgain) {
  const char* text =
      "config A\n\ttristate \"a\"\n\tdefault y if B\n\trange 1 2\n\tdepends on B && C=m\n"
      "config B\n\tbool \"b\"\n\timply A\n"
      "config C\n\ttristate\n\tselect B if D\n";
  auto p = parse_text(text);
  ASSERT_TRUE(p.model) << p.err();
  std::string again;
  for (const char* n : {"A", "B", "C"}) again += print_symbol(p.m(), p.m().find(n)) + "\n";
  auto q = parse_text(again);
  ASSERT_TRUE(q.model) << q.err() << again;
  // same finalized model apart from line numbers
  auto strip = [](std::string s) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '@') {
        while (i < s.size() && s[i] != ' ' && s[i] != '\n') ++i;
        if (i < s.size()) r += s[i];
        continue;
      }
      r += s[i];
    }
    return r;
  };
  EXPECT_EQ(strip(dump_model(q.m())), strip(dump_model(p.m())));
}

// print_model() writes Kconfig that parses back to the same finalized
// dependencies and help texts: printing the re-parsed model gives the same
// text again (location comments aside).
TEST(Printer, ModelPrintsBackToAnEquivalentModel) {
  const char* text =
      "mainmenu \"M $$x\"\n"
      "config MODULES\n\tbool \"modules\"\n\tmodules\n"
      "menu \"m\"\n\tvisible if V\n\tdepends on D\n"
      "if I\n"
      "config A\n\ttristate \"a\" if P\n\tdefault m if Q\n\tdepends on m && !(X || C)\n"
      "\tselect S if A = y\n\timply T\n\trange 1 \"10\"\n\thelp\n\t  text\n\n\t    more\n\n\n"
      "config B\n\tbool \"b\"\n\tdepends on A\n\thelp\n\t  ends at a dedent\n"
      "comment \"c\"\n\tdepends on B\n"
      "endif\n"
      "endmenu\n"
      "choice\n\tprompt \"ch\"\n\tdefault C2\nconfig C1\n\tbool \"c1\"\nconfig C2\n\tbool \"c2\"\n"
      "\thelp\n\t  last\nendchoice\n"
      "config S\n\tbool\nconfig T\n\ttristate\n\tdefault \"a\\\"b\"\nconfig H\n\tbool \"h\"\n\thelp\n";
  for (Dialect d : {Dialect::v6_12, Dialect::v6_1}) {
    auto p = parse_text(text, d);
    ASSERT_TRUE(p.model) << p.err();
    std::string once = print_model(p.m());
    auto q = parse_text(once, d);
    ASSERT_TRUE(q.model) << q.err() << once;
    EXPECT_FALSE(q.msgs.has_errors()) << q.err();
    auto strip = [](const std::string& s) {
      std::string r;
      for (size_t i = 0; i < s.size();) {
        size_t nl = s.find('\n', i);
        std::string line = s.substr(i, nl == std::string::npos ? std::string::npos : nl - i + 1);
        if (line.rfind("# ", 0) != 0) r += line;
        i = nl == std::string::npos ? s.size() : nl + 1;
      }
      return r;
    };
    EXPECT_EQ(strip(print_model(q.m())), strip(once));
    for (const char* n : {"A", "B", "C2", "H"})
      EXPECT_EQ(q.m().help(q.sym(n).nodes[0]), p.m().help(p.sym(n).nodes[0])) << n;
  }
}

TEST(Printer, DumpShowsFinalizedDependencies) {
  auto p = parse_text("if A\nmenu \"m\"\n\tvisible if B\nconfig C\n\tbool \"c\" if D\nendmenu\nendif\n");
  ASSERT_TRUE(p.model);
  std::string dump = dump_model(p.m());
  EXPECT_EQ(dump.substr(0, dump.find("\nsym ") + 1),
            "mainmenu \"Main menu\"\n"
            "modules n\n"
            "node menu \"Main menu\" @root\n"
            "  node @Kconfig:1\n"
            "    dep: A\n"
            "  node menu \"m\" @Kconfig:2\n"
            "    dep: A\n"
            "    visibility: B\n"
            "    prop menu \"m\" @Kconfig:2 cond: A\n"
            "    node sym C prompt \"c\" @Kconfig:4\n"
            "      dep: A\n"
            "      prop prompt \"c\" @Kconfig:5 cond: A && D && B\n");
}

}  // namespace
}  // namespace kmeta::kconfig
