#include "kconfig/shell_runner.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kmeta::kconfig {
namespace {

TEST(PopenShellRunner, ReturnsRawStdout) {
  PopenShellRunner sh;
  std::string out, err;
  ASSERT_TRUE(sh.run("printf 'a\\nb\\n\\n'; echo err >&2; exit 3", &out, &err));  // status ignored
  EXPECT_EQ(out, "a\nb\n\n");
}

TEST(PopenShellRunner, RunsInTheGivenDirectory) {
  std::string dir = std::filesystem::temp_directory_path().string();
  PopenShellRunner sh(dir);
  std::string out, err;
  ASSERT_TRUE(sh.run("pwd -P", &out, &err));
  EXPECT_EQ(out, std::filesystem::canonical(dir).string() + "\n");
  PopenShellRunner missing("/nonexistent/dir");
  ASSERT_TRUE(missing.run("echo ran", &out, &err));
  EXPECT_EQ(out, "");  // cd failed: the command did not run
}

TEST(PopenShellRunner, ReadsAtMostOneBuffer) {
  PopenShellRunner sh;
  std::string out, err;
  ASSERT_TRUE(sh.run("yes | head -c 100000", &out, &err));
  EXPECT_EQ(out.size(), 4096u);
}

}  // namespace
}  // namespace kmeta::kconfig
