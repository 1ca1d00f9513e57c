#include "kconfig/dialect.h"

#include <gtest/gtest.h>

#include <string>

#include "base/file_system.h"
#include "kconfig/parser.h"

namespace kmeta::kconfig {
namespace {

// The head of a kernel's top Makefile, as the releases write it.
std::string top_makefile(int patchlevel, int sublevel) {
  return "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = " + std::to_string(patchlevel) +
         "\nSUBLEVEL = " + std::to_string(sublevel) + "\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n";
}

TEST(Dialect, FromTheMakefileVersion) {
  EXPECT_EQ(dialect_from_makefile(top_makefile(1, 119)), Dialect::v6_1);
  EXPECT_EQ(dialect_from_makefile(top_makefile(6, 63)), Dialect::v6_1);
  EXPECT_EQ(dialect_from_makefile(top_makefile(10, 14)), Dialect::v6_1);
  EXPECT_EQ(dialect_from_makefile(top_makefile(11, 0)), Dialect::v6_12);
  EXPECT_EQ(dialect_from_makefile(top_makefile(12, 118)), Dialect::v6_12);
  // Outside what kmeta models: the nearest dialect.
  EXPECT_EQ(dialect_from_makefile("VERSION = 5\nPATCHLEVEL = 15\n"), Dialect::v6_1);
  EXPECT_EQ(dialect_from_makefile("VERSION = 7\nPATCHLEVEL = 0\n"), Dialect::v6_12);
  // No version: no answer; the callers decide (below).
  EXPECT_EQ(dialect_from_makefile(""), std::nullopt);
  EXPECT_EQ(dialect_from_makefile("VERSION = 6\n"), std::nullopt);
  EXPECT_EQ(dialect_from_makefile("VERSION = six\nPATCHLEVEL = 12\n"), std::nullopt);
}

// The boundary (6.10 / 6.11) and the spellings a Makefile may use: the
// license line before, blanks spanning lines (the scan keeps std::regex's \s),
// names that only begin or end like VERSION, no assignment at all.
TEST(Dialect, FromTheMakefileSpelling) {
  EXPECT_EQ(dialect_from_makefile("# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n"), Dialect::v6_12);
  EXPECT_EQ(dialect_from_makefile("VERSION = 6\nPATCHLEVEL = 11\n"), Dialect::v6_12);
  EXPECT_EQ(dialect_from_makefile("VERSION = 6\nPATCHLEVEL = 10\n"), Dialect::v6_1);
  EXPECT_EQ(dialect_from_makefile("all:\n"), std::nullopt);
  EXPECT_EQ(dialect_from_makefile("VERSION\n =\n 6\nPATCHLEVEL=12\n"), Dialect::v6_12);
  EXPECT_EQ(dialect_from_makefile("XVERSION = 9\nVERSIONS = 9\nVERSION = 6\nPATCHLEVEL = 1\n"),
            Dialect::v6_1);
}

// Hostile top Makefiles: a number past int (std::stoi threw: abort) and a
// megabyte of blanks (std::regex recursed per character: stack overflow).
TEST(Dialect, FromAHostileMakefile) {
  EXPECT_EQ(dialect_from_makefile("VERSION = 99999999999999999999999\nPATCHLEVEL = 0\n"), Dialect::v6_12);
  std::string blanks =
      "VERSION" + std::string(1 << 20, ' ') + "= 6\nPATCHLEVEL =" + std::string(1 << 20, '\t') + "1\n";
  EXPECT_EQ(dialect_from_makefile(blanks), Dialect::v6_1);
}

// A parse decides from $srctree/Makefile; a Kconfig file with no Makefile
// (or none with a version) beside it is read with the current lkc's rules.
TEST(Dialect, ParseUsesTheRuleAndDefaultsToTheCurrentLkc) {
  const char* kconfig = "config A\n\tbool \"a\"\n";
  for (auto [makefile, want] :
       {std::pair<const char*, Dialect>{"VERSION = 6\nPATCHLEVEL = 1\n", Dialect::v6_1},
        {"VERSION = 6\nPATCHLEVEL = 6\n", Dialect::v6_1},
        {"VERSION = 6\nPATCHLEVEL = 11\n", Dialect::v6_12},
        {"VERSION = 6\nPATCHLEVEL = 12\n", Dialect::v6_12},
        {nullptr, kDialectWithoutVersion},
        {"all:\n", kDialectWithoutVersion}}) {
    SCOPED_TRACE(makefile ? makefile : "(no Makefile)");
    MemoryFileSystem src;
    if (makefile) src.add_file("/src/Makefile", makefile);
    src.add_file("/src/Kconfig", kconfig);
    ParseOptions o;
    o.files = &src;
    o.cwd = "/";
    o.srctree = "/src";
    Messages msgs;
    auto m = parse_kconfig("Kconfig", o, msgs);
    ASSERT_TRUE(m) << msgs.text(Stream::err);
    EXPECT_EQ(m->dialect, want);
  }
  EXPECT_EQ(kDialectWithoutVersion, Dialect::v6_12);
}

}  // namespace
}  // namespace kmeta::kconfig
