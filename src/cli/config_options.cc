#include "cli/config_options.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/diagnostic_render.h"
#include "base/file_util.h"
#include "cli/cli.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "config/bsp.h"
#include "config/build_dir.h"
#include "config/build_record.h"
#include "config/kernel_meta.h"

namespace kmeta::cli {

namespace fs = std::filesystem;
namespace kc = kmeta::kconfig;

namespace {

// The level in $NAME (dflt when unset); false + message when it is not a
// number in [0, max].
bool level_from_env(const char* name, int dflt, int max, int* level, std::string* error) {
  std::string v = env_or(name);
  *level = dflt;
  if (v.empty()) return true;
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (!end || *end != '\0' || n < 0 || n > max) {
    *error = fmt::format("{}={}: not a level in 0..{}", name, v, max);
    return false;
  }
  *level = static_cast<int>(n);
  return true;
}

}  // namespace

void add_bsp_options(CLI::App& app, ConfigOptions& o) {
  app.add_option("--cache", o.caches, "kernel-cache directory (repeatable; searched in order, like -I)");
  app.add_option("--machine", o.machine, "KMACHINE of the BSP (e.g. qemux86-64)");
  app.add_option("--type", o.ktype, "kernel type, LINUX_KERNEL_TYPE (default: standard)");
  app.add_option("--kernel", o.kernel, "kernel source tree");
  app.add_option("--arch", o.arch,
                 "kernel ARCH as Yocto passes it: x86, arm64, riscv, arm, powerpc, mips, ...");
  app.add_option("--feature", o.features, "KERNEL_FEATURES entry, a .scc relative to a cache (repeatable)");
  app.add_option("--fragment", o.fragments, "extra .cfg fragment, merged after the BSP (repeatable)");
  app.add_option("--defconfig", o.defconfig,
                 "defconfig to start from (implies --mode allnoconfig, as Yocto does)");
}

void add_input_options(CLI::App& app, ConfigOptions& o) {
  add_bsp_options(app, o);
  app.add_option("--mode", o.mode, "alldefconfig (default) or allnoconfig (merge_config.sh -n)")
      ->check(CLI::IsMember({"alldefconfig", "allnoconfig"}));
  app.add_option_function<std::string>(
      "--cross-compile",
      [&o](const std::string& v) {
        o.cross_compile = v;
        o.cross_compile_given = true;
      },
      "CROSS_COMPILE prefix, e.g. aarch64-linux-gnu- (default: host compiler)");
  app.add_option(
      "--kernel-meta", o.kernel_meta,
      "use the fragment queue of an existing .kernel-meta directory (config.queue) instead of the BSP");
  app.add_flag("--prefer-modules", o.prefer_modules,
               "-DMODULE_OR_Y=m: apply the fragments' # OVERRIDE:$MODULE_OR_Y");
  auto* pc =
      app.add_option("--probe-cache", o.probe_dir,
                     "probe cache directory (default: $KMETA_PROBE_CACHE, $XDG_CACHE_HOME/kmeta/probes or "
                     "~/.cache/kmeta/probes)");
  auto* npc =
      app.add_flag("--no-probe-cache", o.no_probe_cache, "run every $(shell) probe of the Kconfig files");
  auto* rp = app.add_flag("--replay", o.replay, "run no probe: every one must be in the cache");
  app.add_flag("--no-model-cache", o.no_model_cache, kNoModelCacheHelp);
  npc->excludes(pc)->excludes(rp);
}

void add_audit_options(CLI::App& app, ConfigOptions& o) {
  app.add_option(
         "--audit-level", o.audit_level,
         "KCONF_AUDIT_LEVEL: 0 no mismatch report, 1 only options that matter (hardware, required), 2 all "
         "(default: $KCONF_AUDIT_LEVEL or 1)")
      ->check(CLI::Range(0, 2));
  app.add_option("--bsp-audit-level", o.bsp_audit_level,
                 "KCONF_BSP_AUDIT_LEVEL: 1 fragment problems and unknown symbols, 2 strict (other "
                 "architectures too), "
                 "3 also conflicting redefinitions (default: $KCONF_BSP_AUDIT_LEVEL or 0)")
      ->check(CLI::Range(0, 3));
  app.add_flag("--werror", o.werror, "KMETA_AUDIT_WERROR: shown findings make the command fail (exit 1)");
  app.add_flag("--no-fix", o.no_fix, "do not compute fixes for unmet dependencies");
  app.add_flag("--json", o.json, "print the audit as JSON");
  app.add_option("--color", o.color, "colour the audit: auto (a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--show-hidden", o.show_hidden, "also list findings the audit levels hide");
  app.add_flag("--timings", o.timings, "print the time of each phase to stderr");
  app.add_flag("-q,--quiet", o.quiet, "print nothing but the shown findings");
}

bool finish_options(ConfigOptions& o, Diagnostics* diags) {
  std::string error;
  if ((o.audit_level < 0 && !level_from_env("KCONF_AUDIT_LEVEL", 1, 2, &o.audit_level, &error)) ||
      (o.bsp_audit_level < 0 && !level_from_env("KCONF_BSP_AUDIT_LEVEL", 0, 3, &o.bsp_audit_level, &error))) {
    diags->error({}, error);
    return false;
  }
  if (!env_or("KMETA_AUDIT_WERROR").empty()) o.werror = true;
  if (o.kernel.empty()) {
    diags->error({}, "--kernel SRC is required");
    return false;
  }
  if (o.arch.empty()) {
    diags->error({}, "--arch ARCH is required (x86, arm64, riscv, ...)");
    return false;
  }
  if (o.kernel_meta.empty() && (o.caches.empty() || o.machine.empty()) && o.defconfig.empty()) {
    diags->error({}, "give --cache DIR and --machine M (or --defconfig FILE, or --kernel-meta DIR)");
    return false;
  }
  return true;
}

bool build_request(const ConfigOptions& o, config::ConfigRequest* req, Diagnostics* diags) {
  std::string kernel = absolute_path(o.kernel);
  req->output = absolute_path(o.output.empty() ? "." : o.output);
  std::error_code ec;
  fs::create_directories(req->output, ec);
  if (ec) {
    diags->error({}, fmt::format("cannot create '{}': {}", req->output, ec.message()));
    return false;
  }
  if (!o.kernel_meta.empty()) {
    DiskFileSystem disk;
    if (!config::read_kernel_meta_queue(absolute_path(o.kernel_meta), disk, &req->queue, diags)) return false;
  } else {
    config::BspRequest b;
    for (const auto& c : o.caches) b.caches.push_back(absolute_path(c));
    b.kernel = kernel;
    b.arch = o.arch;
    b.machine = o.machine;
    b.ktype = o.ktype;
    b.features = o.features;
    for (const auto& f : o.fragments) b.fragments.push_back(absolute_path(f));
    b.defconfig = o.defconfig.empty() ? "" : absolute_path(o.defconfig);
    b.prefer_modules = o.prefer_modules;
    req->bsp = std::move(b);
  }
  std::error_code cwd_ec;
  req->display_base = fs::current_path(cwd_ec).string();

  config::KernelOptions& k = req->kernel;
  k.srctree = kernel;
  k.objtree = req->output;
  k.arch = o.arch;
  if (o.cross_compile_given) k.cross_compile = o.cross_compile;
  struct utsname u;
  ::uname(&u);
  k.host = {u.machine, u.release};
  k.base_env = process_env();
  k.model_cache = !o.no_model_cache;
  k.probe_mode = o.no_probe_cache ? kbuild::ProbeMode::off
                 : o.replay       ? kbuild::ProbeMode::replay
                                  : kbuild::ProbeMode::read_write;
  k.probe_dir = !o.probe_dir.empty() ? o.probe_dir : default_probe_cache_dir();

  std::string mode = o.mode.empty() ? (o.defconfig.empty() ? "alldefconfig" : "allnoconfig") : o.mode;
  req->mode = mode == "allnoconfig" ? kc::ConfMode::allnoconfig : kc::ConfMode::alldefconfig;
  req->levels.audit_level = o.audit_level;
  req->levels.bsp_audit_level = o.bsp_audit_level;
  req->levels.werror = o.werror;
  req->fixes = !o.no_fix;
  return true;
}

std::string options_record(const ConfigOptions& o) {
  config::BuildRecord r;
  for (const auto& c : o.caches) r.caches.push_back(absolute_path(c));
  for (const auto& f : o.fragments) r.fragments.push_back(absolute_path(f));
  r.machine = o.machine;
  r.type = o.ktype;
  r.kernel = absolute_path(o.kernel);
  r.arch = o.arch;
  if (o.cross_compile_given) r.cross_compile = o.cross_compile;
  r.features = o.features;
  r.defconfig = o.defconfig.empty() ? "" : absolute_path(o.defconfig);
  r.mode = o.mode;
  r.kernel_meta = o.kernel_meta.empty() ? "" : absolute_path(o.kernel_meta);
  r.prefer_modules = o.prefer_modules;
  r.audit_level = o.audit_level;
  r.bsp_audit_level = o.bsp_audit_level;
  // Where the run's $(shell,...) answers are: `why -C` / `audit -C` replay them.
  if (!o.no_probe_cache)
    r.probe_cache = absolute_path(o.probe_dir.empty() ? default_probe_cache_dir() : o.probe_dir);
  return config::render_build_record(r);
}

bool load_options(const std::string& build, ConfigOptions* o, Diagnostics* diags) {
  std::string path = absolute_path(build) + "/" + config::kRecordName;
  auto text = read_file(path);
  if (!text) {
    diags->error({}, fmt::format("{} has no record of a `kmeta config` run ({})", build, path));
    return false;
  }
  config::BuildRecord r;
  if (!config::parse_build_record(*text, path, &r, diags)) return false;
  o->caches = r.caches;
  o->machine = r.machine;
  o->ktype = r.type;
  o->kernel = r.kernel;
  o->arch = r.arch;
  if (r.cross_compile) {
    o->cross_compile = *r.cross_compile;
    o->cross_compile_given = true;
  }
  o->features = r.features;
  o->fragments = r.fragments;
  o->defconfig = r.defconfig;
  o->mode = r.mode;
  o->kernel_meta = r.kernel_meta;
  o->prefer_modules = r.prefer_modules;
  if (o->audit_level < 0) o->audit_level = r.audit_level;
  if (o->bsp_audit_level < 0) o->bsp_audit_level = r.bsp_audit_level;
  if (o->probe_dir.empty()) o->probe_dir = r.probe_cache;
  o->output = absolute_path(build);
  return true;
}

bool write_build_dir(const char* command, const config::ConfigRequest& req, config::ConfigResult& res,
                     const ConfigOptions& o, config::BuildDirLock* lock, Diagnostics* diags) {
  if (!lock->held() && !config::lock_build_dir(
                           req.output, true,
                           [&] {
                             fmt::print(stderr, "{}: waiting for another kmeta run writing {} to finish\n",
                                        command, req.output);
                           },
                           lock, diags))
    return false;
  return config::write_outputs(req, res, options_record(o), diags);
}

bool request_for_build(const char* command, const std::string& build, ConfigOptions& o,
                       config::ConfigRequest* req, config::BuildDirLock* lock, int* exit_code) {
  Diagnostics err;
  const std::string dir = absolute_path(build.empty() ? "." : build);
  // Read the record and BUILD/.config while no `kmeta config` writes them.
  if (!config::lock_build_dir(
          dir, false,
          [&] { fmt::print(stderr, "{}: waiting for the kmeta run writing {} to finish\n", command, dir); },
          lock, &err)) {
    print_errors(command, err);
    *exit_code = kExitFailure;
    return false;
  }
  if (config::build_dir_incomplete(dir)) {
    fmt::print(
        stderr,
        "{}: {} holds no complete `kmeta config` run: the last one was killed while writing its outputs "
        "({}/{} exists), so its files are a mix of two runs; run `kmeta config` again\n",
        command, dir, dir, config::kIncompleteName);
    *exit_code = kExitFailure;
    return false;
  }
  if (o.kernel.empty()) {
    if (!load_options(build.empty() ? "." : build, &o, &err)) {
      err.note({}, "give -C BUILD, or the `kmeta config` options");
      print_errors(command, err);
      *exit_code = kExitUsage;
      return false;
    }
    // Explain from recorded results: the record names a kernel tree and a
    // compiler, and running their $(shell,...) probes would run commands named
    // by a file this command only reads. --no-probe-cache, given explicitly,
    // still runs them (the user asks for it).
    o.from_record = true;
    if (!o.no_probe_cache) o.replay = true;
  } else {
    o.output = build.empty() ? "." : build;
  }
  if (!finish_options(o, &err)) {
    print_errors(command, err);
    *exit_code = kExitUsage;
    return false;
  }
  if (!build_request(o, req, &err)) {
    print_errors(command, err);
    *exit_code = kExitFailure;
    return false;
  }
  return true;
}

const char* const kRecordReplayNote =
    "(with -C, the kernel's $(shell,...) probes are not run: their answers are replayed from the probe cache "
    "`kmeta config` filled; run `kmeta config` again for this build directory, point --probe-cache at the "
    "cache "
    "it used, or give the configuration's options instead of -C to run them)";

void print_diagnostics(const config::ConfigResult& res) {
  for (const std::string& w : res.kernel.cache_warnings) fmt::print(stderr, "kmeta: warning: {}\n", w);
  print_diagnostics(res.diags);
}

void print_diagnostics(const Diagnostics& ds) { print_errors("", ds); }

void reject_empty_values(CLI::App& app, const std::vector<std::string>& may_be_empty) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_expected_max() == 0 || opt->get_type_size_max() == 0) continue;  // a flag
    bool allowed = false;
    for (const auto& n : may_be_empty) allowed = allowed || opt->check_name(n);
    if (allowed) continue;
    opt->check(CLI::Validator(
        [](std::string& v) {
          return v.empty()
                     ? std::string("an empty value is not allowed (a variable that expanded to nothing?)")
                     : std::string();
        },
        "", "NONEMPTY"));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    reject_empty_values(*sub, may_be_empty);
}

bool use_colour(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return ::isatty(STDOUT_FILENO) && env_or("NO_COLOR").empty() && env_or("TERM") != "dumb";
}

}  // namespace kmeta::cli
