// `kmeta merge-config`: a drop-in for the kernel's
// scripts/kconfig/merge_config.sh (same options, same output file, same
// messages), on kmeta's merge (config/merge.h) and Kconfig engine.
//
//   kmeta merge-config [-h] [-m] [-n] [-r] [-y] [-s] [-Q] [-O DIR] BASE [FRAGMENT...]
//
// Run in the kernel source tree, like the script. The merge is done in
// memory; the seed is written to ./.tmp.config.XXXXXXXXXX as the script
// writes it, and `make KCONFIG_ALLCONFIG=<seed> [O=DIR] alldefconfig|allnoconfig`
// is `kmeta kconfig` in-process (the same environment derivation, probe and
// model caches, and conf's own messages). What make itself prints (entering
// directory, GEN Makefile, building conf) is not printed: no make runs.
// Environment as for the script: ARCH, CROSS_COMPILE, LLVM, KCONFIG_CONFIG;
// the probe cache is KMETA_PROBE_CACHE (or the default).
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "base/file_util.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/environment.h"
#include "config/fragment.h"
#include "config/merge.h"

namespace kmeta::cli {

namespace {

namespace fs = std::filesystem;

void usage(const std::string& prefix) {
  fmt::print(
      "Usage: kmeta merge-config [OPTIONS] [CONFIG [...]]\n"
      "  -h    display this help text\n"
      "  -m    only merge the fragments, do not execute the make command\n"
      "  -n    use allnoconfig instead of alldefconfig\n"
      "  -r    list redundant entries when merging fragments\n"
      "  -y    make builtin have precedence over modules\n"
      "  -O    dir to put generated output files.  Consider setting $KCONFIG_CONFIG instead.\n"
      "  -s    strict mode. Fail if the fragment redefines any value.\n"
      "  -Q    disable warning messages for overridden options.\n"
      "\n"
      "Used prefix: '{}'. You can redefine it with $CONFIG_ environment variable.\n",
      prefix);
}

// sh's `echo $2 | sed 's/\/*$//'`: trailing slashes removed.
std::string strip_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

bool readable(const std::string& p) { return ::access(p.c_str(), R_OK) == 0; }

}  // namespace

int cmd_merge_config(const Args& args) {
  bool runmake = true, warnredun = false, builtin = false, strict = false, quiet = false;
  std::string alltarget = "alldefconfig", output = ".";
  const char* prefix_env = std::getenv("CONFIG_");
  std::string prefix = prefix_env ? prefix_env : "CONFIG_";
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-n") {
      alltarget = "allnoconfig";
    } else if (a == "-m") {
      runmake = false;
    } else if (a == "-h") {
      usage(prefix);
      return kExitOk;
    } else if (a == "-r") {
      warnredun = true;
    } else if (a == "-y") {
      builtin = true;
    } else if (a == "-O") {
      std::string dir = i + 1 < args.size() ? args[i + 1] : "";
      if (dir.empty() || !fs::is_directory(dir)) {
        fmt::print(stderr, "output directory {} does not exist\n", dir);
        return kExitFailure;
      }
      output = strip_slashes(dir);
      ++i;
    } else if (a == "-s") {
      strict = true;
    } else if (a == "-Q") {
      quiet = true;
    } else {
      break;
    }
  }
  if (i >= args.size()) {
    usage(prefix);
    return kExitOk;
  }
  if (prefix != "CONFIG_") {
    fmt::print(stderr, "kmeta merge-config: only the CONFIG_ prefix is supported (CONFIG_={})\n", prefix);
    return kExitFailure;
  }
  std::string kconfig_config = env_or("KCONFIG_CONFIG");
  if (kconfig_config.empty()) {
    if (output != ".") {
      std::error_code ec;
      kconfig_config = fs::weakly_canonical(fs::absolute(output + "/.config"), ec).string();
    } else {
      kconfig_config = ".config";
    }
  }

  std::string initfile = args[i++];
  if (!readable(initfile)) {
    fmt::print(stderr, "The base file '{}' does not exist. Creating one...\n", initfile);
    std::string err;
    if (!fs::exists(initfile) && !write_file_atomic(initfile, "", &err))
      fmt::print(stderr, "touch: {}\n", err);
  }
  std::vector<std::string> merge_list(args.begin() + static_cast<long>(i), args.end());

  std::string err;
  std::vector<config::QueuedFragment> queue;
  auto add = [&](const std::string& name) -> bool {
    auto text = read_file(name, &err);
    if (!text) return false;
    config::QueuedFragment q;
    q.fragment = config::parse_fragment(name, std::move(*text));
    q.merge_name = name;
    q.queue_name = name;
    queue.push_back(std::move(q));
    return true;
  };
  if (!add(initfile)) {
    fmt::print(stderr, "cat: {}\n", err);
    return kExitFailure;
  }
  // The script stops at the first unreadable fragment, after "Merging" it.
  size_t missing = merge_list.size();
  for (size_t k = 0; k < merge_list.size(); ++k)
    if (!readable(merge_list[k]) || !add(merge_list[k])) {
      missing = k;
      break;
    }
  config::MergeOptions mo;
  mo.builtin = builtin;
  mo.warn_redundant = warnredun;
  mo.quiet = quiet;
  config::MergeResult merged = config::merge_fragments(queue, mo);
  std::fputs(merged.log.c_str(), stdout);
  if (missing < merge_list.size()) {
    fmt::print("Merging {}\n", merge_list[missing]);
    std::fflush(stdout);
    fmt::print(stderr, "The merge file '{}' does not exist.  Exit.\n", merge_list[missing]);
    return kExitFailure;
  }
  if (strict && merged.strict_violation) {
    std::fputs("The fragment redefined a value and strict mode had been passed.\n", stdout);
    return kExitFailure;
  }
  if (!runmake) {
    if (!write_file_atomic(kconfig_config, merged.seed, &err)) {
      fmt::print(stderr, "cp: {}\n", err);
      return kExitFailure;
    }
    fmt::print("#\n# merged configuration written to {} (needs make)\n#\n", kconfig_config);
    return kExitOk;
  }

  // The seed, where and as the script leaves it for make.
  char tmpl[] = "./.tmp.config.XXXXXXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) {
    fmt::print(stderr, "mktemp: cannot create ./.tmp.config.XXXXXXXXXX\n");
    return kExitFailure;
  }
  std::string tmp = tmpl;
  bool wrote =
      ::write(fd, merged.seed.data(), merged.seed.size()) == static_cast<ssize_t>(merged.seed.size());
  ::close(fd);
  if (!wrote) {
    ::unlink(tmp.c_str());
    fmt::print(stderr, "kmeta merge-config: cannot write {}\n", tmp);
    return kExitFailure;
  }
  std::fflush(stdout);
  std::error_code ec;
  std::string srctree = fs::current_path(ec).string();
  Args kargs = {"--kernel", srctree,
                "-O",       output == "." ? srctree : fs::absolute(output).string(),
                "--set",    "KCONFIG_ALLCONFIG=" + tmp,
                alltarget};
  cmd_kconfig(kargs);
  std::fflush(stdout);
  std::fflush(stderr);

  auto final_text = read_file(kconfig_config, &err);
  std::fputs(config::requested_not_in_final(merged.seed, final_text ? *final_text : std::string()).c_str(),
             stdout);
  ::unlink(tmp.c_str());
  return kExitOk;
}

}  // namespace kmeta::cli
