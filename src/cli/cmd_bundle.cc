// `kmeta bundle`: boot artifacts from a built kernel: a module subset as a
// cpio archive with its own index, an initramfs (a base plus the modules,
// back to back or repacked), files injected into a squashfs rootfs, and a
// per-arch deploy folder. See docs/bundle.md.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "bundle/bundle.h"
#include "cli/commands.h"
#include "cli/environment.h"
#include "cli/errors.h"

namespace kmeta::cli {

int cmd_bundle(const Args& args) {
  CLI::App app{
      "Bundle a built kernel for booting: a subset of its modules (closed over dependencies and softdeps,\n"
      "checked against the .config and System.map) as a newc cpio with its own modules.dep, an initramfs\n"
      "(a base initramfs plus the modules), files injected into a squashfs rootfs, and a deploy folder\n"
      "DEPLOY/<name>/<arch>/ with a README and manifest.json. Same inputs, same bytes.",
      "kmeta bundle"};
  bundle::BundleRequest req;
  std::vector<std::string> modules, positional, lists, adds, injects;
  std::string compression = "gzip";
  bool no_deps = false, no_softdeps = false;
  std::string epoch;
  app.add_option(
      "-C,--build", req.inputs.build_dir,
      "a kernel build directory (kbuild O= layout: arch/<ARCH>/boot/<image>, System.map, .config)");
  app.add_option("--image", req.inputs.image, "the kernel image (default: from -C)");
  app.add_option("--system-map", req.inputs.system_map, "System.map (default: from -C)");
  app.add_option("--config", req.inputs.config, "the kernel's .config (default: from -C)");
  app.add_option(
      "--modules-dir", req.inputs.modules_dir,
      "the installed modules: STAGE/lib/modules/<release> (make modules_install INSTALL_MOD_PATH=STAGE)");
  app.add_option("--arch", req.inputs.arch, "x86_64, arm64 (aarch64) or arm (default: from the .config)");
  app.add_option("--kernel", req.inputs.kernel_source,
                 "the kernel source tree, to name the CONFIG_ option of a module that is not built (default: "
                 "BUILD/source)");
  app.add_option("-m,--module", modules, "a module name, name glob, path glob or =subtree (repeatable)");
  app.add_option("modules", positional, "modules, as -m");
  app.add_option("-l,--modules-list", lists, "a module list file (kernel-wedge grammar + dracut's =subtree)");
  app.add_flag("--no-deps", no_deps, "do not add dependencies (unresolved symbols are still errors)");
  app.add_flag("--no-softdeps", no_softdeps, "do not add softdep pre:/post: modules");
  app.add_option("--firmware-dir", req.subset.firmware_dir,
                 "ship the firmware the modules declare, from here");
  app.add_option("--modules-cpio", req.modules_cpio, "write the modules archive here");
  app.add_option("--base-initramfs", req.base_initramfs, "a base initramfs (gzip, xz, zstd or uncompressed)");
  app.add_option("--initramfs", req.initramfs, "write the initramfs (base + modules) here");
  app.add_flag("--repack", req.repack, "write one archive instead of the base and the modules back to back");
  app.add_option("--compress", compression,
                 "compression of the modules archive / repack: gzip, xz, zstd, none");
  app.add_option("--add", adds, "SRC:DEST[:MODE] a file for the initramfs (repeatable)");
  app.add_option("--rootfs", req.rootfs, "a squashfs root filesystem image");
  app.add_option("--rootfs-out", req.rootfs_out, "write the rootfs with the injected files here");
  app.add_option("--inject", injects,
                 "SRC:DEST[:MODE] a file for the rootfs, into an existing directory (repeatable)");
  app.add_option("--deploy", req.deploy_root, "write DEPLOY/<name>/<arch>/");
  app.add_option("--name", req.deploy_name, "the deploy folder's name");
  app.add_option("--machine", req.machine, "the machine, for the README");
  app.add_option("--append", req.boot_args, "the kernel command line the README suggests");
  app.add_option("--source-date-epoch", epoch, "clamp mtimes to this (default: $SOURCE_DATE_EPOCH, else 0)");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  Diagnostics diags;
  auto cp = bundle::parse_compression(compression);
  if (!cp) {
    fmt::print(stderr, "kmeta bundle: --compress: unknown compression '{}' (gzip, xz, zstd, none)\n",
               compression);
    return kExitUsage;
  }
  req.compression = *cp;
  req.scratch_parent = scratch_dir_parent();
  if (epoch.empty())
    if (const char* e = std::getenv("SOURCE_DATE_EPOCH")) epoch = e;
  if (!epoch.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(epoch.c_str(), &end, 10);
    if (*end || v < 0) {
      fmt::print(stderr, "kmeta bundle: SOURCE_DATE_EPOCH '{}' is not a number of seconds\n", epoch);
      return kExitUsage;
    }
    req.source_date_epoch = v;
  }
  req.subset.dependencies = !no_deps;
  req.subset.softdeps = !no_softdeps;
  modules.insert(modules.end(), positional.begin(), positional.end());
  for (const auto& m : modules) {
    bundle::ListEntry e;
    if (bundle::parse_list_line(m, Location{"<command line>"}, &e, &diags) && !e.pattern.empty())
      req.subset.entries.push_back(std::move(e));
  }
  for (const auto& l : lists)
    for (auto& e : bundle::read_list_file(l, &diags)) req.subset.entries.push_back(std::move(e));
  for (const auto& a : adds) {
    bundle::Injection i;
    if (bundle::parse_injection(a, Location{"--add " + a}, &i, &diags)) req.initramfs_adds.push_back(i);
  }
  for (const auto& a : injects) {
    bundle::Injection i;
    if (bundle::parse_injection(a, Location{"--inject " + a}, &i, &diags)) req.rootfs_adds.push_back(i);
  }
  if (req.modules_cpio.empty() && req.initramfs.empty() && req.rootfs_out.empty() &&
      req.deploy_root.empty()) {
    fmt::print(
        stderr,
        "kmeta bundle: nothing to write: give --modules-cpio, --initramfs, --rootfs-out or --deploy\n");
    return kExitUsage;
  }
  bundle::BundleResult res;
  bool ok = !diags.has_errors() && bundle::run_bundle(req, &res, &diags);
  print_errors("kmeta bundle", diags);
  if (!ok) return kExitFailure;
  if (!res.subset.modules.empty())
    fmt::print("kmeta bundle: {} modules for {} ({}), {} firmware files\n", res.subset.modules.size(),
               res.inputs.release, res.inputs.arch, res.subset.firmware.size());
  for (const auto& w : res.written) fmt::print("wrote {}\n", w);
  return kExitOk;
}

}  // namespace kmeta::cli
