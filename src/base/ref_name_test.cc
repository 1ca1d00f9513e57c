#include "base/ref_name.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace kmeta {
namespace {

// 1 when `git check-ref-format --branch NAME` accepts NAME, 0 when it
// refuses it, -1 when git could not be run. Run outside any repository
// (GIT_CEILING_DIRECTORIES), so @{-N} cannot be looked up.
int git_accepts(const std::string& dir, const std::string& name) {
  std::string script =
      "cd \"$0\" && GIT_CEILING_DIRECTORIES=\"$0\" exec git check-ref-format --branch \"$1\"";
  std::vector<const char*> argv = {"sh", "-c", script.c_str(), dir.c_str(), name.c_str(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, "sh", &fa, nullptr, const_cast<char* const*>(argv.data()), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int st = 0;
  if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) return -1;
  if (WEXITSTATUS(st) == 127) return -1;
  return WEXITSTATUS(st) == 0 ? 1 : 0;
}

std::vector<std::string> tricky_names() {
  std::vector<std::string> names = {
      "standard/base",
      "ktypes/preempt-rt",
      "x;touch${IFS}FILE",
      "a..b",
      "a.lock",
      "a.lock/b",
      "a/.b",
      ".a",
      "a.",
      "a/",
      "/a",
      "a//b",
      "@",
      "a/@",
      "@{-1}",
      "a@{b",
      "HEAD",
      "x/HEAD",
      "-x",
      "-",
      "a b",
      "a\tb",
      "a\x7f",
      "caf\xe9",
      "a{b}",
      "a'b",
      "lock",
      ".lock",
      "a/.lock",
      "a.loc",
      "a.lock.b",
      "a~1",
      "a^",
      "a:b",
      "a?",
      "a*",
      "a[b",
      "a\\b",
      "a/./b",
      "a/../b",
      "..",
      ".",
      "a/b.",
      "$(id)",
      "`id`",
      "a|b",
      "a&b",
  };
  // Deterministic combinations of pieces around the rules' edges.
  const std::vector<std::string> pieces = {
      "a",    "Z9", ".", "..", "/",  "@", "{", "}", "-", "lock", ".lock", " ", "~", "HEAD", "\xe9", "\x7f",
      "\x01", ":",  "*", "[",  "\\", "?", "^", ";", "$", "'",    "_",     "+", "=", "%",    ","};
  uint32_t x = 12345;
  auto next = [&] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < 600; ++i) {
    std::string n;
    int k = 1 + next() % 4;
    for (int j = 0; j < k; ++j) n += pieces[next() % pieces.size()];
    names.push_back(n);
  }
  return names;
}

TEST(RefName, MatchesGitCheckRefFormatBranch) {
  namespace fs = std::filesystem;
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/kmeta-refname.XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  if (git_accepts(tmpl, "a") != 1) {
    fs::remove_all(tmpl);
    GTEST_FAIL() << "git check-ref-format could not be run (git is installed by scripts/setup.sh)";
  }
  int valid = 0, checked = 0;
  for (const auto& n : tricky_names()) {
    int g = git_accepts(tmpl, n);
    ASSERT_GE(g, 0) << n;
    std::string p = branch_name_problem(n);
    EXPECT_EQ(g == 1, p.empty()) << "name '" << n << "': git " << (g ? "accepts" : "refuses")
                                 << ", kmeta: " << p;
    valid += g;
    ++checked;
  }
  fs::remove_all(tmpl);
  EXPECT_GT(valid, 60);  // the generated list exercises both sides
  EXPECT_GT(checked - valid, 60);
  RecordProperty("valid", valid);
  RecordProperty("checked", checked);
}

TEST(RefName, ProblemsAreNamed) {
  EXPECT_EQ(branch_name_problem("standard/base"), "");
  EXPECT_EQ(branch_name_problem("a..b"), "contains '..'");
  EXPECT_EQ(branch_name_problem("a b"), "contains ' '");
  EXPECT_EQ(branch_name_problem("a/b.lock"), "has a component ending in '.lock' ('b.lock')");
}

TEST(RefName, ShellSafeWord) {
  EXPECT_TRUE(shell_safe_word("standard/preempt-rt/base"));
  EXPECT_TRUE(shell_safe_word("a,b=c@d%e+f_g.h"));
  EXPECT_FALSE(shell_safe_word(""));
  for (std::string bad : {"x;touch${IFS}FILE",
                          "a b",
                          "$(id)",
                          "`id`",
                          "a'b",
                          "a\"b",
                          "a|b",
                          "a&b",
                          "a>b",
                          "a<b",
                          "a(b",
                          "{a,b}",
                          "~a",
                          "#a",
                          "a*",
                          "a?",
                          "a[b]",
                          "a\\b",
                          "a\nb",
                          "a!b"})
    EXPECT_FALSE(shell_safe_word(bad)) << bad;
}

}  // namespace
}  // namespace kmeta
