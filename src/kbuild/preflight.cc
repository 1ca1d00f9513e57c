#include "kbuild/preflight.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/strings.h"

namespace kmeta::kbuild {

namespace fs = std::filesystem;

std::optional<kbuild::KernelVersion> check_kernel_tree(const std::string& srctree, Diagnostics* diags) {
  if (!is_directory(srctree)) {
    diags->error({}, fmt::format("kernel source tree {} does not exist (give --kernel SRC)", srctree));
    return std::nullopt;
  }
  Diagnostics version_diags;
  auto v = kbuild::read_kernel_version(srctree, &version_diags);
  if (!v || !file_exists(srctree + "/Kconfig")) {
    std::string why;
    if (!v) {
      const Diagnostic& d = version_diags.items().front();
      why = ": " + d.where.str() + ": " + d.message;
    }
    diags->error(
        {},
        fmt::format("{} is not a kernel source tree (no top Makefile with VERSION/PATCHLEVEL and Kconfig{})",
                    srctree, why));
    return std::nullopt;
  }
  return v;
}

bool check_clean_for_o(const std::string& srctree, const std::string& srcarch, Diagnostics* diags) {
  for (std::string rel :
       {std::string(".config"), std::string("include/config"), "arch/" + srcarch + "/include/generated"}) {
    std::error_code ec;
    if (fs::exists(str_cat({srctree, "/", rel}), ec)) {
      diags->error({}, fmt::format("{} is not clean for an O= build: it has {} from a build inside the tree; "
                                   "run `make -C {} mrproper` (or use a clean copy)",
                                   srctree, rel, srctree));
      return false;
    }
  }
  return true;
}

bool check_config_matches(const std::string& config_name, const std::string& config_text,
                          const ArchInfo& arch, const kbuild::KernelVersion& version, Diagnostics* diags) {
  int n = 0;
  for (std::string_view line : split_lines(config_text)) {
    ++n;
    if (n > 10) break;
    if (!starts_with(line, "# Linux/")) continue;
    std::vector<std::string_view> words;
    for (std::string_view w : split(line.substr(8), ' '))
      if (!w.empty()) words.push_back(w);
    if (words.size() < 2) return true;
    std::string cfg_arch(words[0]), cfg_version(words[1]);
    bool ok = true;
    std::string want_src = arch.srcarch;
    std::string have_src = srcarch_of(cfg_arch);
    if (have_src != want_src) {
      diags->error(
          {FileName(config_name), n, 0},
          fmt::format("this .config is for ARCH={}, not {}: configure for {} (kmeta config --arch {})",
                      cfg_arch, arch.name, arch.name, arch.name));
      ok = false;
    }
    if (cfg_version != version.str()) {
      diags->error(
          {FileName(config_name), n, 0},
          fmt::format("this .config was made for Linux {}, the kernel tree is {}: run kmeta config again "
                      "for this tree (or `make olddefconfig`)",
                      cfg_version, version.str()));
      ok = false;
    }
    return ok;
  }
  return true;
}

bool check_disk_space(const std::string& dir, uint64_t min_free, Diagnostics* diags) {
  fs::path p = fs::absolute(dir);
  std::error_code ec;
  while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
  struct statvfs s;
  if (::statvfs(p.c_str(), &s) != 0) return true;  // cannot tell: let make find out
  uint64_t avail = static_cast<uint64_t>(s.f_bavail) * s.f_frsize;
  if (avail < min_free) {
    diags->error(
        {}, fmt::format("only {} MiB free on {} (the build needs at least {} MiB; --min-free-mb to change)",
                        avail >> 20, p.string(), min_free >> 20));
    return false;
  }
  return true;
}

}  // namespace kmeta::kbuild
