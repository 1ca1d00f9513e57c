#include "bundle/kernel_inputs.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>

#include "base/file_util.h"
#include "base/strings.h"

namespace fs = std::filesystem;

namespace kmeta::bundle {

std::string canonical_arch(const std::string& a) {
  if (a == "x86_64" || a == "x86" || a == "amd64") return "x86_64";
  if (a == "arm64" || a == "aarch64") return "arm64";
  if (a == "arm" || a == "armhf" || a == "armel") return "arm";
  return "";
}

std::string image_name_for_arch(const std::string& arch) {
  if (arch == "x86_64") return "bzImage";
  if (arch == "arm64") return "Image";
  if (arch == "arm") return "zImage";
  return "";
}

std::string deploy_arch_name(const std::string& arch) { return arch == "arm64" ? "aarch64" : arch; }

static std::string srcarch(const std::string& arch) { return arch == "x86_64" ? "x86" : arch; }

std::map<std::string, std::string> read_dotconfig_values(const std::string& text) {
  std::map<std::string, std::string> v;
  for (std::string_view line : split_lines(text)) {
    line = trim(line);
    if (starts_with(line, "CONFIG_")) {
      size_t eq = line.find('=');
      if (eq != std::string_view::npos) v[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    } else if (starts_with(line, "# CONFIG_") && ends_with(line, " is not set")) {
      v[std::string(line.substr(2, line.size() - 2 - 11))] = "n";
    }
  }
  return v;
}

static std::string arch_from_config(const std::string& text) {
  // "# Linux/arm64 6.12.118 Kernel Configuration"
  size_t p = text.find("# Linux/");
  if (p != std::string::npos) {
    size_t e = text.find(' ', p + 8);
    if (e != std::string::npos) {
      std::string a = canonical_arch(text.substr(p + 8, e - p - 8));
      if (!a.empty()) return a;
    }
  }
  auto v = read_dotconfig_values(text);
  if (v["CONFIG_X86_64"] == "y") return "x86_64";
  if (v["CONFIG_ARM64"] == "y") return "arm64";
  if (v["CONFIG_ARM"] == "y") return "arm";
  return "";
}

std::string image_release(const std::string& image_bytes) {
  // x86 boot protocol: "HdrS" at 0x202, kernel_version pointer at 0x20e (+0x200).
  if (image_bytes.size() > 0x210 && image_bytes.compare(0x202, 4, "HdrS") == 0) {
    unsigned off = static_cast<unsigned char>(image_bytes[0x20e]) |
                   (static_cast<unsigned char>(image_bytes[0x20f]) << 8);
    size_t at = size_t(off) + 0x200;
    if (off != 0 && at < image_bytes.size()) {
      size_t end = image_bytes.find_first_of(std::string_view(" \0", 2), at);
      if (end != std::string::npos) return image_bytes.substr(at, end - at);
    }
  }
  static const char kTag[] = "Linux version ";
  size_t p = image_bytes.find(kTag);
  if (p == std::string::npos) return "";
  p += sizeof kTag - 1;
  size_t end = image_bytes.find_first_of(std::string_view(" \0", 2), p);
  if (end == std::string::npos || end - p > 64) return "";
  return image_bytes.substr(p, end - p);
}

bool read_kernel_exports(const std::string& system_map, std::set<std::string>* out, Diagnostics* diags) {
  std::string err;
  auto text = read_file(system_map, &err);
  if (!text) {
    diags->error(Location{system_map}, fmt::format("cannot read System.map: {}", err));
    return false;
  }
  int lineno = 0;
  for (std::string_view line : split_lines(*text)) {
    ++lineno;
    // "ffffffff81470690 r __ksymtab_BUG_func"
    size_t a = line.find(' ');
    size_t b = a == std::string_view::npos ? a : line.find(' ', a + 1);
    if (b == std::string_view::npos) {
      if (!trim(line).empty()) {
        diags->error(Location{system_map, lineno}, "not a System.map line (expected 'ADDRESS TYPE NAME')");
        return false;
      }
      continue;
    }
    std::string_view name = line.substr(b + 1);
    if (starts_with(name, "__ksymtab_")) out->insert(std::string(name.substr(10)));
  }
  return true;
}

namespace {
struct Finder {
  const InputRequest& req;
  Diagnostics* diags;
  bool ok = true;

  std::string build_hint(const std::string& what) const {
    std::string dir = req.build_dir.empty() ? "BUILD" : req.build_dir;
    return fmt::format("build it first with: kmeta build -o {} (it writes {})", dir, what);
  }
  void missing(const std::string& what, const std::string& looked, const std::string& hint) {
    diags->error(Location{}, fmt::format("{} not found at {}. {}", what, looked, hint));
    ok = false;
  }
  // The explicit path when given (must exist), else the first candidate under -C.
  std::string pick(const std::string& explicit_path, const std::vector<std::string>& rel,
                   const std::string& what, const std::string& hint, bool required) {
    if (!explicit_path.empty()) {
      if (!file_exists(explicit_path)) {
        if (required) missing(what, explicit_path, hint);
        return "";
      }
      return explicit_path;
    }
    if (req.build_dir.empty()) {
      if (required) {
        diags->error(Location{},
                     fmt::format("no {} given: pass -C BUILD or the explicit option. {}", what, hint));
        ok = false;
      }
      return "";
    }
    for (const auto& r : rel)
      if (file_exists(req.build_dir + "/" + r)) return req.build_dir + "/" + r;
    if (required) missing(what, req.build_dir + "/" + rel.front(), hint);
    return "";
  }
};
}  // namespace

bool resolve_inputs(const InputRequest& req, KernelInputs* out, Diagnostics* diags) {
  Finder f{req, diags};
  if (!req.build_dir.empty() && !is_directory(req.build_dir)) {
    diags->error(Location{},
                 fmt::format("build directory {} does not exist. build it first with: kmeta build -o {}",
                             req.build_dir, req.build_dir));
    return false;
  }
  out->config = f.pick(req.config, {".config", "config"}, "kernel .config", f.build_hint(".config"), true);
  std::string config_text;
  if (!out->config.empty()) config_text = read_file(out->config).value_or("");
  std::string arch = req.arch.empty() ? arch_from_config(config_text) : canonical_arch(req.arch);
  if (arch.empty()) {
    diags->error(Location{out->config.empty() ? req.arch : out->config},
                 req.arch.empty()
                     ? "cannot tell the architecture from the .config: pass --arch"
                     : fmt::format("unknown architecture '{}' (known: x86_64, arm64, arm)", req.arch));
    return false;
  }
  out->arch = arch;
  std::string img = image_name_for_arch(arch);
  if (req.need_image)
    out->image = f.pick(req.image, {"arch/" + srcarch(arch) + "/boot/" + img, img}, "kernel image",
                        f.build_hint("arch/" + srcarch(arch) + "/boot/" + img), true);
  out->system_map =
      f.pick(req.system_map, {"System.map"}, "System.map", f.build_hint("System.map"), req.need_modules);

  // The release: include/config/kernel.release of a kbuild dir, else the
  // modules directory's name, else the image's version string.
  std::string release;
  if (!req.build_dir.empty())
    if (auto r = read_file(req.build_dir + "/include/config/kernel.release")) release = std::string(trim(*r));
  if (!out->image.empty()) {
    if (auto bytes = read_file(out->image)) out->image_release = image_release(*bytes);
  }
  if (req.need_modules) {
    std::string md = req.modules_dir;
    if (md.empty() && !req.build_dir.empty()) {
      std::vector<std::string> roots = {"", "modules/", "stage/", "modules-stage/", "staging/"};
      std::vector<std::string> rels;
      if (!release.empty()) rels.push_back(release);
      if (!out->image_release.empty()) rels.push_back(out->image_release);
      for (const auto& root : roots) {
        for (const auto& rel : rels)
          if (std::string dir = str_cat({req.build_dir, "/", root, "lib/modules/", rel}); is_directory(dir)) {
            md = std::move(dir);
            break;
          }
        if (!md.empty()) break;
        // One release directory under <root>lib/modules: take it.
        std::error_code ec;
        std::string base = req.build_dir + "/" + root + "lib/modules";
        std::vector<std::string> found;
        if (is_directory(base))
          for (const auto& d : fs::directory_iterator(base, ec))
            if (d.is_directory()) found.push_back(d.path().string());
        if (found.size() == 1) {
          md = found[0];
          break;
        }
      }
      if (md.empty()) {
        f.missing(
            "modules directory", req.build_dir + "/lib/modules/<release>",
            fmt::format("install the modules first with: make O={} modules_install INSTALL_MOD_PATH=STAGE "
                        "(or kmeta build -o {}), then pass --modules-dir STAGE/lib/modules/<release>",
                        req.build_dir, req.build_dir));
      }
    } else if (md.empty()) {
      f.missing("modules directory", "(none given)",
                "pass --modules-dir STAGE/lib/modules/<release> or -C BUILD");
    } else if (!is_directory(md)) {
      f.missing(
          "modules directory", md,
          "install the modules first with: make modules_install INSTALL_MOD_PATH=STAGE (or kmeta build)");
      md.clear();
    }
    while (md.size() > 1 && md.back() == '/') md.pop_back();
    out->modules_dir = md;
    if (!md.empty()) {
      std::string dir_release = fs::path(md).filename().string();
      if (release.empty()) release = dir_release;
      if (!file_exists(md + "/modules.dep"))
        f.missing("modules.dep", md + "/modules.dep",
                  "make modules_install writes it (it runs depmod; install Debian's kmod), or run: depmod -b "
                  "STAGE " +
                      dir_release);
    }
  }
  if (release.empty()) release = out->image_release;
  out->release = release;
  if (!out->image_release.empty() && !release.empty() && out->image_release != release) {
    diags->error(Location{out->image},
                 fmt::format("the image is Linux {} but the modules are for {}: they do not "
                             "belong together",
                             out->image_release, release));
    f.ok = false;
  }
  std::string src = req.kernel_source;
  if (src.empty() && !req.build_dir.empty() && is_directory(req.build_dir + "/source"))
    src = req.build_dir + "/source";
  out->kernel_source = src;
  return f.ok;
}

}  // namespace kmeta::bundle
