#include "kconfig/parser.h"

#include <gtest/gtest.h>

namespace kmeta::kconfig {
namespace {

struct Parsed {
  std::unique_ptr<Model> model;
  Messages msgs;
  std::string out() const { return msgs.text(Stream::out); }
  std::string err() const { return msgs.text(Stream::err); }
};

Parsed parse(const std::map<std::string, std::string>& files, Dialect d = Dialect::v6_12,
             std::map<std::string, std::string> env = {}, const std::string& top = "Kconfig") {
  MemoryFileSource src;
  for (const auto& [k, v] : files) src.add(k, v);
  ParseOptions o;
  o.files = &src;
  o.dialect = d;
  o.env = std::move(env);
  Parsed p;
  p.model = parse_kconfig(top, o, p.msgs);
  return p;
}

Parsed parse1(const std::string& text, Dialect d = Dialect::v6_12) { return parse({{"Kconfig", text}}, d); }

TEST(Parser, BasicEntries) {
  auto p = parse1(
      "mainmenu \"Test $(X)\"\n"
      "config A\n\tbool \"a\"\n\tdefault y\n"
      "menu \"M\"\n"
      "config B\n\ttristate \"b\" if A\n\tdepends on A\n\tselect C\n"
      "endmenu\n"
      "config C\n\tbool\n");
  ASSERT_TRUE(p.model) << p.err();
  EXPECT_EQ(p.err(), "");
  const Model& m = *p.model;
  EXPECT_EQ(m.mainmenu, "Test ");
  SymbolId a = m.find("A"), b = m.find("B"), c = m.find("C");
  ASSERT_NE(a, kNone);
  EXPECT_EQ(m.sym(a).type, SymbolType::boolean);
  EXPECT_EQ(m.sym(b).type, SymbolType::tristate);
  EXPECT_EQ(m.sym(c).type, SymbolType::boolean);
  ASSERT_EQ(m.sym(a).nodes.size(), 1u);
  EXPECT_EQ(m.node(m.sym(a).nodes[0]).where.line, 2);
  EXPECT_EQ(m.sym(b).props.size(), 2u);  // prompt, select
  EXPECT_EQ(m.files, std::vector<std::string>{"Kconfig"});
}

TEST(Parser, SyntaxErrorsLikeBison) {
  auto p = parse1("config A\n\tbool \"a\"\nfoo bar baz\nconfig B\n\tbool \"b\"\n");
  EXPECT_FALSE(p.model);
  EXPECT_EQ(p.err(), "Kconfig:3: syntax error\nKconfig:3: unknown statement \"foo\"\n");
  auto p61 = parse1("config A\n\tbool \"a\"\nfoo bar baz\nconfig B\n\tbool \"b\"\n", Dialect::v6_1);
  EXPECT_EQ(p61.err(), "Kconfig:4: syntax error\nKconfig:3: unknown statement \"foo\"\n");
}

TEST(Parser, MissingEnd) {
  auto p = parse1("menu \"unterminated\"\nconfig A\n\tbool \"a\"\n");
  EXPECT_EQ(p.err(), "Kconfig:4: syntax error\nKconfig:1: missing end statement for this entry\n");
  auto p61 = parse1("menu \"unterminated\"\nconfig A\n\tbool \"a\"\n", Dialect::v6_1);
  EXPECT_EQ(p61.err(), "<none>:5: syntax error\nKconfig:1: missing end statement for this entry\n");
}

}  // namespace
}  // namespace kmeta::kconfig
