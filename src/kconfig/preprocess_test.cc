#include "kconfig/preprocess.h"

#include <gtest/gtest.h>

#include "kconfig/internal.h"

namespace kmeta::kconfig {
namespace {

struct Host : PreprocessHost {
  std::string file = "F";
  int line = 7;
  const std::string& pp_filename() const override { return file; }
  int pp_lineno() const override { return line; }
};

struct FakeShell : ShellRunner {
  bool run(const std::string& cmd, std::string* out, std::string* err) override {
    commands.push_back(cmd);
    if (fail) {
      *err = "replay cache miss: " + cmd;
      return false;
    }
    *out = output;
    return true;
  }
  std::string output;
  bool fail = false;
  std::vector<std::string> commands;
};

class PP : public ::testing::Test {
 protected:
  std::map<std::string, std::string> env{{"HOME", "/h"}, {"EMPTY", ""}};
  Messages msgs;
  Host host;
  FakeShell shell;
  Preprocessor pp{env, &shell, msgs, host};
  std::string x(const std::string& s) { return pp.expand_string(s); }
};

TEST_F(PP, Flavours) {
  pp.add_variable("X", "one", Flavor::simple);
  pp.add_variable("Y", "$(X) two", Flavor::recursive);
  pp.add_variable("X", "three", Flavor::simple);
  pp.add_variable("Z", "$(Y)", Flavor::simple);
  EXPECT_EQ(x("$(Y)|$(Z)"), "three two|three two");
  pp.add_variable("A", "a", Flavor::append);  // creates a recursive variable
  pp.add_variable("A", "$(X)", Flavor::append);
  pp.add_variable("X", "four", Flavor::simple);
  EXPECT_EQ(x("$(A)"), "a four");
  pp.add_variable("S", "s", Flavor::simple);
  pp.add_variable("S", "$(X)", Flavor::append);  // simple: expanded now
  pp.add_variable("X", "five", Flavor::simple);
  EXPECT_EQ(x("$(S)"), "s four");
}

TEST_F(PP, FunctionsAndPositionalArguments) {
  pp.add_variable("f", "[$(1)|$(2)|$(3)]", Flavor::recursive);
  pp.add_variable("g", "<$( 1)$(+2)$(02)$(0)$(-1)>", Flavor::recursive);
  EXPECT_EQ(x("$(f,a,b)"), "[a|b|]");
  EXPECT_EQ(x("$(g,p,q)"), "<pqq>");
  // Arguments are split on top-level commas only and expanded first.
  EXPECT_EQ(x("$(f,(x,y),$(f,1,2))"), "[(x,y)|[1|2|]|]");
  // Positional arguments are only visible in the body called directly.
  pp.add_variable("outer", "$(inner)", Flavor::recursive);
  pp.add_variable("inner", "[$(1)]", Flavor::recursive);
  EXPECT_EQ(x("$(outer,z)"), "[]");
}

TEST_F(PP, DollarWithoutParenthesisIsLiteral) { EXPECT_EQ(x("a$b $$ $"), "a$b $$ $"); }

TEST_F(PP, ExpandOneTokenStopsAtTheEndOfTheWord) {
  pp.add_variable("V", "v w", Flavor::simple);
  size_t used = 0;
  EXPECT_EQ(pp.expand_one_token("a$(V)b-c d", &used), "av wb-c");
  EXPECT_EQ(used, 8u);
}

TEST_F(PP, Environment) {
  EXPECT_EQ(x("[$(HOME)][$(EMPTY)][$(UNSET)][$(HOME,x)]"), "[/h][][][]");
  EXPECT_EQ(pp.env_used(), (std::vector<std::pair<std::string, std::string>>{{"HOME", "/h"}, {"EMPTY", ""}}));
  EXPECT_EQ(x("$(HOME)"), "/h");
  EXPECT_EQ(pp.env_used().size(), 2u);  // recorded once
}

TEST_F(PP, BuiltIns) {
  EXPECT_EQ(x("$(filename):$(lineno)"), "F:7");
  EXPECT_EQ(x("$(info,hello $(lineno))x"), "x");
  EXPECT_EQ(x("$(warning-if,y,careful)$(warning-if, y,no)$(warning-if,n,no)"), "");
  EXPECT_EQ(msgs.text(Stream::out), "hello 7\n");
  EXPECT_EQ(msgs.text(Stream::err), "F:7: careful\n");
}

TEST_F(PP, Shell) {
  shell.output = "a\n\nb\n\n\n";
  EXPECT_EQ(x("[$(shell,cmd one)]"), "[a  b]");
  EXPECT_EQ(shell.commands, std::vector<std::string>{"cmd one"});
  shell.output = std::string(5000, 'x');
  EXPECT_EQ(x("$(shell,big)").size(), 4095u);  // lkc reads one 4096-byte buffer
  shell.output = std::string("a\0b", 3);
  EXPECT_EQ(x("$(shell,nul)"), "a");
}

TEST_F(PP, ShellFailureIsALocatedError) {
  shell.fail = true;
  EXPECT_THROW(x("$(shell,gcc --version)"), FatalError);
  EXPECT_EQ(msgs.text(Stream::err), "F:7: replay cache miss: gcc --version\n");
}

TEST_F(PP, NoShellRunner) {
  Preprocessor p(env, nullptr, msgs, host);
  EXPECT_THROW(p.expand_string("$(shell,true)"), FatalError);
  EXPECT_EQ(msgs.text(Stream::err), "F:7: $(shell,true) cannot run: no shell runner configured\n");
}

struct Fatal {
  const char* name;
  const char* input;
  const char* message;
};

class PPErrors : public PP, public ::testing::WithParamInterface<Fatal> {};

TEST_P(PPErrors, ReportsLikeLkc) {
  pp.add_variable("self", "$(self)x", Flavor::recursive);
  pp.add_variable("deep", "$(deep,$(1)x)", Flavor::recursive);
  EXPECT_THROW(x(GetParam().input), FatalError);
  EXPECT_EQ(msgs.text(Stream::err), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    All, PPErrors,
    ::testing::Values(
        Fatal{"self_reference", "$(self)", "F:7: Recursive variable 'self' references itself (eventually)\n"},
        Fatal{"too_deep", "$(deep,a)", "F:7: Too deep recursive expansion\n"},
        Fatal{"unterminated", "$(foo", "F:7: unterminated reference to 'foo': missing ')'\n"},
        Fatal{"info_two_args", "$(info,a,b)", "F:7: too many function arguments passed to 'info'\n"},
        Fatal{"shell_no_args", "$(shell)", "F:7: too few function arguments passed to 'shell'\n"},
        Fatal{"filename_one_arg", "$(filename,x)", "F:7: too many function arguments passed to 'filename'\n"},
        Fatal{"sixteen_args", "$(f,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16)",
              "F:7: too many function arguments\n"},
        Fatal{"error_if", "$(error-if,y,stop $(lineno))", "F:7: stop 7\n"}),
    [](const ::testing::TestParamInfo<Fatal>& p) { return std::string(p.param.name); });

TEST_F(PP, DeepNestingIsCapped) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "$(";
  deep += "x";
  for (int i = 0; i < 5000; ++i) deep += ")";
  EXPECT_THROW(x(deep), FatalError);
  EXPECT_EQ(msgs.text(Stream::err), "F:7: Too deep recursive expansion\n");
}

}  // namespace
}  // namespace kmeta::kconfig
