// `kmeta audit`: audit an existing .config against the fragments that asked
// for it. The fragments come from the BSP (the `kmeta config` options), from
// the record `kmeta config -o BUILD` left (`-C BUILD`), or from a Yocto
// `.kernel-meta` directory (`--kernel-meta DIR`). Exit 1 when findings of the
// chosen classes exist.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/errors.h"
#include "config/report.h"

namespace kmeta::cli {

int cmd_audit(const Args& args) {
  CLI::App app{
      "Audit a .config against the fragments that asked for it: every requested value that is not in\n"
      "it, classified (unmet dependency, select, choice, range, unknown symbol, bad value, ...) and\n"
      "explained down to the root cause, with verified fixes; plus fragment problems.",
      "kmeta audit"};
  ConfigOptions o;
  std::string build, dotconfig;
  app.add_option("-C,--build", build, "a build directory written by `kmeta config -o` (default: .)");
  app.add_option("--config,--dotconfig", dotconfig, "the .config to audit (default: BUILD/.config)");
  add_input_options(app, o);
  add_audit_options(app, o);
  reject_empty_values(app, {"--cross-compile"});
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  config::ConfigRequest req;
  int usage_rc = kExitOk;
  config::BuildDirLock lock;
  if (!request_for_build("kmeta audit", build, o, &req, &lock, &usage_rc)) return usage_rc;
  std::string err;
  std::string path = dotconfig.empty() ? req.output + "/.config" : dotconfig;
  auto text = read_file(path, &err);
  if (!text) {
    fmt::print(stderr, "kmeta audit: cannot read {}: {}\n", path, err);
    return kExitFailure;
  }
  req.audit_dotconfig = *text;
  lock = config::BuildDirLock();
  config::ConfigResult res;
  Diagnostics diags;
  bool ok = config::run_config(req, &res, &diags);
  print_diagnostics(res);
  if (!ok) {
    std::fputs(res.kernel.log.text(kconfig::Stream::err).c_str(), stderr);
    if (o.from_record && o.replay) diags.note({}, kRecordReplayNote);
    print_errors("kmeta audit", diags);
    return kExitFailure;
  }
  if (!o.quiet && !o.json && res.dotconfig != *text)
    fmt::print(
        stderr,
        "kmeta audit: note: {} is not what the fragments resolve to (edited, or configured again since); "
        "explanations refer to the fragments' configuration\n",
        path);
  int rc = print_audit(req, res, o);
  return config::count_shown(res.audit, req.levels).total() > 0 ? kExitFailure : rc;
}

}  // namespace kmeta::cli
