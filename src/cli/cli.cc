#include "cli/cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

#include "base/strings.h"
#include "cli/commands.h"

namespace kmeta::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"config", "BSP -> merged fragments -> .config, with the audit (do_kernel_configme + configcheck)",
       cmd_config},
      {"audit", "audit an existing .config against the fragments that asked for it", cmd_audit},
      {"why", "explain one symbol's value: where it came from and what it depends on", cmd_why},
      {"features", "print the resolved feature tree of a BSP", cmd_features},
      {"scc", "compile .scc features (drop-in for yocto-kernel-tools' scc)", cmd_scc},
      {"spp", "locate a BSP definition (drop-in for spp --find)", cmd_spp},
      {"kconfig", "Kconfig porcelain: resolve a kernel tree's configuration, show symbols", cmd_kconfig},
      {"conf", "drop-in for the kernel's scripts/kconfig/conf", cmd_conf},
      {"symbol-why", "drop-in for yocto-kernel-tools' symbol_why.py", cmd_symbol_why},
      {"bundle",
       "boot artifacts from a built kernel: module subset cpio, initramfs, rootfs injection, deploy folder",
       cmd_bundle},
      {"build", "build the configured kernel (kbuild, O= dir, cross, staged modules, build.json)", cmd_build},
      {"tree", "apply a .kernel-meta patch series to a git kernel tree, one commit per patch (do_patch)",
       cmd_tree},
      {"kgit-s2q", "drop-in for yocto-kernel-tools' kgit-s2q (kmeta tree with the script's command line)",
       cmd_kgit_s2q},
      {"uprev", "one BSP on an OLD and a NEW kernel: regressions, vanished symbols, fixes, config diff",
       cmd_uprev},
      {"diffconfig", "drop-in for the kernel's scripts/diffconfig", cmd_diffconfig},
      {"matrix", "configure and audit every BSP of kernel caches at once (matrix.json, matrix.html)",
       cmd_matrix},
      {"merge-config", "drop-in for the kernel's scripts/kconfig/merge_config.sh", cmd_merge_config},
  };
  return table;
}

static void print_help(std::FILE* f) {
  std::fputs(
      "kmeta: compile Yocto kernel metadata, resolve Kconfig, audit the result.\n\n"
      "usage: kmeta <command> [options...]\n"
      "       kmeta <command> --help\n\n"
      "commands:\n",
      f);
  for (const Command& c : commands()) fmt::print(f, "  {:<11} {}\n", c.name, c.summary);
  std::fputs("\noptions:\n  -h, --help     this help\n  --version      print the version\n", f);
}

int run_guarded(const Command& c, const Args& args) {
  try {
    return c.run(args);
  } catch (const std::bad_alloc&) {
    std::fflush(stdout);
    fmt::print(stderr, "kmeta: error: {}: out of memory\n", c.name);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "kmeta: error: {}: internal error: {}\n", c.name, e.what());
  } catch (...) {
    std::fflush(stdout);
    fmt::print(stderr, "kmeta: error: {}: internal error (unknown exception)\n", c.name);
  }
  return kExitFailure;
}

int main(int argc, char** argv, const char* version) {
  if (argc < 2) {
    print_help(stderr);
    return kExitUsage;
  }
  std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    print_help(stdout);
    return kExitOk;
  }
  if (name == "--version" || name == "version") {
    fmt::print("kmeta {}\n", version);
    return kExitOk;
  }
  Args args(argv + 2, argv + argc);
  for (const Command& c : commands())
    if (name == c.name) return run_guarded(c, args);

  std::vector<std::string> names;
  for (const Command& c : commands()) names.emplace_back(c.name);
  std::string guess = suggest(name, names);
  if (!guess.empty())
    fmt::print(stderr, "kmeta: unknown command '{}', did you mean '{}'?\n", name, guess);
  else
    fmt::print(stderr, "kmeta: unknown command '{}' (see 'kmeta --help')\n", name);
  return kExitUsage;
}

}  // namespace kmeta::cli
