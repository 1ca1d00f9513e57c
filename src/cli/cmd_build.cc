// `kmeta build`: the configured kernel built by the kernel's own kbuild
// (make -C SRC O=BUILD ARCH=... CROSS_COMPILE=...), natively or cross, with
// progress, located errors, a staged module tree and build.json.
//
//   kmeta build -C BUILD                      # after `kmeta config -o BUILD`
//   kmeta build --cache DIR --machine M ...   # kmeta config's options: configure, then build
//   kmeta build --kernel SRC --arch A [--config FILE] -o BUILD
#include <fmt/format.h>
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "base/file_util.h"
#include "cli/commands.h"
#include "cli/config_options.h"
#include "cli/environment.h"
#include "cli/errors.h"
#include "config/build_record.h"
#include "kbuild/build.h"
#include "kbuild/kernel_env.h"

namespace kmeta::cli {

namespace {

namespace fs = std::filesystem;

volatile sig_atomic_t g_interrupted = 0;  // set by the handler only; make gets the terminal's signal itself
void on_signal(int) { g_interrupted = 1; }

struct BuildOptions {
  std::string build;   // -C
  std::string config;  // --config FILE
  std::string image;   // --image
  bool no_dtbs = false;
  std::vector<std::string> targets;
  std::string module_dir;
  std::string stage;
  bool no_install = false;
  int jobs = 0;
  bool no_ccache = false, distcc = false, icecc = false;
  std::string progress = "auto";
  bool verbose = false, quiet = false;
  uint64_t min_free_mb = 1024;
};

// Runs `kmeta config` for `o` into o.output (the BSP path), under `lock`
// (BUILD's, held by the caller). Exit status.
int configure(ConfigOptions& o, config::BuildDirLock* lock) {
  Diagnostics err;
  if (!finish_options(o, &err)) {
    print_errors("kmeta build", err);
    return kExitUsage;
  }
  config::ConfigRequest req;
  if (!build_request(o, &req, &err)) {
    print_errors("kmeta build", err);
    return kExitFailure;
  }
  config::ConfigResult res;
  bool ok = config::run_config(req, &res, &err);
  print_diagnostics(res);
  if (!ok || !write_build_dir("kmeta build", req, res, o, lock, &err)) {
    if (!ok) std::fputs(res.kernel.log.text(kconfig::Stream::err).c_str(), stderr);
    err.note({}, "the configure step failed");
    print_errors("kmeta build", err);
    return kExitFailure;
  }
  o.quiet = true;  // the audit: only what it shows
  int rc = print_audit(req, res, o);
  if (rc == kExitOk) fmt::print(stderr, "kmeta build: configured {}/.config\n", req.output);
  return rc;
}

}  // namespace

int cmd_build(const Args& args) {
  CLI::App app{
      "Build the configured kernel with its own kbuild (make -C SRC O=BUILD ARCH=... CROSS_COMPILE=...):\n"
      "the image, modules and dtbs the .config has, modules_install into BUILD/stage (lib/modules/...,\n"
      "boot/{Image,System.map,config}), BUILD/build.json (inputs, outputs with sha256, timings) and the\n"
      "full log in BUILD/kmeta-build.log. Reproducible (KBUILD_BUILD_TIMESTAMP from SOURCE_DATE_EPOCH or\n"
      "the tree), ccache when installed, distcc/icecc on request. Takes -C BUILD after `kmeta config`,\n"
      "kmeta config's own options (configures first), or --kernel SRC --arch A [--config FILE].",
      "kmeta build"};
  ConfigOptions o;
  BuildOptions b;
  app.add_option("-C,--build", b.build, "a build directory written by `kmeta config -o` (default: .)");
  add_input_options(app, o);
  app.add_option("-o,--output", o.output,
                 "build directory (default: -C, else linux-<MACHINE>-<TYPE>-build as Yocto names it)");
  app.add_option("--config", b.config, "the .config to build (copied to BUILD/.config)");
  app.add_option("--image", b.image,
                 "image target instead of the arch's (bzImage, Image, zImage, Image.gz, ...)");
  app.add_flag("--no-dtbs", b.no_dtbs, "do not build the device trees");
  app.add_option("--target", b.targets,
                 "make target instead of the defaults (repeatable: mm/, vmlinux, ...)");
  app.add_option("-M,--module-dir", b.module_dir, "build the external module in DIR (make M=DIR modules)");
  app.add_option("--stage", b.stage, "where modules_install and the boot files go (default: BUILD/stage)");
  app.add_flag("--no-install", b.no_install, "no modules_install / staging");
  app.add_option("-j,--jobs", b.jobs, "parallel jobs (default: the cores available; distcc: `distcc -j`)");
  app.add_flag("--no-ccache", b.no_ccache, "do not put ccache in front of the compiler");
  app.add_flag("--distcc", b.distcc, "compile through distcc (DISTCC_HOSTS names the cluster)");
  app.add_flag("--icecc", b.icecc, "compile through icecream (its scheduler finds the cluster)");
  app.add_option("--progress", b.progress, "auto (a bar on a terminal), bar, plain")
      ->check(CLI::IsMember({"auto", "bar", "plain"}));
  app.add_flag("-v,--verbose", b.verbose, "echo make's output (V=1 command lines too)");
  app.add_flag("-q,--quiet", b.quiet, "print only errors and the result");
  app.add_option("--min-free-mb", b.min_free_mb, "refuse to start with less free disk (default: 1024)");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (b.distcc && b.icecc) {
    fmt::print(stderr, "kmeta build: --distcc and --icecc exclude each other\n");
    return kExitUsage;
  }
  if (!b.build.empty() && !o.output.empty()) {
    fmt::print(stderr, "kmeta build: give -C BUILD or -o BUILD, not both\n");
    return kExitUsage;
  }
  bool bsp = !o.caches.empty() || !o.machine.empty() || !o.defconfig.empty() || !o.kernel_meta.empty();
  std::string build = !o.output.empty() ? o.output : b.build;
  if (build.empty() && !o.kernel.empty()) {
    if (o.machine.empty()) {
      fmt::print(stderr, "kmeta build: give -o BUILD (or --machine M for linux-<M>-<TYPE>-build)\n");
      return kExitUsage;
    }
    build = fmt::format("linux-{}-{}-build", o.machine, o.ktype);
  }
  if (build.empty()) build = ".";

  Diagnostics err;
  const char* const give = "give -C BUILD, or --kernel SRC --arch A [--config FILE]";
  if (o.kernel.empty() && !bsp && !std::filesystem::exists(build + "/" + config::kRecordName)) {
    load_options(build, &o, &err);  // the message naming the missing record
    err.note({}, give);
    print_errors("kmeta build", err);
    return kExitUsage;
  }
  // The whole run holds BUILD's lock: a `kmeta config -o BUILD` (or another
  // build) waits instead of rewriting .config under make.
  config::BuildDirLock lock;
  if (!config::lock_build_dir(
          absolute_path(build), true,
          [&] {
            fmt::print(stderr, "kmeta build: waiting for another kmeta run writing {} to finish\n", build);
          },
          &lock, &err)) {
    print_errors("kmeta build", err);
    return kExitFailure;
  }
  if (o.kernel.empty()) {
    if (bsp) {
      fmt::print(stderr, "kmeta build: --kernel SRC and --arch A are needed with the BSP options\n");
      return kExitUsage;
    }
    if (!load_options(build, &o, &err)) {
      err.note({}, give);
      print_errors("kmeta build", err);
      return kExitUsage;
    }
  } else {
    o.output = build;
    if (o.arch.empty()) {
      fmt::print(stderr, "kmeta build: --arch ARCH is required (x86, x86_64, arm64, arm, riscv)\n");
      return kExitUsage;
    }
    if (bsp) {
      if (!b.config.empty()) {
        fmt::print(stderr, "kmeta build: --config and the BSP options exclude each other\n");
        return kExitUsage;
      }
      int rc = configure(o, &lock);
      if (rc != kExitOk) return rc;
    }
  }

  kbuild::BuildRequest req;
  auto arch = kbuild::arch_info(o.arch, &err);
  if (!arch) {
    print_errors("kmeta build", err);
    return kExitUsage;
  }
  if (!b.image.empty()) arch->image = b.image;
  if (b.no_dtbs) arch->dtbs = false;
  req.arch = *arch;
  req.srctree = absolute_path(o.kernel);
  req.objtree = absolute_path(build);
  if (o.cross_compile_given) req.cross_compile = o.cross_compile;
  if (!b.config.empty()) req.config_file = absolute_path(b.config);
  req.targets = b.targets;
  if (!b.module_dir.empty()) req.module_dir = absolute_path(b.module_dir);
  req.install = !b.no_install;
  if (!b.stage.empty()) req.stage = absolute_path(b.stage);
  req.env = process_env();
  bool ccache = !b.no_ccache && !kbuild::find_program("ccache", env_or("PATH")).empty();
  req.launcher = b.icecc    ? kbuild::Launcher::icecc
                 : b.distcc ? (ccache ? kbuild::Launcher::ccache_distcc : kbuild::Launcher::distcc)
                 : ccache   ? kbuild::Launcher::ccache
                            : kbuild::Launcher::none;
  for (const char* tool : {"distcc", "icecc"})
    if ((b.distcc && tool == std::string("distcc")) || (b.icecc && tool == std::string("icecc")))
      if (kbuild::find_program(tool, env_or("PATH")).empty()) {
        fmt::print(stderr, "kmeta build: {} not found in PATH: install Debian's {} (apt-get install {})\n",
                   tool, tool == std::string("icecc") ? "icecc" : "distcc", tool);
        return kExitFailure;
      }
  req.jobs = b.jobs;
  req.cores = kbuild::available_cores();
  struct utsname u;
  ::uname(&u);
  req.host_machine = u.machine;
  req.min_free = b.min_free_mb << 20;
  req.verbose = b.verbose;

  bool tty = ::isatty(STDERR_FILENO) && env_or("TERM") != "dumb";
  bool bar = !b.quiet && !b.verbose && (b.progress == "bar" || (b.progress == "auto" && tty));
  auto start = std::chrono::steady_clock::now();
  auto last_draw = start - std::chrono::seconds(1);
  int milestone = 0;
  kbuild::BuildEvents ev;
  ev.note = [&](const std::string& m) {
    if (!b.quiet) fmt::print(stderr, "{}kmeta build: {}\n", bar ? "\r\033[K" : "", m);
  };
  ev.on_line = [&](const std::string& line, const kbuild::Progress& p) {
    auto now = std::chrono::steady_clock::now();
    double elapsed = std::chrono::duration<double>(now - start).count();
    if (b.verbose) {
      fmt::print(stderr, "{}\n", line);
    } else if (bar) {
      if (now - last_draw < std::chrono::milliseconds(200)) return;
      last_draw = now;
      fmt::print(stderr, "\r\033[K{}", kbuild::render_bar(p, elapsed, 100));
    } else if (!b.quiet && p.total() > 0 && p.percent() / 25 > milestone && p.percent() < 100) {
      milestone = p.percent() / 25;
      fmt::print(stderr, "kmeta build: {}% ({}/{} objects, {} elapsed)\n", milestone * 25, p.done(),
                 p.total(), kbuild::format_duration(elapsed));
    }
  };

  struct sigaction sa {
  }, old_int{}, old_term{};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, &old_int);
  ::sigaction(SIGTERM, &sa, &old_term);
  kbuild::BuildResult res;
  Diagnostics diags;
  bool ok = kbuild::run_build(req, ev, &res, &diags);
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  if (bar) fmt::print(stderr, "\r\033[K");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!ok) {
    if (diags.has_errors()) {
      print_errors("kmeta build", diags);
      return kExitFailure;
    }
    if (res.interrupted || g_interrupted) {
      fmt::print(stderr, "kmeta build: interrupted; run `kmeta build -C {}` again to resume (log: {})\n",
                 req.objtree, res.log_path);
      return 130;
    }
    std::fputs(kbuild::render_errors(res.log_errors, res.log_path).c_str(), stderr);
    fmt::print(stderr, "kmeta build: make failed after {}; full log: {}\n", kbuild::format_duration(secs),
               res.log_path);
    return kExitFailure;
  }
  const kbuild::Manifest& m = res.manifest;
  size_t modules = 0;
  for (const auto& f : m.outputs) modules += f.name == "module";
  fmt::print(stderr, "kmeta build: {} {} in {} ({} objects compiled{}){}; {}\n", m.karch,
             m.kernel_release.empty() ? m.kernel_version : m.kernel_release, kbuild::format_duration(secs),
             m.objects_compiled, m.launcher.empty() ? "" : ", " + m.launcher,
             res.stage.empty() ? "" : fmt::format(", staged in {} ({} modules)", res.stage, modules),
             res.manifest_path);
  return kExitOk;
}

}  // namespace kmeta::cli
