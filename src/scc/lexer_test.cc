#include "scc/lexer.h"

#include <gtest/gtest.h>

namespace kmeta::scc {
namespace {

std::vector<LogicalLine> lines_of(const std::string& text, Diagnostics* d = nullptr) {
  Diagnostics local;
  SourceMap map(text);
  return read_logical_lines(text, "f.scc", map, d ? *d : local);
}

TEST(LogicalLines, ReadSemantics) {
  auto l = lines_of("  define X 1  \n\tkconf a b\\\n   c\nx\\y\n\nlast");
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0].text, "define X 1");
  EXPECT_EQ(l[0].line, 1);
  // A continuation keeps the next line's leading blanks.
  EXPECT_EQ(l[1].text, "kconf a b   c");
  EXPECT_EQ(l[1].line, 2);
  EXPECT_EQ(l[2].text, "xy");  // other backslashes are dropped
  EXPECT_EQ(l[2].line, 4);
  EXPECT_EQ(l[3].text, "");
  EXPECT_EQ(l[4].text, "last");  // no final newline
}

TEST(LogicalLines, EscapedBlankIsNotTrimmed) {
  auto l = lines_of("a\\ \n");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].text, "a ");
}

TEST(LogicalLines, CarriageReturnAndNulAreErrors) {
  Diagnostics d;
  lines_of("define X 1\r\n", &d);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.items()[0].where.line, 1);
  EXPECT_EQ(d.items()[0].where.column, 11);
  Diagnostics d2;
  lines_of(std::string("a\0b\n", 4), &d2);
  EXPECT_EQ(d2.error_count(), 1u);
}

std::vector<Token> lex(const std::string& text, Diagnostics* d = nullptr, size_t* last = nullptr) {
  Diagnostics local;
  SourceMap map(text);
  auto ls = read_logical_lines(text, "f.scc", map, d ? *d : local);
  size_t i = 0;
  std::vector<Token> out;
  lex_shell_words(ls, &i, "f.scc", map, d ? *d : local, &out);
  if (last) *last = i;
  return out;
}

TEST(ShellWords, QuotesAndVariables) {
  auto t = lex("define D \"a $X ${Y}b\" 'lit $Z' c$W # comment");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].word.literal(), "define");
  const Word& w = t[2].word;
  ASSERT_EQ(w.parts.size(), 5u);
  EXPECT_EQ(w.parts[0].text, "a ");
  EXPECT_EQ(w.parts[1].kind, WordPart::variable);
  EXPECT_EQ(w.parts[1].text, "X");
  EXPECT_TRUE(w.parts[1].quoted);
  EXPECT_EQ(w.parts[2].text, " ");
  EXPECT_EQ(w.parts[3].text, "Y");
  EXPECT_EQ(w.parts[4].text, "b");
  EXPECT_EQ(w.raw, "\"a $X ${Y}b\"");
  EXPECT_EQ(t[3].word.literal(), "lit $Z");  // single quotes: no variable
  EXPECT_FALSE(t[3].word.has_variables());
  EXPECT_TRUE(t[4].word.has_variables());
  EXPECT_FALSE(t[4].word.parts.back().quoted);
}

TEST(ShellWords, Operators) {
  auto t = lex("if [ \"$A\" = x ] || [ -n \"$B\" ]; then");
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[6].kind, TokenKind::or_or);
  EXPECT_EQ(t[11].kind, TokenKind::semicolon);
  EXPECT_EQ(t[12].word.literal(), "then");
}

TEST(ShellWords, MultiLineStringJoinsTrimmedLines) {
  size_t last = 0;
  auto t = lex("define D \"one\n   two\"\nnext", nullptr, &last);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[2].word.literal(), "one\ntwo");
  EXPECT_EQ(last, 1u);
}

TEST(ShellWords, RejectsShellOutsideTheLanguage) {
  for (const char* bad : {"define X `id`", "define X $(id)", "git x | y", "git x > y", "define X ${Y:-z}",
                          "define X $1", "define X \"open", "git a & b", "git (x)"}) {
    Diagnostics d;
    lex(bad, &d);
    EXPECT_TRUE(d.has_errors()) << bad;
  }
}

TEST(ShellWords, ContinuationOfStringMustNotStartWithKeyword) {
  Diagnostics d;
  lex("define X \"a\ninclude b.scc\"", &d);
  ASSERT_TRUE(d.has_errors());
  EXPECT_EQ(d.items()[0].where.line, 2);
}

TEST(RawWords, SplitOnBlanksUntilComment) {
  LogicalLine l;
  l.text = "include  a.scc nocfg #c nopatch";
  for (size_t i = 0; i < l.text.size(); ++i) l.origin.push_back(static_cast<uint32_t>(i));
  auto w = split_raw_words(l);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[1].text, "a.scc");
  EXPECT_EQ(w[1].offset, 9u);
  EXPECT_EQ(w[2].text, "nocfg");
}

}  // namespace
}  // namespace kmeta::scc
