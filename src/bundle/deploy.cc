#include "bundle/deploy.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "base/strings.h"

namespace fs = std::filesystem;

namespace kmeta::bundle {

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

static std::string qemu_line(const std::string& arch, const std::string& image, const std::string& initrd,
                             const std::string& args) {
  if (arch == "x86_64")
    return fmt::format(
        "qemu-system-x86_64 -M pc -m 256 -nographic -no-reboot -kernel {} -initrd {} -append '{}'", image,
        initrd, args.empty() ? "console=ttyS0 panic=-1" : args);
  if (arch == "aarch64")
    return fmt::format(
        "qemu-system-aarch64 -M virt -cpu cortex-a57 -m 256 -nographic -no-reboot -kernel {} -initrd {} "
        "-append '{}'",
        image, initrd, args.empty() ? "console=ttyAMA0 panic=-1" : args);
  return fmt::format(
      "qemu-system-arm -M virt -m 256 -nographic -no-reboot -kernel {} -initrd {} -append '{}'", image,
      initrd, args.empty() ? "console=ttyAMA0 panic=-1" : args);
}

static std::string readme(const DeployRequest& req, const nlohmann::json& files) {
  std::string image, initrd, rootfs;
  for (const auto& f : req.files) {
    if (f.role == "kernel image") image = f.name;
    if (f.role == "initramfs") initrd = f.name;
    if (f.role == "rootfs") rootfs = f.name;
  }
  std::string s = fmt::format("# {} for {}{}\n\n", req.name, req.arch,
                              req.machine.empty() ? "" : fmt::format(" (machine {})", req.machine));
  s += fmt::format("Boot artifacts for Linux {} on {}, made by `kmeta bundle`.\n\n", req.kernel_release,
                   req.arch);
  s += "| file | what | bytes | sha256 |\n|---|---|---|---|\n";
  for (const auto& f : files)
    s += fmt::format("| {} | {} | {} | {} |\n", f["name"].get<std::string>(), f["role"].get<std::string>(),
                     f["size"].get<uint64_t>(), f["sha256"].get<std::string>());
  s += "\n## Boot flow\n\n";
  s += fmt::format("1. The boot loader (or QEMU's -kernel) starts `{}`.\n", image);
  if (!initrd.empty())
    s += fmt::format(
        "2. The kernel unpacks `{}` into its rootfs (archives back to back: a later file replaces an earlier "
        "one); "
        "the modules are under /lib/modules/{} with their own modules.dep, so modprobe works from it.\n",
        initrd, req.kernel_release);
  if (!rootfs.empty())
    s += fmt::format("3. The init mounts `{}` (squashfs) as the root filesystem and switches to it.\n",
                     rootfs);
  if (!req.modules.empty()) {
    s += fmt::format("\n## Modules ({})\n\n", req.modules.size());
    for (const auto& m : req.modules) s += "- " + m + "\n";
  }
  if (!initrd.empty()) s += "\n## Try it\n\n    " + qemu_line(req.arch, image, initrd, req.boot_args) + "\n";
  return s;
}

bool write_deploy(const DeployRequest& req, std::string* dir_out, Diagnostics* diags) {
  std::string parent = req.root + "/" + req.name;
  std::string dir = parent + "/" + req.arch;
  // Built in a new directory of an unpredictable name (never a planted one or
  // a symlink), then swapped in whole.
  std::error_code ec;
  std::string mkerr;
  std::string tmp = create_temp_dir_beside(dir, &mkerr);
  if (tmp.empty()) {
    diags->error(Location{parent}, "cannot create the deploy folder: " + mkerr);
    return false;
  }
  auto fail = [&](const std::string& where, const std::string& msg) {
    diags->error(Location{where}, msg);
    fs::remove_all(tmp, ec);
    return false;
  };
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : req.files) {
    std::string bytes;
    if (!f.source.empty()) {
      std::string err;
      auto b = read_file(f.source, &err);
      if (!b) return fail(f.source, "cannot read: " + err);
      bytes = std::move(*b);
    } else {
      bytes = f.data;
    }
    std::string err;
    if (!write_file_atomic(tmp + "/" + f.name, bytes, &err)) return fail(tmp + "/" + f.name, err);
    files.push_back(
        {{"name", f.name}, {"role", f.role}, {"size", bytes.size()}, {"sha256", sha256_hex(bytes)}});
  }
  if (req.fill && !req.fill(tmp)) {
    fs::remove_all(tmp, ec);
    return false;
  }
  // Files the hook wrote (the rootfs), described like the others.
  std::vector<std::string> extra;
  for (const auto& e : fs::directory_iterator(tmp, ec)) {
    std::string n = e.path().filename().string();
    bool known = false;
    for (const auto& f : req.files) known = known || f.name == n;
    if (!known) extra.push_back(n);
  }
  std::sort(extra.begin(), extra.end());
  for (const auto& n : extra) {
    const std::string path = str_cat({tmp, "/", n});
    auto b = read_file(path);
    if (!b) return fail(path, "cannot read back");
    files.push_back({{"name", n},
                     {"role", n == "rootfs.img" ? "rootfs" : "file"},
                     {"size", b->size()},
                     {"sha256", sha256_hex(*b)}});
  }
  std::string config = read_file(req.config_path).value_or("");
  nlohmann::json manifest = {
      {"name", req.name},
      {"arch", req.arch},
      {"machine", req.machine},
      {"kernel_release", req.kernel_release},
      {"config_sha256", sha256_hex(config)},
      {"source_date_epoch", req.source_date_epoch},
      {"files", files},
      {"modules", req.modules},
      {"inputs", req.inputs},
  };
  DeployRequest with_rootfs = req;
  for (const auto& n : extra) with_rootfs.files.push_back({n, "", "", n == "rootfs.img" ? "rootfs" : "file"});
  std::string err;
  if (!write_file_atomic(tmp + "/manifest.json", json_dump(manifest, 2) + "\n", &err) ||
      !write_file_atomic(tmp + "/README", readme(with_rootfs, files), &err))
    return fail(tmp, err);
  // Swap the new folder in whole.
  if (is_directory(dir)) {
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0)
      return fail(dir, std::string("cannot replace the deploy folder: ") + std::strerror(errno));
    fs::remove_all(tmp, ec);
  } else if (::rename(tmp.c_str(), dir.c_str()) != 0) {
    return fail(dir, std::string("cannot move the deploy folder into place: ") + std::strerror(errno));
  }
  *dir_out = dir;
  return true;
}

}  // namespace kmeta::bundle
