#include "kbuild/process.h"

#include <gtest/gtest.h>

#include <csignal>

namespace kmeta::kbuild {
namespace {

const std::map<std::string, std::string> kEnv = {{"PATH", "/usr/bin:/bin"}, {"ONLY", "this"}};

TEST(Process, LinesAndExitCode) {
  std::vector<std::string> lines;
  ProcessResult r = run_process({"sh", "-c", "echo one; echo two >&2; printf three; exit 3"}, kEnv,
                                [&](const std::string& l) { lines.push_back(l); });
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "one");
  EXPECT_EQ(lines[1], "two");
  EXPECT_EQ(lines[2], "three");
}

TEST(Process, ExactEnvironmentAndNoStdin) {
  std::string out;
  ProcessResult r = run_capture({"sh", "-c", "echo \"$ONLY\" \"${HOME:-unset}\"; cat"}, kEnv, &out);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(out, "this unset\n");
}

TEST(Process, Signal) {
  std::string out;
  ProcessResult r = run_capture({"sh", "-c", "kill -TERM $$"}, kEnv, &out);
  EXPECT_EQ(r.signal, SIGTERM);
}

TEST(Process, MissingProgram) {
  std::string out;
  ProcessResult r = run_capture({"no-such-program-kmeta"}, kEnv, &out);
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.error.find("not found in PATH"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::kbuild
