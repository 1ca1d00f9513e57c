// The log lines are those gcc 12 and GNU make 4.3 print for a kernel build
// (copied from real failing builds of 6.12).
#include "kbuild/log_errors.h"

#include <gtest/gtest.h>

namespace kmeta::kbuild {
namespace {

const char* kLog =
    "  CC      mm/filemap.o\n"
    "/src/linux/mm/oops.c: In function 'f':\n"
    "/src/linux/mm/oops.c:12:5: error: 'x' undeclared (first use in this function)\n"
    "   12 |     x = 1;\n"
    "      |     ^\n"
    "/src/linux/mm/oops.c:12:5: note: each undeclared identifier is reported only once\n"
    "/src/linux/include/linux/y.h:3:10: fatal error: z.h: No such file or directory\n"
    "make[4]: *** [/src/linux/scripts/Makefile.build:229: mm/oops.o] Error 1\n"
    "make[3]: *** [/src/linux/scripts/Makefile.build:478: mm] Error 2\n"
    "make[2]: *** [/src/linux/Makefile:1937: .] Error 2\n"
    "make: *** [Makefile:224: __sub-make] Error 2\n";

TEST(LogErrors, CompilerErrorsAreLocated) {
  LogErrors e = extract_errors(kLog);
  ASSERT_EQ(e.errors.items().size(), 2u);
  const Diagnostic& d = e.errors.items()[0];
  EXPECT_EQ(d.where.file.str(), "/src/linux/mm/oops.c");
  EXPECT_EQ(d.where.line, 12);
  EXPECT_EQ(d.where.column, 5);
  EXPECT_EQ(d.message, "'x' undeclared (first use in this function)");
  EXPECT_EQ(d.render(), "/src/linux/mm/oops.c:12:5: error: 'x' undeclared (first use in this function)");
  EXPECT_EQ(e.errors.items()[1].where.line, 3);
  EXPECT_EQ(e.errors.items()[1].message, "z.h: No such file or directory");
}

TEST(LogErrors, InnermostFailingTarget) {
  LogErrors e = extract_errors(kLog);
  EXPECT_EQ(e.failing_target, "mm/oops.o");
  EXPECT_EQ(e.failing_rule, "/src/linux/scripts/Makefile.build:229");
}

TEST(LogErrors, KbuildMessagesAndTail) {
  LogErrors e = extract_errors(
      "***\n"
      "*** The source tree is not clean, please run 'make ARCH=arm64 mrproper'\n"
      "*** in /src/linux\n"
      "***\n"
      "make[1]: *** [/src/linux/Makefile:647: outputmakefile] Error 1\n",
      2);
  ASSERT_EQ(e.kbuild_messages.size(), 2u);
  EXPECT_EQ(e.kbuild_messages[0], "The source tree is not clean, please run 'make ARCH=arm64 mrproper'");
  EXPECT_EQ(e.failing_target, "outputmakefile");
  ASSERT_EQ(e.tail.size(), 2u);
  EXPECT_EQ(e.tail[1], "make[1]: *** [/src/linux/Makefile:647: outputmakefile] Error 1");
  std::string r = render_errors(e, "BUILD/kmeta-build.log");
  EXPECT_NE(r.find("failing target: outputmakefile (rule at /src/linux/Makefile:647)"), std::string::npos)
      << r;
  EXPECT_NE(r.find("last 2 lines of BUILD/kmeta-build.log"), std::string::npos) << r;
}

TEST(LogErrors, LinkerAndDiskFull) {
  LogErrors e = extract_errors(
      "aarch64-linux-gnu-ld: mm/a.o: in function `f':\n"
      "a.c:(.text+0x8): undefined reference to `g'\n"
      "cc1: error: cannot open mm/.tmp: No space left on device\n"
      "make[3]: *** [scripts/Makefile.build:229: mm/a.o] Error 1\n");
  ASSERT_EQ(e.errors.items().size(), 2u);
  EXPECT_NE(e.errors.items()[0].message.find("undefined reference to `g'"), std::string::npos);
  EXPECT_FALSE(e.errors.items()[1].where.valid());  // "cc1: error:" names no file
  EXPECT_TRUE(e.disk_full);
}

TEST(LogErrors, CleanLogHasNothing) {
  LogErrors e = extract_errors("  CC      mm/a.o\n  LD      vmlinux\nmm/a.c:3:1: warning: unused\n");
  EXPECT_TRUE(e.errors.items().empty());
  EXPECT_TRUE(e.failing_target.empty());
}

}  // namespace
}  // namespace kmeta::kbuild
