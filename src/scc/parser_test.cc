#include "scc/parser.h"

#include <gtest/gtest.h>

namespace kmeta::scc {
namespace {

std::unique_ptr<ParsedFile> parse(const std::string& text) {
  return parse_scc("/k/f.scc", std::make_shared<const std::string>(text));
}

std::string messages(const ParsedFile& pf) {
  std::string s;
  for (const auto& d : pf.diags.items()) s += d.render() + "\n";
  return s;
}

TEST(Parser, Statements) {
  auto pf = parse(
      "# comment\n"
      "#define SPP 1\n"
      "define KMACHINE qemu # trailing\n"
      "include features/a/a.scc nocfg nopatch inherit\n"
      "kconf hardware a.cfg\n"
      "force kconf non-hardware b.cfg\n"
      "patch 0001-x.patch\n"
      "branch standard\n"
      "git branch gma500 master\n"
      "tag v1\n"
      "merge emgd\n"
      "mark hello world\n"
      "set_kernel_version 6.1\n");
  ASSERT_TRUE(pf->ok()) << messages(*pf);
  ASSERT_EQ(pf->body.size(), 11u);
  const Block& b = pf->body;
  EXPECT_EQ(b[0].kind, StmtKind::define);
  EXPECT_EQ(b[0].line, 3);
  ASSERT_EQ(b[0].args.size(), 2u);
  EXPECT_EQ(b[1].kind, StmtKind::include);
  EXPECT_EQ(b[1].path, "features/a/a.scc");
  EXPECT_TRUE(b[1].nocfg && b[1].nopatch && b[1].inherit);
  EXPECT_EQ(b[2].kind, StmtKind::kconf);
  EXPECT_EQ(b[2].kconf_class, "hardware");
  EXPECT_EQ(b[2].path, "a.cfg");
  EXPECT_FALSE(b[2].force);
  EXPECT_TRUE(b[3].force);
  EXPECT_EQ(b[3].kconf_class, "non-hardware");
  EXPECT_EQ(b[4].kind, StmtKind::patch);
  EXPECT_EQ(b[5].kind, StmtKind::branch);
  EXPECT_EQ(b[6].kind, StmtKind::git);
  EXPECT_EQ(b[6].args.size(), 3u);
  EXPECT_EQ(b[7].kind, StmtKind::tag);
  EXPECT_EQ(b[8].kind, StmtKind::merge);
  EXPECT_EQ(b[9].kind, StmtKind::mark);
  EXPECT_EQ(b[10].kind, StmtKind::set_kernel_version);
}

TEST(Parser, KeywordPrefixesAreTheReferenceCommand) {
  auto pf = parse("kconfig hardware v4l2.cfg\n");
  ASSERT_TRUE(pf->ok());
  ASSERT_EQ(pf->body.size(), 1u);
  EXPECT_EQ(pf->body[0].kind, StmtKind::kconf);
  EXPECT_EQ(pf->body[0].keyword, "kconfig");
  ASSERT_EQ(pf->diags.warning_count(), 1u);
  EXPECT_NE(messages(*pf).find("unknown command 'kconfig'; treated as 'kconf'"), std::string::npos);
}

TEST(Parser, UnknownKconfClassIsAWarningWithSuggestion) {
  auto pf = parse("kconf non-hareware x.cfg\n");
  ASSERT_TRUE(pf->ok());
  EXPECT_NE(messages(*pf).find("did you mean 'non-hardware'"), std::string::npos) << messages(*pf);
}

TEST(Parser, UnknownCommandIsALocatedErrorWithSuggestion) {
  auto pf = parse("\n  defnie X 1\n");
  ASSERT_FALSE(pf->ok());
  const Diagnostic& d = pf->diags.items()[0];
  EXPECT_EQ(d.where.line, 2);
  EXPECT_EQ(d.where.column, 3);
  EXPECT_NE(d.message.find("unknown command 'defnie'; did you mean 'define'?"), std::string::npos);
  auto pf2 = parse("echo hi\n");
  EXPECT_NE(messages(*pf2).find("unknown command 'echo'"), std::string::npos);
}

TEST(Parser, Conditionals) {
  auto pf = parse(
      "if [ \"$KARCH\" = \"x86_64\" ] || [ \"$KARCH\" = \"i386\" ]; then\n"
      "  kconf hardware a.cfg\n"
      "  if [ -n \"$X\" ]\n"
      "  then\n"
      "    include b.scc\n"
      "  fi\n"
      "elif ! [ \"$KARCH\" != arm ] && [ -z \"$Y\" ]; then\n"
      "  patch p.patch\n"
      "else\n"
      "  define Z 1\n"
      "fi\n");
  ASSERT_TRUE(pf->ok()) << messages(*pf);
  ASSERT_EQ(pf->body.size(), 1u);
  const Stmt& s = pf->body[0];
  ASSERT_EQ(s.kind, StmtKind::if_block);
  ASSERT_EQ(s.arms.size(), 2u);
  EXPECT_EQ(s.arms[0].cond.tests.size(), 2u);
  EXPECT_FALSE(s.arms[0].cond.and_ops[0]);
  ASSERT_EQ(s.arms[0].body.size(), 2u);
  EXPECT_EQ(s.arms[0].body[1].kind, StmtKind::if_block);
  EXPECT_EQ(s.arms[0].body[1].arms[0].body[0].kind, StmtKind::include);
  EXPECT_TRUE(s.arms[1].cond.tests[0].negate);
  EXPECT_EQ(s.arms[1].cond.tests[0].op, kmeta::scc::Test::ne);
  EXPECT_EQ(s.arms[1].cond.tests[1].op, kmeta::scc::Test::empty);
  EXPECT_TRUE(s.has_else);
  EXPECT_EQ(s.else_body[0].kind, StmtKind::define);
}

TEST(Parser, ConditionalErrors) {
  EXPECT_NE(messages(*parse("if [ a = b ]; then\nkconf hardware a.cfg\n")).find("'if' without 'fi'"),
            std::string::npos);
  EXPECT_NE(messages(*parse("fi\n")).find("'fi' without a matching 'if'"), std::string::npos);
  EXPECT_NE(messages(*parse("if [ a -eq b ]; then\nfi\n")).find("unsupported test operator '-eq'"),
            std::string::npos);
  EXPECT_NE(messages(*parse("if [[ a ]]; then\nfi\n")).find("'[[' is not supported"), std::string::npos);
  EXPECT_NE(messages(*parse("if [ a ]; then kconf x y\nfi\n")).find("statements after 'then'"),
            std::string::npos);
  EXPECT_NE(messages(*parse("if [ a\nfi\n")).find("missing ']'"), std::string::npos);
  EXPECT_NE(messages(*parse("if [ a ]\nkconf a b\nfi\n")).find("expected 'then'"), std::string::npos);
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string src;
  for (int i = 0; i < 100000; ++i) src += "if [ a ]; then\n";
  auto pf = parse(src);
  EXPECT_FALSE(pf->ok());
  EXPECT_NE(messages(*pf).find("nested deeper than 100 levels"), std::string::npos);
}

TEST(Parser, UnquotedVariableInTestWarns) {
  auto pf = parse("if [ $KARCH = x ]; then\nfi\n");
  ASSERT_TRUE(pf->ok());
  EXPECT_EQ(pf->diags.warning_count(), 1u);
}

TEST(Parser, IncludeFlagsFollowTheReferenceRegex) {
  auto pf = parse("include a.scc # keep the nocfg out\ninclude b.scc bogus\n");
  ASSERT_TRUE(pf->ok());
  EXPECT_TRUE(pf->body[0].nocfg);  // the reference finds " nocfg" in the comment
  EXPECT_FALSE(pf->body[0].nopatch);
  EXPECT_EQ(pf->diags.warning_count(), 2u) << messages(*pf);
}

TEST(Parser, PathWordsAreLiteral) {
  EXPECT_FALSE(parse("include \"a.scc\"\n")->ok());
  EXPECT_FALSE(parse("kconf hardware $DIR/a.cfg\n")->ok());
  EXPECT_FALSE(parse("patch *.patch\n")->ok());
  EXPECT_FALSE(parse("kconf hardware\n")->ok());
  EXPECT_FALSE(parse("include\n")->ok());
  EXPECT_FALSE(parse("as_module kconf hardware a.cfg\n")->ok());
  EXPECT_FALSE(parse("kconf hardware a.cfg as_module\n")->ok());
}

TEST(Parser, CommandArgumentChecks) {
  EXPECT_FALSE(parse("define\n")->ok());
  EXPECT_FALSE(parse("define 1X y\n")->ok());
  EXPECT_FALSE(parse("branch\n")->ok());
  auto pf = parse("define X a b\n");
  ASSERT_TRUE(pf->ok());
  EXPECT_EQ(pf->diags.warning_count(), 1u);
  EXPECT_FALSE(parse("define X 1; define Y 2\n")->ok());
}

TEST(Parser, PrintsBackAndReparsesToTheSameTree) {
  const char* src =
      "define KFEATURE_DESCRIPTION \"a b\"\n"
      "include ktypes/standard nocfg\n"
      "force kconf non-hardware x.cfg\n"
      "if [ \"$KARCH\" = arm ] && [ -n \"$X\" ]; then\n"
      "  patch a.patch\n"
      "else\n"
      "  kconf hardware y.cfg flag\n"
      "fi\n";
  auto a = parse(src);
  ASSERT_TRUE(a->ok()) << messages(*a);
  std::string printed = print_block(a->body);
  EXPECT_EQ(printed, src);
  auto b = parse(printed);
  EXPECT_EQ(print_block(b->body), printed);
}

TEST(Parser, RealWorldShapes) {
  auto pf = parse(
      "# SPDX-License-Identifier: MIT\n"
      "define KFEATURE_DESCRIPTION \"Enable cgroups and selected controllers \\\n"
      "                             namespaces and associated functionality\"\n"
      "define KFEATURE_COMPATIBILITY all\n"
      "\n"
      "kconf non-hardware cgroups.cfg\n"
      "include features/namespaces/namespaces.scc\n"
      "# patch cgroups-Resource-controller-for-open-files.patch\n"
      "include ktypes/standard/standard.scc nocfg inherit\n");
  ASSERT_TRUE(pf->ok()) << messages(*pf);
  EXPECT_EQ(pf->body.size(), 5u);
  EXPECT_EQ(pf->body[0].args[1].parts[0].text,
            "Enable cgroups and selected controllers                              namespaces and associated "
            "functionality");
  EXPECT_EQ(pf->body[2].line, 6);
}

}  // namespace
}  // namespace kmeta::scc
