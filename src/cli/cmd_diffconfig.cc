// `kmeta diffconfig [-m] [A B]`: a drop-in for the kernel's scripts/diffconfig
// (uprev/diffconfig.h). The diff (plain and -m) is byte-identical; without
// file names it compares $KBUILD_OUTPUT/.config.old with .config as the
// script does. Differences, on purpose: the help and the error messages are
// kmeta's own and go to stderr, with exit 2 (usage) or 1 (unreadable file),
// where the script prints its usage to stdout and exits 0.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "base/file_util.h"
#include "cli/commands.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "uprev/diffconfig.h"

namespace kmeta::cli {

namespace {

const char* const kUsage =
    "usage: kmeta diffconfig [-h] [-m] [OLD NEW]\n"
    "\n"
    "Compare two .config files by value, as the kernel's scripts/diffconfig does: the\n"
    "options only OLD has (\"-NAME value\"), those whose value changed (\" NAME old -> new\")\n"
    "and those only NEW has (\"+NAME value\"), each group sorted by name.\n"
    "\n"
    "  -m   print NEW's changed and added values as .config lines (a fragment)\n"
    "\n"
    "Without file names: $KBUILD_OUTPUT/.config.old and $KBUILD_OUTPUT/.config\n"
    "(./.config.old and ./.config when KBUILD_OUTPUT is not set).\n";

}  // namespace

int cmd_diffconfig(const Args& args_in) {
  Args args = args_in;
  if (std::find(args.begin(), args.end(), "-h") != args.end() ||
      std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  bool merge = false;
  // The script removes the first "-m" only; a second one is a file name.
  if (auto it = std::find(args.begin(), args.end(), "-m"); it != args.end()) {
    merge = true;
    args.erase(it);
  }
  std::string a, b;
  if (args.empty()) {
    std::string dir = env_or("KBUILD_OUTPUT");
    std::string prefix = getenv("KBUILD_OUTPUT") ? dir + "/" : "";
    a = prefix + ".config.old";
    b = prefix + ".config";
  } else if (args.size() == 2) {
    a = args[0];
    b = args[1];
  } else {
    fmt::print(stderr, "kmeta diffconfig: give two .config files, or none\n{}", kUsage);
    return kExitUsage;
  }
  uprev::ConfigValues va, vb;
  for (auto [path, values] : {std::pair{&a, &va}, std::pair{&b, &vb}}) {
    std::string err;
    auto text = read_file(*path, &err);
    if (!text) {
      fmt::print(stderr, "kmeta diffconfig: {}\n", err);
      return kExitFailure;
    }
    Diagnostics diags;
    if (!uprev::read_values(*text, *path, values, &diags)) {
      print_errors("kmeta diffconfig", diags);  // "FILE:N: error: ..."
      return kExitFailure;
    }
  }
  std::fputs(uprev::render_diffconfig(uprev::diff_values(va, vb), merge).c_str(), stdout);
  return kExitOk;
}

}  // namespace kmeta::cli
