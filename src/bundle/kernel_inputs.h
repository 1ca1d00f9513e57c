// The inputs a bundle is made from, found in a kernel build directory (the
// kbuild O= layout `kmeta build` writes) or given one by one, and the facts
// read from them: architecture, kernel release, the symbols the kernel
// exports, the .config values.
//
// A missing input is an error that names the path looked at and the command
// that produces it ("build it first with: ...").
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "base/diagnostic.h"

namespace kmeta::bundle {

struct InputRequest {
  std::string build_dir;  // -C: a kbuild O= directory (or a directory holding image, System.map, config)
  std::string image;      // explicit inputs override what -C finds
  std::string system_map;
  std::string config;
  std::string modules_dir;    // .../lib/modules/<release>
  std::string arch;           // x86_64, arm64/aarch64, arm; default: from the .config
  std::string kernel_source;  // kernel source tree (to name the CONFIG_ of a module); default BUILD/source
  bool need_image = true;
  bool need_modules = true;
};

struct KernelInputs {
  std::string arch;  // canonical: x86_64, arm64, arm
  std::string image;
  std::string system_map;
  std::string config;
  std::string modules_dir;
  std::string kernel_source;  // "" when unknown
  std::string release;        // the kernel release the modules are for
  std::string image_release;  // "Linux version X" found in the image ("" when not found)
};

// The deploy name of the image for an arch: bzImage, Image, zImage.
std::string image_name_for_arch(const std::string& arch);
// Yocto's name of the arch directory: x86_64, aarch64, arm.
std::string deploy_arch_name(const std::string& arch);
// Canonical arch for user spellings (x86_64/x86/amd64, arm64/aarch64, arm);
// "" when unknown.
std::string canonical_arch(const std::string& arch);

// Finds and checks the inputs. Errors go to *diags; returns false when any
// required input is missing or inconsistent.
bool resolve_inputs(const InputRequest& req, KernelInputs* out, Diagnostics* diags);

// "Linux version <release> ..." in a kernel image (bzImage header pointer,
// else a scan of an uncompressed Image). "" when not found.
std::string image_release(const std::string& image_bytes);

// The symbols the kernel exports (the `__ksymtab_<name>` entries of System.map).
bool read_kernel_exports(const std::string& system_map, std::set<std::string>* out, Diagnostics* diags);

// .config values: CONFIG_FOO -> "y"/"m"/"\"str\""; "# CONFIG_FOO is not set" -> "n".
std::map<std::string, std::string> read_dotconfig_values(const std::string& text);

}  // namespace kmeta::bundle
