#include "kconfig/parser.h"

#include <gtest/gtest.h>

#include <algorithm>

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
  MemoryFileSystem src;
  for (const auto& [k, v] : files) src.add_file(k[0] == '/' ? k : "/" + k, v);
  ParseOptions o;
  o.files = &src;
  o.cwd = "/";
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

TEST(Parser, DialectDetectedFromSrctree) {
  MemoryFileSystem src;
  src.add_file("/src/Makefile", "VERSION = 6\nPATCHLEVEL = 1\n");
  src.add_file("/src/Kconfig", "choice OLD\n\tprompt \"x\"\n\toptional\nconfig A\n\tbool \"a\"\nendchoice\n");
  ParseOptions o;
  o.files = &src;
  o.cwd = "/";
  o.srctree = "/src";
  Messages msgs;
  auto m = parse_kconfig("Kconfig", o, msgs);
  ASSERT_TRUE(m) << msgs.text(Stream::err);
  EXPECT_EQ(m->dialect, Dialect::v6_1);
  EXPECT_EQ(m->files, std::vector<std::string>{"Kconfig"});  // named as opened
}

TEST(Parser, SourceIsRelativeToTheWorkingDirectoryThenSrctree) {
  MemoryFileSystem src;
  src.add_file("/Kconfig", "source \"sub/Kconfig\"\nsource \"$(D)/other\"\n");
  src.add_file("/sub/Kconfig", "config A\n\tbool \"a\"\n\tdefault \"$(filename)\"\n");
  src.add_file("/tree/sub/other", "config B\n\tbool \"b\"\n");
  ParseOptions o;
  o.files = &src;
  o.cwd = "/";
  o.srctree = "/tree";
  o.dialect = Dialect::v6_12;
  o.env = {{"D", "sub"}, {"UNUSED", "x"}};
  Messages msgs;
  auto m = parse_kconfig("Kconfig", o, msgs);
  ASSERT_TRUE(m) << msgs.text(Stream::err);
  EXPECT_EQ(m->files, (std::vector<std::string>{"Kconfig", "sub/Kconfig", "sub/other"}));
  EXPECT_EQ(m->env_used, (std::vector<std::pair<std::string, std::string>>{{"D", "sub"}}));
  EXPECT_EQ(m->node(m->sym(m->find("B")).nodes[0]).where.file, "sub/other");
}

TEST(Parser, ChoiceMembers) {
  const char* text =
      "choice\n\tprompt \"c\"\nconfig A\n\tbool \"a\"\nif X\nconfig B\n\tbool \"b\"\nendif\n"
      "config A\n\tbool \"a again\"\nendchoice\n";
  for (Dialect d : {Dialect::v6_12, Dialect::v6_1}) {
    auto p = parse1(text, d);
    ASSERT_TRUE(p.model) << p.err();
    const Model& m = *p.model;
    SymbolId a = m.find("A"), b = m.find("B");
    SymbolId c = m.sym(a).choice;
    ASSERT_NE(c, kNone);
    EXPECT_TRUE(m.sym(c).is(kSymChoice));
    EXPECT_EQ(m.sym(b).choice, c);
    EXPECT_EQ(m.sym(c).members, (std::vector<SymbolId>{a, b}));
    EXPECT_TRUE(m.sym(a).is(kSymChoiceValue));
  }
}

TEST(Parser, SixOneKeepsSymbolBackLinks) {
  // 6.1 records a P_SYMBOL property per definition (first in its list).
  auto p = parse1("config A\n\tbool \"a\"\n", Dialect::v6_1);
  ASSERT_TRUE(p.model);
  const Symbol& a = p.model->sym(p.model->find("A"));
  ASSERT_EQ(a.props.size(), 2u);
  EXPECT_EQ(p.model->prop(a.props[0]).kind, PropKind::symbol);
  EXPECT_EQ(p.model->prop(a.props[1]).kind, PropKind::prompt);
}

TEST(Parser, FatalErrorsReturnNull) {
  EXPECT_FALSE(parse1("source \"missing\"\n").model);
  EXPECT_FALSE(parse1("X := $(shell,true)\n").model);  // no shell runner
  auto p = parse({}, Dialect::v6_12);
  EXPECT_FALSE(p.model);
  EXPECT_EQ(p.err(), "can't find file Kconfig\n");
}

TEST(Parser, HashOrder) {
  // FNV-1a buckets (16384 in 6.12, 9973 in 6.1), newest first per bucket,
  // nameless choices in bucket 0.
  auto p = parse1(
      "config B\n\tbool\nchoice\n\tprompt \"c\"\nconfig A\n\tbool \"a\"\nendchoice\n"
      "config Z\n\tstring\n\tdefault \"lit\"\n");
  ASSERT_TRUE(p.model);
  const Model& m = *p.model;
  std::vector<std::string> names;
  for (SymbolId s : hash_order(m)) names.push_back(m.sym(s).name.empty() ? "<choice>" : m.sym(s).name);
  auto bucket = [](const char* n) { return symbol_hash(n) % 16384; };
  std::vector<std::pair<uint32_t, std::string>> expect{
      {bucket("B"), "B"}, {0, "<choice>"}, {bucket("A"), "A"}, {bucket("Z"), "Z"}, {bucket("lit"), "lit"}};
  std::stable_sort(expect.begin(), expect.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> want;
  want.reserve(expect.size());
  for (auto& e : expect) want.push_back(e.second);
  EXPECT_EQ(names, want);
  EXPECT_EQ(symbol_hash(""), 2166136261u);
  EXPECT_EQ(symbol_hash("a"), 0xe40c292cu);
}

}  // namespace
}  // namespace kmeta::kconfig
