// `kmeta why CONFIG_X`: one symbol's value, where it came from and what it
// depends on. Re-runs the configuration recorded by `kmeta config -o BUILD`
// (`-C BUILD`, default: the current directory) or the one given by the same
// options `kmeta config` takes.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/errors.h"
#include "config/why.h"

namespace kmeta::cli {

int cmd_why(const Args& args) {
  CLI::App app{
      "Explain symbols: the value, the fragment line (with its .scc include chain) or the default /\n"
      "select / imply / choice that decided it, the dependencies with their values, every fragment\n"
      "that assigned it, and the audit's finding and fix when a request did not stick.",
      "kmeta why"};
  ConfigOptions o;
  std::string build;
  std::vector<std::string> symbols;
  app.add_option("-C,--build", build, "a build directory written by `kmeta config -o` (default: .)");
  add_input_options(app, o);
  app.add_flag("--json", o.json, "print JSON");
  app.add_option("symbols", symbols, "CONFIG_X (or X) ...")->required();
  reject_empty_values(app, {"--cross-compile"});
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  config::ConfigRequest req;
  int rc = kExitOk;
  config::BuildDirLock lock;
  if (!request_for_build("kmeta why", build, o, &req, &lock, &rc)) return rc;
  for (const auto& s : symbols) req.fix_symbols.push_back(s.rfind("CONFIG_", 0) == 0 ? s.substr(7) : s);
  // Explain the .config that is there, when there is one.
  if (auto dot = read_file(req.output + "/.config")) req.audit_dotconfig = *dot;
  lock = config::BuildDirLock();
  config::ConfigResult res;
  Diagnostics diags;
  bool ok = config::run_config(req, &res, &diags);
  print_diagnostics(res);
  if (!ok) {
    std::fputs(res.kernel.log.text(kconfig::Stream::err).c_str(), stderr);
    if (o.from_record && o.replay) diags.note({}, kRecordReplayNote);
    print_errors("kmeta why", diags);
    return kExitFailure;
  }
  nlohmann::json all = nlohmann::json::array();
  for (const auto& s : symbols) {
    config::WhyRecord w = config::why(req, res, s);
    if (o.json)
      all.push_back(config::to_json(w));
    else
      std::fputs(config::render_why(w).c_str(), stdout);
  }
  if (o.json) std::fputs((json_dump(symbols.size() == 1 ? all[0] : all, 1) + "\n").c_str(), stdout);
  return kExitOk;
}

}  // namespace kmeta::cli
