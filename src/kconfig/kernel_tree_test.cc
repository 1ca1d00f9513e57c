// Parses the real kernel trees (6.1 and 6.12, x86 and arm64) the way
// `make ARCH=<arch> olddefconfig` would, with $(shell) really run: zero
// errors and no warnings, like lkc on these trees (bench/bench_kconfig.cc
// times the same parse). Skipped (never silently
// passed) when the kernel sources are not provisioned.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "kconfig/parser.h"

namespace kmeta::kconfig {
namespace {

std::string kernels_dir() {
  if (const char* k = std::getenv("KMETA_KERNELS")) return k;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.cache/kmeta/kernels";
}

ParseOptions kernel_options(const std::string& srctree, const std::string& arch, const std::string& version) {
  ParseOptions o;
  o.srctree = srctree;
  o.env = {{"srctree", srctree}, {"ARCH", arch},        {"SRCARCH", arch}, {"KERNELVERSION", version},
           {"CC", "gcc"},        {"LD", "ld"},          {"HOSTCC", "gcc"}, {"HOSTCXX", "g++"},
           {"RUSTC", "rustc"},   {"BINDGEN", "bindgen"}};
  return o;
}

struct Tree {
  const char* version;
  const char* arch;
};
void PrintTo(const Tree& t, std::ostream* os) { *os << "linux-" << t.version << " " << t.arch; }

class KernelTree : public ::testing::TestWithParam<Tree> {};

TEST_P(KernelTree, ParsesWithoutErrors) {
  Tree t = GetParam();
  std::string src = kernels_dir() + "/linux-" + t.version;
  if (!std::filesystem::exists(src + "/Kconfig")) GTEST_SKIP() << "kernel sources not provisioned at " << src;
  PopenShellRunner shell;
  ParseOptions o = kernel_options(src, t.arch, std::string(t.version) + ".0");
  o.shell = &shell;
  Messages msgs;
  auto model = parse_kconfig("Kconfig", o, msgs);
  ASSERT_TRUE(model) << msgs.text(Stream::err);
  EXPECT_EQ(msgs.text(Stream::err), "");
  EXPECT_EQ(msgs.text(Stream::out), "");
  EXPECT_EQ(model->dialect, std::string(t.version) == "6.1" ? Dialect::v6_1 : Dialect::v6_12);
  EXPECT_GT(model->symbol_count(), 5000u);
  EXPECT_NE(model->find("MODULES"), kNone);
  EXPECT_EQ(model->modules_sym, model->find("MODULES"));
  EXPECT_EQ(model->mainmenu, std::string("Linux/") + t.arch + " " + t.version + ".0 Kernel Configuration");
}

INSTANTIATE_TEST_SUITE_P(Trees, KernelTree,
                         ::testing::Values(Tree{"6.12", "x86"}, Tree{"6.12", "arm64"}, Tree{"6.1", "x86"},
                                           Tree{"6.1", "arm64"}),
                         [](const auto& info) {
                           std::string n = std::string(info.param.version) + "_" + info.param.arch;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace kmeta::kconfig
