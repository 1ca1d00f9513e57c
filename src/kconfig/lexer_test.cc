#include "kconfig/lexer.h"

#include <gtest/gtest.h>

#include "kconfig/grammar.h"
#include "kconfig/internal.h"

namespace kmeta::kconfig {
namespace {

struct Lexed {
  std::vector<std::string> tokens;
  std::string err;
};

// The token stream lkc's yylex would hand to the parser (no parser actions:
// no help text, no `source`).
Lexed lex(const std::string& text, Dialect d = Dialect::v6_12,
          const std::map<std::string, std::string>& env = {}) {
  MemoryFileSystem src;
  src.add_file("/K", text);
  Messages msgs;
  Lexer lexer(d, msgs, src, "/", "");
  Preprocessor pp(env, nullptr, msgs, lexer);
  lexer.set_preprocessor(&pp);
  lexer.init("K");
  Lexed out;
  for (int i = 0; i < 1000; ++i) {
    std::string v;
    int t = lexer.next(&v);
    if (t == T_EOF) break;
    std::string s = std::string(token_name(t)).substr(2);
    if (t == T_WORD || t == T_WORD_QUOTE || t == T_ASSIGN_VAL || t == T_HELPTEXT) s += "(" + v + ")";
    out.tokens.push_back(s + "@" + std::to_string(lexer.lineno()));
  }
  out.err = msgs.text(Stream::err);
  return out;
}

using V = std::vector<std::string>;

TEST(Lexer, KeywordsWordsOperators) {
  auto l = lex("config A-1 configx 0x10 on_x\n!=!<= >=>||&&( ) :=+= =\n");
  EXPECT_EQ(l.tokens,
            (V{"CONFIG@1", "WORD(A-1)@1", "WORD(configx)@1", "WORD(0x10)@1", "WORD(on_x)@1", "EOL@1",
               "UNEQUAL@2", "NOT@2", "LESS_EQUAL@2", "GREATER_EQUAL@2", "GREATER@2", "OR@2", "AND@2",
               "OPEN_PAREN@2", "CLOSE_PAREN@2", "COLON_EQUAL@2", "PLUS_EQUAL@2", "EQUAL@2", "EOL@2"}));
  EXPECT_EQ(l.err, "");
}

TEST(Lexer, OptionalIsAKeywordOnlyIn61) {
  EXPECT_EQ(lex("optional\n").tokens, (V{"WORD(optional)@1", "EOL@1"}));
  EXPECT_EQ(lex("optional\n", Dialect::v6_1).tokens, (V{"OPTIONAL@1", "EOL@1"}));
}

TEST(Lexer, CommentsContinuationsAndEolRuns) {
  // Runs of EOL reach the parser as one; the statement line is the line of
  // its first token; a backslash-newline joins lines.
  auto l = lex("# comment\n\n\ndepends \\\n  on A # trailing\n\n");
  EXPECT_EQ(l.tokens, (V{"DEPENDS@4", "ON@4", "WORD(A)@4", "EOL@4"}));
}

TEST(Lexer, UnsupportedCharacters) {
  auto l = lex("a ; b\\c : + | &\r\n");
  EXPECT_EQ(l.tokens, (V{"WORD(a)@1", "WORD(b)@1", "WORD(c)@1", "EOL@1"}));
  EXPECT_EQ(l.err,
            "K:1:warning: ignoring unsupported character ';'\n"
            "K:1:warning: ignoring unsupported character '\\'\n"
            "K:1:warning: ignoring unsupported character ':'\n"
            "K:1:warning: ignoring unsupported character '+'\n"
            "K:1:warning: ignoring unsupported character '|'\n"
            "K:1:warning: ignoring unsupported character '&'\n"
            "K:1:warning: ignoring unsupported character '\r'\n");
}

TEST(Lexer, Strings) {
  auto l = lex("\"a\\\"b\\\\c\\t\" 'it\"s' \"x'y\"\n\"multi\nline\"\n");
  EXPECT_EQ(l.tokens, (V{"WORD_QUOTE(a\"b\\ct)@1", "WORD_QUOTE(it\"s)@1", "WORD_QUOTE(x'y)@1", "EOL@1",
                         "WORD_QUOTE(multi)@2", "EOL@2", "WORD(line)@3", "WORD_QUOTE()@3", "EOL@3"}));
  // The warning names the statement line (cur_lineno), which is only updated
  // after a statement's first token has been scanned: a string that starts a
  // statement reports the previous statement's line, as lkc does.
  EXPECT_EQ(l.err,
            "K:1:warning: multi-line strings not supported\n"
            "K:3:warning: multi-line strings not supported\n");
}

TEST(Lexer, StringAtEndOfFile) {
  auto l = lex("prompt \"open");
  EXPECT_EQ(l.tokens, (V{"PROMPT@1", "WORD_QUOTE(open)@1"}));
  EXPECT_EQ(l.err, "K:1:warning: no new line at end of file\n");
}

TEST(Lexer, AssignmentValuesAreRaw) {
  // Only right after a word at the start of a statement.
  auto l = lex("A :=   x # y  \\\nB=\nC += $(D)\n  E = F\nconfig G = H\n");
  EXPECT_EQ(l.tokens, (V{"WORD(A)@1",
                         "COLON_EQUAL@1",
                         "ASSIGN_VAL(x # y  \\)@1",
                         "EOL@1",
                         "WORD(B)@2",
                         "EQUAL@2",
                         "EOL@2",
                         "WORD(C)@3",
                         "PLUS_EQUAL@3",
                         "ASSIGN_VAL($(D))@3",
                         "EOL@3",
                         "WORD(E)@4",
                         "EQUAL@4",
                         "ASSIGN_VAL(F)@4",
                         "EOL@4",
                         "CONFIG@5",
                         "WORD(G)@5",
                         "EQUAL@5",
                         "WORD(H)@5",
                         "EOL@5"}));
}

TEST(Lexer, MacrosInWordsAndStrings) {
  auto l = lex("$(P)_X$(E) a$b \"[$(P) $$(P)]\" $(EMPTY)\n", Dialect::v6_12, {{"P", "pre"}, {"E", "x y"}});
  EXPECT_EQ(l.tokens, (V{"WORD(pre_Xx y)@1", "WORD(a$b)@1", "WORD_QUOTE([pre $pre])@1", "EOL@1"}));
}

TEST(Lexer, NoNewlineAtEndOfFile) {
  // 6.12: the top-level file ends without an EOL token; 6.1 returns one.
  EXPECT_EQ(lex("bool").tokens, (V{"BOOL@1"}));
  EXPECT_EQ(lex("bool", Dialect::v6_1).tokens, (V{"BOOL@1", "EOL@1"}));
  EXPECT_EQ(lex("bool").err, "K:1:warning: no new line at end of file\n");
}

TEST(Lexer, MacroErrorsAreFatalWithTheLexerLine) {
  MemoryFileSystem src;
  src.add_file("/K", "\n\nconfig $(X\n");
  Messages msgs;
  Lexer lexer(Dialect::v6_12, msgs, src, "/", "");
  std::map<std::string, std::string> env;
  Preprocessor pp(env, nullptr, msgs, lexer);
  lexer.set_preprocessor(&pp);
  lexer.init("K");
  std::string v;
  EXPECT_EQ(lexer.next(&v), T_CONFIG);
  EXPECT_THROW(lexer.next(&v), FatalError);
  EXPECT_EQ(msgs.text(Stream::err), "K:3: unterminated reference to 'X': missing ')'\n");
}

TEST(Lexer, MissingTopLevelFile) {
  MemoryFileSystem src;
  Messages msgs;
  Lexer lexer(Dialect::v6_12, msgs, src, "/", "");
  EXPECT_THROW(lexer.init("nope"), FatalError);
  EXPECT_EQ(msgs.text(Stream::err), "can't find file nope\n");
}

TEST(Lexer, SrctreeFallback) {
  MemoryFileSystem src;
  src.add_file("/tree/K", "bool\n");
  Messages msgs;
  Lexer lexer(Dialect::v6_12, msgs, src, "/", "/tree");
  lexer.init("K");
  EXPECT_EQ(lexer.filename(), "K");  // named as given
  std::string v;
  EXPECT_EQ(lexer.next(&v), T_BOOL);
}

template <size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

TEST(Lexer, NulBytesAfterMacrosAreEatenLikeLkc) {
  // lkc reads the rest of the line through C strings around a macro: after
  // "$" in a string everything from the NUL to the end of the line is lost;
  // after a word with a macro the NUL itself is swallowed. (The warning says
  // line 0: no statement has started yet, as in lkc.)
  auto l = lex(bytes("\"x$\x01\0y\" z\"\nconfig B$(E)\0C\n"));
  EXPECT_EQ(l.tokens, (V{"WORD_QUOTE(x$\x01)@1", "EOL@1", "CONFIG@2", "WORD(B)@2", "WORD(C)@2", "EOL@2"}));
  EXPECT_EQ(l.err, "K:0:warning: multi-line strings not supported\n");
  // elsewhere a NUL is an ordinary (unsupported) character
  EXPECT_EQ(lex(bytes("A\0B\n")).err, bytes("K:1:warning: ignoring unsupported character '\0'\n"));
}

}  // namespace
}  // namespace kmeta::kconfig
