#include "cli/cli.h"

#include <gtest/gtest.h>

#include <new>
#include <set>
#include <stdexcept>
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

// Issue 9 item 1: an exception escaping a command (nlohmann's type_error 316
// on bytes was one) aborted the process with SIGABRT. It is now a clear error
// and a failure status.
TEST(Cli, EscapedExceptionIsAClearErrorNotAnAbort) {
  const Command throws_logic{"demo", "a command that throws",
                             [](const Args&) -> int { throw std::runtime_error("type_error 316"); }};
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_guarded(throws_logic, {}), kExitFailure);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "kmeta: error: demo: internal error: type_error 316\n");
  const Command throws_oom{"demo", "out of memory", [](const Args&) -> int { throw std::bad_alloc(); }};
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_guarded(throws_oom, {}), kExitFailure);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "kmeta: error: demo: out of memory\n");
  const Command fine{"demo", "returns", [](const Args& a) -> int { return static_cast<int>(a.size()); }};
  EXPECT_EQ(run_guarded(fine, {"a", "b"}), 2);
}

}  // namespace
}  // namespace kmeta::cli
