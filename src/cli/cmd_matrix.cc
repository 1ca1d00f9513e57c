// `kmeta matrix`: every BSP entry point of kernel caches configured and
// audited against a kernel, in one process (src/matrix/matrix.h), with
// matrix.json, matrix.html and a summary worst first.
//
//   kmeta matrix --cache DIR... --kernel SRC [--machine GLOB...] [--type T...]
//                [--feature F...] [-j N] [--baseline PREV.json]
//                [--fail-on new-findings|any-findings] -o DIR
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "matrix/matrix.h"
#include "matrix/report.h"

namespace kmeta::cli {

namespace {

namespace fs = std::filesystem;
namespace kc = kmeta::kconfig;

bool split_assignment(const std::string& s, std::string* k, std::string* v) {
  size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  *k = s.substr(0, eq);
  *v = s.substr(eq + 1);
  return true;
}

}  // namespace

int cmd_matrix(const Args& args) {
  CLI::App app{
      "Configure and audit every BSP entry point of kernel caches against a kernel, in one process: every "
      ".scc\n"
      "that defines KMACHINE and KTYPE (as spp --find sees them), ARCH from its KARCH, Debian's cross "
      "compiler\n"
      "for it when installed, the Kconfig model parsed once per (ARCH, compiler) and shared, BSPs in "
      "parallel.\n"
      "Writes DIR/<machine>/<type>/ (.config and .kernel-meta/ exactly as `kmeta config -o` writes them),\n"
      "DIR/matrix.json, DIR/matrix.html, and prints a summary, worst BSPs first.",
      "kmeta matrix"};
  std::vector<std::string> caches, machines, types, features, mode_for, cross;
  std::string kernel, output, baseline, fail_on, mode, probe_dir, color = "auto";
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int audit_level = -1, bsp_audit_level = -1;
  bool no_probe_cache = false, no_model_cache = false, replay = false, no_fix = false, quiet = false;
  app.add_option("--cache", caches, "kernel-cache directory (repeatable; searched in order, like -I)")
      ->required();
  app.add_option("--kernel", kernel, "kernel source tree")->required();
  app.add_option("--machine", machines, "only KMACHINEs matching this glob (repeatable)");
  app.add_option("--type", types, "only this KTYPE (repeatable)");
  app.add_option("--feature", features, "KERNEL_FEATURES entry added to every BSP (repeatable)");
  app.add_option("-j,--jobs", jobs, "BSPs resolved in parallel (default: all cores)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--baseline", baseline,
                 "a previous run's matrix.json: report new and resolved findings and "
                 ".config changes per BSP (its BSP directories are read for the .config)");
  app.add_option("--fail-on", fail_on,
                 "exit 1 on new-findings (vs --baseline) or any-findings (shown ones); a BSP "
                 "that fails to resolve always fails the run")
      ->check(CLI::IsMember({"new-findings", "any-findings"}));
  app.add_option("--mode", mode, "resolve every BSP with this mode (default: per type)")
      ->check(CLI::IsMember({"alldefconfig", "allnoconfig"}));
  app.add_option("--mode-for", mode_for,
                 "TYPE=MODE: the mode of one kernel type (default: tiny=allnoconfig, "
                 "others alldefconfig, as the linux-yocto recipes set it)");
  app.add_option("--cross", cross,
                 "ARCH=PREFIX: the CROSS_COMPILE for one kernel ARCH (empty PREFIX: host gcc); "
                 "default: Debian's cross compiler for the target when installed");
  app.add_option("-o,--output", output, "output directory")->required();
  app.add_option("--audit-level", audit_level, "KCONF_AUDIT_LEVEL (default: $KCONF_AUDIT_LEVEL or 1)");
  app.add_option("--bsp-audit-level", bsp_audit_level,
                 "KCONF_BSP_AUDIT_LEVEL (default: $KCONF_BSP_AUDIT_LEVEL or 0)");
  app.add_flag("--no-fix", no_fix, "do not compute fixes for unmet dependencies");
  auto* pc = app.add_option("--probe-cache", probe_dir, "probe cache directory (default: as kmeta config)");
  auto* npc = app.add_flag("--no-probe-cache", no_probe_cache, "run every $(shell) probe");
  auto* rp = app.add_flag("--replay", replay, "run no probe: every one must be in the cache");
  app.add_flag("--no-model-cache", no_model_cache, kNoModelCacheHelp);
  npc->excludes(pc)->excludes(rp);
  app.add_option("--color", color, "auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", quiet, "print only the summary's last line");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  ConfigOptions levels;
  levels.audit_level = audit_level;
  levels.bsp_audit_level = bsp_audit_level;
  levels.kernel = kernel;
  levels.arch = "x86";
  levels.defconfig = "-";  // finish_options only checks the combination
  Diagnostics ignored;     // the levels' own defaults stand for values the environment gets wrong
  finish_options(levels, &ignored);
  std::string err;

  matrix::MatrixRequest req;
  for (const auto& c : caches) {
    if (!fs::is_directory(c)) {
      fmt::print(stderr, "kmeta matrix: --cache '{}' is not a directory\n", c);
      return kExitUsage;
    }
    req.caches.push_back(absolute_path(c));
  }
  req.kernel = absolute_path(kernel);
  if (!fs::is_regular_file(req.kernel + "/Makefile") || !fs::is_regular_file(req.kernel + "/Kconfig")) {
    fmt::print(stderr, "kmeta matrix: --kernel '{}' is not a kernel source tree (no Makefile or Kconfig)\n",
               kernel);
    return kExitUsage;
  }
  req.machine_globs = machines;
  req.types = types;
  req.features = features;
  req.mode = mode;
  for (const auto& m : mode_for) {
    std::string k, v;
    if (!split_assignment(m, &k, &v) || (v != "alldefconfig" && v != "allnoconfig")) {
      fmt::print(stderr, "kmeta matrix: --mode-for '{}': want TYPE=alldefconfig|allnoconfig\n", m);
      return kExitUsage;
    }
    req.modes[k] = v;
  }
  for (const auto& c : cross) {
    std::string k, v;
    if (!split_assignment(c, &k, &v)) {
      fmt::print(stderr, "kmeta matrix: --cross '{}': want ARCH=PREFIX\n", c);
      return kExitUsage;
    }
    req.cross[k] = v;
  }
  req.jobs = jobs;
  req.output = absolute_path(output);
  req.levels.audit_level = levels.audit_level;
  req.levels.bsp_audit_level = levels.bsp_audit_level;
  req.fixes = !no_fix;
  std::error_code ec;
  req.display_base = fs::current_path(ec).string();

  nlohmann::json prev;
  if (!baseline.empty()) {
    auto text = read_file(baseline, &err);
    if (!text) {
      fmt::print(stderr, "kmeta matrix: --baseline: {}\n", err);
      return kExitUsage;
    }
    try {
      prev = json_parse(*text);
    } catch (const std::exception& e) {
      fmt::print(stderr, "kmeta matrix: --baseline {}: {}\n", baseline, e.what());
      return kExitUsage;
    }
    req.baseline_dir = fs::path(absolute_path(baseline)).parent_path().string();
  }
  if (fail_on == "new-findings" && baseline.empty()) {
    fmt::print(stderr, "kmeta matrix: --fail-on new-findings needs --baseline PREV.json\n");
    return kExitUsage;
  }

  config::KernelOptions& k = req.kernel_options;
  struct utsname u;
  ::uname(&u);
  k.host = {u.machine, u.release};
  k.base_env = process_env();
  k.model_cache = !no_model_cache;
  k.probe_mode = no_probe_cache ? kbuild::ProbeMode::off
                 : replay       ? kbuild::ProbeMode::replay
                                : kbuild::ProbeMode::read_write;
  k.probe_dir = !probe_dir.empty() ? probe_dir : default_probe_cache_dir();
  std::string path = env_or("PATH");
  req.is_installed = [path](const std::string& program) { return matrix::on_path(program, path); };

  fs::create_directories(req.output, ec);
  if (ec) {
    fmt::print(stderr, "kmeta matrix: cannot create '{}': {}\n", req.output, ec.message());
    return kExitFailure;
  }
  matrix::MatrixResult res;
  // What `kmeta why -C DIR/<bsp>` and `kmeta audit -C ...` need to re-run a row.
  req.record = [&req, &k](const matrix::BspRow& r) {
    ConfigOptions o;
    o.caches = req.caches;
    o.machine = r.entry.machine;
    o.ktype = r.entry.ktype;
    o.kernel = req.kernel;
    o.arch = r.arch;
    if (r.toolchain.cross) {
      o.cross_compile = r.toolchain.cross_compile;
      o.cross_compile_given = true;
    }
    o.features = req.features;
    o.mode = r.mode;
    o.audit_level = req.levels.audit_level;
    o.bsp_audit_level = req.levels.bsp_audit_level;
    o.no_probe_cache = k.probe_mode == kbuild::ProbeMode::off;
    o.probe_dir = k.probe_dir;
    return options_record(o);
  };
  Diagnostics diags;
  if (!matrix::run_matrix(req, &res, &diags)) {
    print_errors("kmeta matrix", diags);
    return kExitFailure;
  }
  nlohmann::json j = matrix::to_json(req, res);
  if (!baseline.empty() && !matrix::apply_baseline(prev, baseline, j, &diags)) {
    print_errors("kmeta matrix", diags);
    return kExitUsage;
  }
  struct rusage ru;
  ::getrusage(RUSAGE_SELF, &ru);
  j["peak_rss_kib"] = ru.ru_maxrss;
  if (!write_file_atomic(req.output + "/matrix.json", json_dump(j, 1) + "\n", &err) ||
      !write_file_atomic(req.output + "/matrix.html", matrix::render_html(j), &err)) {
    fmt::print(stderr, "kmeta matrix: {}\n", err);
    return kExitFailure;
  }
  std::string summary = matrix::render_summary(j, use_colour(color));
  if (quiet) summary = summary.substr(0, summary.find('\n') + 1);
  std::fputs(summary.c_str(), stdout);
  fmt::print(stderr, "kmeta matrix: wrote {}/matrix.json and matrix.html; peak RSS {:.1f} MiB\n", req.output,
             static_cast<double>(ru.ru_maxrss) / 1024.0);
  return matrix::fails(j, fail_on) ? kExitFailure : kExitOk;
}

}  // namespace kmeta::cli
