// `kmeta uprev`: the same BSP (and a team's own layer) resolved on an OLD and
// a NEW kernel, and what changes and why, before anything is built.
//
//   kmeta uprev --from-kernel OLD --to-kernel NEW [--from-cache DIR...]
//               [--to-cache DIR...] [--cache DIR...] --machine M [--type T]
//               --arch A [--feature F...] [--fragment F.cfg...]
//               [--require F.cfg...] -o DIR [--json] [--all]
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/json_bytes.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "uprev/report.h"
#include "uprev/uprev.h"

namespace kmeta::cli {

namespace {

std::string label(const std::string& kernel, const std::vector<std::string>& caches) {
  std::string out = std::filesystem::path(kernel).lexically_normal().filename().string();
  if (out.empty()) out = std::filesystem::path(kernel).lexically_normal().parent_path().filename().string();
  std::string list;
  for (const auto& c : caches) {
    std::filesystem::path p = std::filesystem::path(c).lexically_normal();
    std::string n = p.filename().empty() ? p.parent_path().filename().string() : p.filename().string();
    list += (list.empty() ? "" : ", ") + n;
  }
  return list.empty() ? out : fmt::format("{} [{}]", out, list);
}

}  // namespace

int cmd_uprev(const Args& args) {
  CLI::App app{
      "Resolve one BSP on an OLD and a NEW kernel exactly as `kmeta config` does, and report per\n"
      "requested symbol what regressed (with NEW's why and a verified fix), what vanished (with\n"
      "checked rename candidates), what is newly unknown / satisfied / changed; check --require\n"
      "fragments on NEW (exit 1 when one does not hold); diff and explain the two .configs.\n"
      "Writes DIR/uprev.txt, DIR/uprev.json, DIR/old.config, DIR/new.config.",
      "kmeta uprev"};
  ConfigOptions common;
  std::string from_kernel, to_kernel, output;
  std::vector<std::string> from_caches, to_caches, require_files;
  bool all = false, all_vanished = false, no_rename_check = false;
  app.add_option("--from-kernel", from_kernel, "OLD kernel source tree")->required();
  app.add_option("--to-kernel", to_kernel, "NEW kernel source tree")->required();
  app.add_option("--from-cache", from_caches, "kernel-cache directory of the OLD side only (repeatable)");
  app.add_option("--to-cache", to_caches, "kernel-cache directory of the NEW side only (repeatable)");
  app.add_option(
      "--cache", common.caches,
      "kernel-cache directory of both sides, searched after the side's own (repeatable): a layer carried "
      "across kernels");
  app.add_option("--machine", common.machine, "KMACHINE of the BSP")->required();
  app.add_option("--type", common.ktype, "kernel type, LINUX_KERNEL_TYPE (default: standard)");
  app.add_option("--arch", common.arch, "kernel ARCH as Yocto passes it: x86, arm64, riscv, ...")->required();
  app.add_option_function<std::string>(
      "--cross-compile",
      [&common](const std::string& v) {
        common.cross_compile = v;
        common.cross_compile_given = true;
      },
      "CROSS_COMPILE prefix, e.g. aarch64-linux-gnu- (default: host compiler)");
  app.add_option("--feature", common.features, "KERNEL_FEATURES entry on both sides (repeatable)");
  app.add_option("--fragment", common.fragments, "extra .cfg fragment on both sides (repeatable)");
  app.add_option("--require", require_files,
                 "fragment of values that must hold on NEW (repeatable; exit 1 if one does not)");
  app.add_option("--mode", common.mode, "alldefconfig (default) or allnoconfig")
      ->check(CLI::IsMember({"alldefconfig", "allnoconfig"}));
  app.add_flag("--prefer-modules", common.prefer_modules, "-DMODULE_OR_Y=m on both sides");
  app.add_option("-o,--output", output, "output directory: uprev.txt, uprev.json, old.config, new.config")
      ->required();
  app.add_flag("--json", common.json, "print the report as JSON");
  app.add_flag("--all", all, "also list the unchanged requests");
  app.add_option("--color", common.color, "auto (a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--no-fix", common.no_fix, "do not compute fixes");
  app.add_flag("--no-rename-check", no_rename_check, "rank rename candidates without resolving NEW for each");
  app.add_flag(
      "--all-vanished", all_vanished,
      "also rank rename candidates for every symbol OLD defines and NEW does not (JSON: all_vanished)");
  app.add_option("--probe-cache", common.probe_dir, "probe cache directory (default: as kmeta config)");
  app.add_flag("--no-probe-cache", common.no_probe_cache, "run every $(shell) probe");
  app.add_flag("--replay", common.replay, "run no probe: every one must be in the cache");
  app.add_flag("--no-model-cache", common.no_model_cache, kNoModelCacheHelp);
  app.add_flag("--timings", common.timings, "print the time of each phase to stderr");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  common.audit_level = 2;
  common.bsp_audit_level = 1;
  auto side = [&](const std::string& kernel, const std::vector<std::string>& own, const char* sub) {
    ConfigOptions o = common;
    o.kernel = kernel;
    o.caches = own;
    o.caches.insert(o.caches.end(), common.caches.begin(), common.caches.end());
    o.output = output + "/" + sub;
    return o;
  };
  ConfigOptions from = side(from_kernel, from_caches, "old"), to = side(to_kernel, to_caches, "new");
  uprev::UprevRequest req;
  Diagnostics err;
  for (ConfigOptions* o : {&from, &to}) {
    if (!finish_options(*o, &err)) {
      print_errors("kmeta uprev", err);
      return kExitUsage;
    }
  }
  if (!build_request(from, &req.from, &err) || !build_request(to, &req.to, &err)) {
    print_errors("kmeta uprev", err);
    return kExitFailure;
  }
  for (const auto& r : require_files)
    req.require_files.push_back(std::filesystem::absolute(r).lexically_normal().string());
  req.from_label = label(from_kernel, from.caches);
  req.to_label = label(to_kernel, to.caches);
  req.check_renames = !no_rename_check;
  req.all_vanished = all_vanished;

  uprev::UprevResult res;
  bool ok = uprev::run_uprev(req, &res, &err);
  print_diagnostics(res.from);
  print_diagnostics(res.to);
  print_diagnostics(res.diags);
  if (!ok) {
    print_errors("kmeta uprev", err);
    return kExitFailure;
  }
  std::string dir = std::filesystem::absolute(output).lexically_normal().string();
  if (!uprev::write_uprev(dir, req, res, &err)) {
    print_errors("kmeta uprev", err);
    return kExitFailure;
  }
  if (common.json) {
    std::fputs((json_dump(uprev::to_json(req, res), 1) + "\n").c_str(), stdout);
  } else {
    uprev::ReportOptions opt;
    opt.colour = use_colour(common.color);
    opt.all = all;
    opt.max_diff = 40;
    std::fputs(uprev::render_text(req, res, opt).c_str(), stdout);
  }
  if (common.timings) {
    auto show = [](const char* side, const std::vector<config::Timing>& ts) {
      for (const auto& t : ts) fmt::print(stderr, "  {:<5} {:<26} {:7.3f} s\n", side, t.phase, t.seconds);
    };
    show("OLD", res.from.timings);
    show("NEW", res.to.timings);
    show("uprev", res.timings);
  }
  return res.requirements_hold ? kExitOk : kExitFailure;
}

}  // namespace kmeta::cli
