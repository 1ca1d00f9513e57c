#include "cli/cli.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kmeta::cli {
namespace {

TEST(Cli, CommandNamesAreUniqueAndDocumented) {
  std::set<std::string> seen;
  for (const Command& c : commands()) {
    EXPECT_TRUE(seen.insert(c.name).second) << c.name;
    EXPECT_GT(std::string(c.summary).size(), 10u) << c.name;
    EXPECT_NE(c.run, nullptr);
  }
}

TEST(Cli, UnknownCommandIsAUsageError) {
  const char* argv[] = {"kmeta", "confgi"};
  testing::internal::CaptureStderr();
  int rc = main(2, const_cast<char**>(argv), "test");
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, kExitUsage);
  EXPECT_NE(err.find("did you mean 'config'"), std::string::npos) << err;
}

TEST(Cli, VersionAndHelp) {
  const char* v[] = {"kmeta", "--version"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(main(2, const_cast<char**>(v), "9.9.9"), kExitOk);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "kmeta 9.9.9\n");
  const char* h[] = {"kmeta", "--help"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(main(2, const_cast<char**>(h), "x"), kExitOk);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("symbol-why"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::cli
