// `kmeta config`: from a BSP to a verified .config and a triaged audit, in
// one process (kernel-yocto.bbclass's do_kernel_configme + configcheck).
//
//   kmeta config --cache DIR --machine M [--type T] --kernel SRC --arch ARCH
//                [--cross-compile P] [--feature F...] [--fragment FILE...]
//                [--defconfig FILE] [--mode alldefconfig|allnoconfig] -o BUILD
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/exit_leak.h"
#include "base/json_bytes.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/errors.h"
#include "config/report.h"

namespace kmeta::cli {

int print_audit(const config::ConfigRequest& req, const config::ConfigResult& res, const ConfigOptions& o) {
  config::ShownCounts c = config::count_shown(res.audit, req.levels);
  if (o.json) {
    nlohmann::json j = config::to_json(res.audit, req.levels);
    std::fputs((json_dump(j, 1) + "\n").c_str(), stdout);
  } else if (!o.quiet || c.total() > 0) {
    config::TextOptions t;
    t.colour = use_colour(o.color);
    t.show_hidden = o.show_hidden;
    std::fputs(config::render_text(res.audit, req.levels, t).c_str(), stdout);
  }
  if (o.timings)
    for (const auto& t : res.timings) fmt::print(stderr, "  {:<14} {:7.3f} s\n", t.phase, t.seconds);
  return req.levels.werror && c.total() > 0 ? kExitFailure : kExitOk;
}

int cmd_config(const Args& args) {
  CLI::App app{
      "From a BSP to .config and a triaged audit: find the BSP definition (spp --find), compile the\n"
      "features (scc), merge the fragments (merge_config.sh), resolve them with Kconfig (alldefconfig /\n"
      "allnoconfig seeded with the merge), write BUILD/.config and the .kernel-meta/cfg audit files,\n"
      "and print what was requested but did not stick, why, and how to fix it.",
      "kmeta config"};
  ConfigOptions o;
  add_input_options(app, o);
  app.add_option("-o,--output", o.output, "build directory: BUILD/.config, BUILD/.kernel-meta/...")
      ->required();
  add_audit_options(app, o);
  reject_empty_values(app, {"--cross-compile"});
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  Diagnostics err;
  if (!finish_options(o, &err)) {
    print_errors("kmeta config", err);
    return kExitUsage;
  }
  auto start = std::chrono::steady_clock::now();
  config::ConfigRequest req;
  if (!build_request(o, &req, &err)) {
    print_errors("kmeta config", err);
    return kExitFailure;
  }
  // Left to the process's exit (base/exit_leak.h): the model, the resolved
  // configuration and the audit are ~10^5 blocks.
  auto owned = std::make_unique<config::ConfigResult>();
  config::ConfigResult& res = *owned;
  struct AtExit {
    std::unique_ptr<config::ConfigResult>& p;
    ~AtExit() { leak_at_exit(p); }
  } at_exit{owned};
  bool ok = config::run_config(req, &res, &err);
  print_diagnostics(res);
  if (!ok) {
    std::fputs(res.kernel.log.text(kconfig::Stream::err).c_str(), stderr);
    print_errors("kmeta config", err);
    return kExitFailure;
  }
  config::BuildDirLock lock;
  if (!write_build_dir("kmeta config", req, res, o, &lock, &err)) {
    err.note({}, "the outputs were not written");
    print_errors("kmeta config", err);
    return kExitFailure;
  }
  lock = config::BuildDirLock();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.quiet && !o.json)
    fmt::print(stderr, "kmeta config: wrote {}/.config ({} fragments, {} requested values) in {:.2f} s\n",
               req.output, res.queue.size(), res.audit.requested, secs);
  return print_audit(req, res, o);
}

}  // namespace kmeta::cli
