// kmeta features: the resolved feature tree of a BSP (which file included
// which, and the fragments and patches each brings), found the way Yocto finds
// it: spp --find over the caches, then KERNEL_FEATURES appended after the BSP
// with kernel-yocto.bbclass's dangling-feature check.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/diagnostic_render.h"
#include "base/json_bytes.h"
#include "cli/commands.h"
#include "scc/cmdline.h"
#include "scc/compiler.h"
#include "scc/features.h"
#include "scc/find.h"

namespace kmeta::cli {

namespace {

constexpr const char* kUsage = R"(
usage: kmeta features --cache DIR [--cache DIR...] --machine M --type T [--feature F...]
                      [-D NAME=VAL] [--dangling-warn-only] [--all] [--json]

  Finds the BSP definition of M/T in the caches (as spp --find does), appends
  the features (KERNEL_FEATURES; each must exist below a cache, else an error,
  or a warning with --dangling-warn-only), compiles them and prints the tree.

  --cache DIR     a kernel cache or kernel-meta directory (an -I directory)
  --machine M     KMACHINE
  --type T        KTYPE (LINUX_KERNEL_TYPE), default: standard
  --feature F     a KERNEL_FEATURES entry (repeatable)
  --all           also show files included in conditional branches not taken
  --json          the tree as JSON

)";

}  // namespace

int cmd_features(const Args& args) {
  std::vector<std::string> caches, features;
  std::vector<std::pair<std::string, std::string>> defines;
  std::string machine, type = "standard";
  bool json = false, warn_only = false, all = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) {
        fmt::print(stderr, "kmeta features: {} needs a value\n", s);
        return false;
      }
      *out = args[++i];
      return true;
    };
    std::string v;
    if (s == "-h" || s == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (s == "--cache") {
      if (!value(&v)) return kExitUsage;
      caches.push_back(v);
    } else if (s == "--machine") {
      if (!value(&machine)) return kExitUsage;
    } else if (s == "--type") {
      if (!value(&type)) return kExitUsage;
    } else if (s == "--feature") {
      if (!value(&v)) return kExitUsage;
      features.push_back(v);
    } else if (s == "-D") {
      if (!value(&v)) return kExitUsage;
      std::pair<std::string, std::string> d;
      std::string err;
      if (!scc::parse_define(v, &d, &err)) {
        fmt::print(stderr, "kmeta features: {}\n", err);
        return kExitUsage;
      }
      defines.push_back(d);
    } else if (s == "--dangling-warn-only") {
      warn_only = true;
    } else if (s == "--json") {
      json = true;
    } else if (s == "--all") {
      all = true;
    } else {
      fmt::print(stderr, "kmeta features: unknown option '{}'\n{}", s, kUsage);
      return kExitUsage;
    }
  }
  if (caches.empty() || machine.empty()) {
    fmt::print(stderr, "kmeta features: --cache and --machine are required\n{}", kUsage);
    return kExitUsage;
  }
  char buf[4096];
  std::string cwd = ::getcwd(buf, sizeof buf) ? buf : "/";
  scc::Collation coll =
      scc::collation_for_locale(std::getenv("LC_ALL"), std::getenv("LC_COLLATE"), std::getenv("LANG"));
  scc::DiskFileSystem fs;

  scc::FindOptions fo;
  fo.cwd = cwd;
  fo.include_args = caches;
  fo.kmachine = machine;
  fo.ktype = type;
  fo.collation = coll;
  scc::FindResult found = scc::find_bsp(fs, fo);
  if (!found.error.empty()) {
    fmt::print(stderr, "kmeta features: {}\n", found.error);
    return kExitFailure;
  }
  if (!found.found) {
    fmt::print(stderr, "kmeta features: could not locate a BSP definition for {}/{} in the caches\n", machine,
               type);
    return kExitFailure;
  }

  Diagnostics fd;
  std::vector<std::string> kept = scc::check_kernel_features(features, caches, warn_only, fs, cwd, fd);
  std::fputs(render_with_source(fd, fs).c_str(), stderr);
  if (fd.has_errors()) return kExitFailure;

  std::vector<std::string> inputs{found.path};
  inputs.insert(inputs.end(), kept.begin(), kept.end());
  scc::CompileOptions co;
  co.cwd = cwd;
  co.include_args = caches;
  co.defines = defines;
  co.collation = coll;
  scc::Compiler compiler(fs);
  scc::CompileResult r = compiler.compile(inputs, co);
  std::fputs(render_with_source(r.diags, fs).c_str(), stderr);
  if (!r.ok()) return kExitFailure;

  scc::FeatureTree tree = scc::build_feature_tree(r.series, all);
  if (json) {
    nlohmann::json j = scc::feature_tree_json(tree);
    j["bsp_definition"] = found.path;
    j["kernel_features"] = kept;
    fmt::print("{}\n", json_dump(j, 1));
  } else {
    fmt::print("# BSP definition: {}\n", found.path);
    if (!kept.empty()) {
      std::string k;
      for (const auto& f : kept) k += " " + f;
      fmt::print("# KERNEL_FEATURES:{}\n", k);
    }
    std::fputs(scc::print_feature_tree(tree).c_str(), stdout);
  }
  return kExitOk;
}

}  // namespace kmeta::cli
