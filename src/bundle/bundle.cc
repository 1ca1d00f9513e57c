#include "bundle/bundle.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "base/file_util.h"
#include "bundle/deploy.h"
#include "bundle/initramfs.h"

namespace fs = std::filesystem;

namespace kmeta::bundle {

namespace {

const char* initramfs_file_name(Compression c) {
  switch (c) {
    case Compression::none: return "initramfs.cpio";
    case Compression::gzip: return "initramfs.cpio.gz";
    case Compression::xz: return "initramfs.cpio.xz";
    case Compression::zstd: return "initramfs.cpio.zst";
  }
  return "initramfs.cpio";
}
}  // namespace

bool run_bundle(const BundleRequest& req, BundleResult* res, Diagnostics* diags) {
  bool want_modules = !req.subset.entries.empty();
  bool want_deploy = !req.deploy_root.empty();
  InputRequest ir = req.inputs;
  ir.need_modules = want_modules;
  ir.need_image = want_deploy;
  if (want_deploy && req.deploy_name.empty()) {
    diags->error(Location{}, "--deploy needs --name (the folder is DEPLOY/<name>/<arch>)");
    return false;
  }
  if (!req.base_initramfs.empty() && !file_exists(req.base_initramfs))
    diags->error(Location{},
                 fmt::format("Initramfs not found at {}. Build it first (e.g. with the distribution's "
                             "initramfs tool) or leave out --base-initramfs",
                             req.base_initramfs));
  if (!req.rootfs.empty() && !file_exists(req.rootfs))
    diags->error(Location{},
                 fmt::format("Rootfs not found at {}. Build it first (e.g. mksquashfs or tar2sqfs) or "
                             "leave out --rootfs",
                             req.rootfs));
  if (!req.rootfs_adds.empty() && req.rootfs.empty())
    diags->error(Location{}, "--inject needs --rootfs IMAGE to inject into");
  if (!resolve_inputs(ir, &res->inputs, diags) || diags->has_errors()) return false;
  const KernelInputs& in = res->inputs;
  auto config = read_dotconfig_values(read_file(in.config).value_or(""));

  // Modules: select, close, check, stage with their own index.
  ScratchDir scratch(req.scratch_parent, "kmeta-bundle");
  if (scratch.path().empty()) {
    diags->error(Location{}, "cannot create a scratch directory under " + req.scratch_parent);
    return false;
  }
  std::vector<CpioEntry> member;
  if (want_modules) {
    if (!select_modules(in, req.subset, &res->subset, diags)) return false;
    std::string stage = scratch.path() + "/stage";
    if (!stage_subset(in, res->subset, stage, diags)) return false;
    std::string err;
    if (!collect_tree(stage, "", &member, &err)) {
      diags->error(Location{stage}, err);
      return false;
    }
  }
  for (const Injection& a : req.initramfs_adds) {
    CpioEntry e;
    e.path = a.dest;
    e.source = a.source;
    e.mode = a.mode;
    struct stat st {};
    if (::stat(a.source.c_str(), &st) == 0) e.mtime = st.st_mtime;
    member.push_back(std::move(e));
  }
  std::string modules_bytes;
  bool have_member = !member.empty();
  if (have_member) {
    std::string err;
    if (!write_cpio(member, req.compression, req.source_date_epoch, &modules_bytes, &err)) {
      diags->error(Location{}, "writing the modules archive: " + err);
      return false;
    }
    res->modules_cpio_size = modules_bytes.size();
  }

  // The initramfs.
  std::string initramfs;
  Compression initramfs_compression = req.compression;
  if (!req.base_initramfs.empty()) {
    std::string err;
    auto base = read_file(req.base_initramfs, &err);
    if (!base) {
      diags->error(Location{req.base_initramfs}, "cannot read: " + err);
      return false;
    }
    BaseInitramfs info;
    if (!read_initramfs(req.base_initramfs, *base, req.repack, &info, diags)) return false;
    if (!check_decompressor(info.compression, config, in.config, "the base initramfs " + req.base_initramfs,
                            diags))
      return false;
    if (req.repack) {
      std::vector<CpioEntry> all = std::move(info.contents);
      for (auto& e : member) all.push_back(e);
      if (!write_cpio(std::move(all), req.compression, req.source_date_epoch, &initramfs, &err)) {
        diags->error(Location{}, "repacking the initramfs: " + err);
        return false;
      }
    } else {
      initramfs_compression = info.compression;
      initramfs = have_member ? concat_members({*base, modules_bytes}) : *base;
    }
  } else {
    initramfs = modules_bytes;
  }
  if (have_member && !check_decompressor(req.compression, config, in.config, "the modules archive", diags))
    return false;
  res->initramfs_size = initramfs.size();

  auto write_out = [&](const std::string& path, const std::string& bytes) {
    std::string err;
    if (!write_file_atomic(path, bytes, &err)) {
      diags->error(Location{path}, "cannot write: " + err);
      return false;
    }
    res->written.push_back(path);
    return true;
  };
  if (!req.modules_cpio.empty()) {
    if (!have_member) {
      diags->error(Location{}, "--modules-cpio needs modules to ship (names, globs or --modules-list)");
      return false;
    }
    if (!write_out(req.modules_cpio, modules_bytes)) return false;
  }
  if (!req.initramfs.empty()) {
    if (initramfs.empty()) {
      diags->error(Location{}, "--initramfs needs a --base-initramfs, modules or --add files");
      return false;
    }
    if (!write_out(req.initramfs, initramfs)) return false;
  }
  if (!req.rootfs.empty() && !req.rootfs_out.empty()) {
    if (!inject_squashfs(req.rootfs, req.rootfs_out, req.rootfs_adds, req.source_date_epoch, diags))
      return false;
    res->written.push_back(req.rootfs_out);
  }

  if (want_deploy) {
    DeployRequest d;
    d.root = req.deploy_root;
    d.name = req.deploy_name;
    d.arch = deploy_arch_name(in.arch);
    d.machine = req.machine;
    d.kernel_release = in.release;
    d.config_path = in.config;
    d.boot_args = req.boot_args;
    d.source_date_epoch = req.source_date_epoch;
    d.files.push_back({image_name_for_arch(in.arch), in.image, "", "kernel image"});
    // The initramfs is named by the compression of its first member.
    if (!initramfs.empty())
      d.files.push_back({initramfs_file_name(initramfs_compression), "", initramfs, "initramfs"});
    for (const auto& m : res->subset.modules) d.modules.push_back(m.relpath);
    nlohmann::json inputs = {{"image", in.image}, {"config", in.config}};
    if (!in.system_map.empty()) inputs["system_map"] = in.system_map;
    if (!in.modules_dir.empty()) inputs["modules_dir"] = in.modules_dir;
    if (!req.base_initramfs.empty()) inputs["base_initramfs"] = req.base_initramfs;
    if (!req.rootfs.empty()) inputs["rootfs"] = req.rootfs;
    nlohmann::json adds = nlohmann::json::array();
    for (const auto& a : req.initramfs_adds)
      adds.push_back(fmt::format("{}:{}:{:04o}", a.source, a.dest, a.mode));
    if (!adds.empty()) inputs["initramfs_add"] = adds;
    nlohmann::json inj = nlohmann::json::array();
    for (const auto& a : req.rootfs_adds)
      inj.push_back(fmt::format("{}:{}:{:04o}", a.source, a.dest, a.mode));
    if (!inj.empty()) inputs["rootfs_inject"] = inj;
    d.inputs = inputs;
    if (!req.rootfs.empty())
      d.fill = [&](const std::string& dir) {
        return inject_squashfs(req.rootfs, dir + "/rootfs.img", req.rootfs_adds, req.source_date_epoch,
                               diags);
      };
    std::string dir;
    if (!write_deploy(d, &dir, diags)) return false;
    res->written.push_back(dir);
  }
  return true;
}

}  // namespace kmeta::bundle
