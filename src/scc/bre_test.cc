#include "scc/bre.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "scc/find.h"

extern char** environ;

namespace kmeta::scc {
namespace {

bool matches(std::string_view pattern, std::string_view line) {
  std::string err;
  auto re = Bre::compile(pattern, &err);
  EXPECT_TRUE(re.has_value()) << pattern << ": " << err;
  return re && re->search(line);
}

std::string compile_error(std::string_view pattern) {
  std::string err;
  auto re = Bre::compile(pattern, &err);
  return re ? std::string("(compiled)") : err;
}

TEST(Bre, Basics) {
  EXPECT_TRUE(matches("qemux.6", "define KMACHINE qemuxX6"));
  EXPECT_TRUE(matches("^a*b$", "aaab"));
  EXPECT_FALSE(matches("^a*b$", "aaabc"));
  EXPECT_TRUE(matches("m[0-9]", "m1"));
  EXPECT_TRUE(matches("\\(ab\\)\\{2\\}", "xababx"));
  EXPECT_FALSE(matches("^\\(ab\\)\\{3\\}", "abab"));
  EXPECT_TRUE(matches("a\\|b", "b"));
  EXPECT_TRUE(matches("*a", "*a"));    // '*' first is literal
  EXPECT_FALSE(matches("^*a", "a"));   // also right after a leading '^'
  EXPECT_TRUE(matches("a$b", "a$b"));  // '$' inside is literal
  EXPECT_TRUE(matches("\\<ab\\>", "x ab y"));
  EXPECT_FALSE(matches("\\<ab\\>", "xab y"));
  EXPECT_TRUE(matches("[[:space:]]*$", ""));
  EXPECT_TRUE(matches("[]a]", "]"));
  EXPECT_TRUE(matches("a\\q", "aq"));  // grep's stray backslash: the character itself
}

TEST(Bre, GrepsErrors) {
  EXPECT_EQ(compile_error("\\("), "Unmatched ( or \\(");
  EXPECT_EQ(compile_error("a\\)"), "Unmatched ) or \\)");
  EXPECT_EQ(compile_error("[a"), "Unmatched [, [^, [:, [., or [=");
  EXPECT_EQ(compile_error("a\\{1"), "Unmatched \\{");
  EXPECT_EQ(compile_error("a\\{3,1\\}"), "Invalid content of \\{\\}");
  EXPECT_EQ(compile_error("[z-a]"), "Invalid range end");
  EXPECT_EQ(compile_error("[[:foo:]]"), "Invalid character class name");
  EXPECT_EQ(compile_error("ab\\"), "Trailing backslash");
  EXPECT_NE(compile_error("\\(a\\)\\1").find("back-reference"), std::string::npos);
}

// The two inputs that took the std::regex matcher down: 20,000 nested groups
// (a stack overflow) and a pattern that backtracks exponentially on a short
// line. Both end quickly (the ctest timeout is the bound on time): the first
// with an error naming the nesting bound, the second with grep's answer.
TEST(Bre, HostilePatternsAreBounded) {
  std::string nested;
  for (int i = 0; i < 20000; ++i) nested += "\\(";
  nested += "a";
  for (int i = 0; i < 20000; ++i) nested += "\\)";
  EXPECT_NE(compile_error(define_pattern(nested)).find("limit is 4096"), std::string::npos);
  BreLimits wide;
  wide.max_pattern = 1 << 20;
  std::string err;
  EXPECT_FALSE(Bre::compile(define_pattern(nested), &err, wide));
  EXPECT_EQ(err, "groups and repetitions nest deeper than 100");

  std::string line = "define KMACHINE " + std::string(40, 'a');
  EXPECT_FALSE(define_line_matches(line, "\\(a*\\)*\\(a*\\)*\\(a*\\)*b"));
  EXPECT_FALSE(define_line_matches(line, "\\(\\(a\\|aa\\)*\\)*c"));
  EXPECT_TRUE(define_line_matches(line, "\\(\\(a\\|aa\\)*\\)*"));
  EXPECT_NE(compile_error("\\(a\\{1000\\}\\)\\{1000\\}").find("pattern too big"), std::string::npos);
  std::string stars(3000, '*');
  EXPECT_NE(compile_error("a" + stars).find("nest deeper"), std::string::npos);
}

// ---- differential: the matcher against GNU grep itself (LC_ALL=C)

// Runs `grep -n -e PATTERN FILE`; returns its exit status (0 match, 1 none,
// 2 error) and the numbers of the matching lines.
int grep_lines(const std::string& pattern, const std::string& file, std::set<int>* lines) {
  int fd[2];
  if (pipe(fd) != 0) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
  posix_spawn_file_actions_addclose(&fa, fd[0]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  const char* script = "LC_ALL=C exec grep -n -e \"$0\" -- \"$1\"";
  std::vector<const char*> argv = {"sh", "-c", script, pattern.c_str(), file.c_str(), nullptr};
  pid_t pid;
  int rc = posix_spawnp(&pid, "sh", &fa, nullptr, const_cast<char* const*>(argv.data()), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fd[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd[0]);
  if (rc != 0) return -1;
  int st = 0;
  if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) return -1;
  size_t pos = 0;
  while (pos < out.size()) {
    lines->insert(std::atoi(out.c_str() + pos));
    size_t e = out.find('\n', pos);
    if (e == std::string::npos) break;
    pos = e + 1;
  }
  return WEXITSTATUS(st);
}

TEST(Bre, AgreesWithGrep) {
  const std::vector<std::string> lines = {
      "define KMACHINE qemux86-64",
      "define KTYPE standard",
      "  define KMACHINE  xilinx-zynq  ",
      "define KMACHINE a",
      "define",
      "defineab",
      "define KMACHINE {2}",
      "define x ab ba abab",
      "define KMACHINE *a+b?c",
      "define x a.b a$b a^b",
      "define KMACHINE ]",
      "define KMACHINE [b]",
      "define x 1 22 333",
      "define x foo_bar baz",
      "define x a\tb",
      "define KMACHINE aaaaaaaaaaaaaaaaaaaaab",
      "kconf hardware a.cfg",
      "\tdefine KMACHINE b",
      "define x -",
      "define x \\",
      "define x a|b (a)",
      "define x {1,2}",
      "define x `a'",
      "define x aB9_",
      "define x \x01\x7f\xe9",
  };
  const std::vector<std::string> tokens = {
      "a",       "b",       "x",       ".",         "*",           "\\(",
      "\\)",     "\\|",     "\\{1\\}", "\\{0,2\\}", "\\{2,\\}",    "\\{,1\\}",
      "\\+",     "\\?",     "[ab]",    "[^a]",      "[[:digit:]]", "[a-c]",
      "[]a]",    "^",       "$",       "\\<",       "\\>",         "\\b",
      "\\B",     "\\w",     "\\W",     "\\s",       "\\S",         "\\.",
      "\\*",     "[",       "]",       "\\{",       "\\}",         "-",
      "1",       " ",       "\\`",     "\\'",       "{",           "[[:alpha:]-]",
      "[[.a.]]", "[[=b=]]", "\\$",     "\\^",       "a*",          "\\(a\\|b\\)*",
  };
  namespace fs = std::filesystem;
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/kmeta-bre.XXXXXX";
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  std::string file = dir + "/lines";
  {
    std::ofstream f(file, std::ios::binary);
    for (const auto& l : lines) f << l << '\n';
  }
  std::vector<std::string> patterns = {"qemux86-64", "standard", "zynq", "a*b",
                                       "m[0-9]",     "[bad",     "\\(",  "qemux.6"};
  uint32_t x = 2026;
  auto next = [&] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < 700; ++i) {
    std::string v;
    int k = 1 + next() % 5;
    for (int j = 0; j < k; ++j) v += tokens[next() % tokens.size()];
    patterns.push_back(v);
  }
  int compared = 0, refused = 0, unsupported = 0;
  for (const auto& v : patterns) {
    std::string pattern = define_pattern(v);
    std::set<int> want;
    int g = grep_lines(pattern, file, &want);
    ASSERT_GE(g, 0) << "grep could not be run";
    std::string err;
    auto re = Bre::compile(pattern, &err);
    if (!re) {
      if (err.find("back-reference") != std::string::npos) {
        ++unsupported;
        continue;
      }
      EXPECT_EQ(g, 2) << "kmeta refuses /" << pattern << "/ (" << err << "), grep takes it";
      ++refused;
      continue;
    }
    ASSERT_NE(g, 2) << "grep refuses /" << pattern << "/, kmeta takes it";
    std::set<int> got;
    for (size_t i = 0; i < lines.size(); ++i)
      if (re->search(lines[i])) got.insert(static_cast<int>(i + 1));
    EXPECT_EQ(got, want) << "pattern /" << pattern << "/";
    ++compared;
  }
  fs::remove_all(dir);
  EXPECT_GT(compared, 400);
  EXPECT_GT(refused, 20);
  RecordProperty("compared", compared);
  RecordProperty("refused", refused);
  RecordProperty("unsupported", unsupported);
}

}  // namespace
}  // namespace kmeta::scc
