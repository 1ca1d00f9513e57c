// The environment the kernel's top Makefile gives scripts/kconfig/conf.
//
// `make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- defconfig` does not just
// run conf: it exports ~100 variables first, and the Kconfig tree reads some
// of them through $(NAME) (ARCH, SRCARCH, KERNELVERSION, CC, LD, RUSTC,
// CC_VERSION_TEXT, ...) while the $(shell) probes of scripts/Kconfig.include
// read others from their environment (rust_is_available.sh reads $RUSTC,
// $BINDGEN, $CC). Getting one of them wrong changes .config, so this file
// derives them from the kernel tree the way the Makefiles do:
//
//   * ARCH -> SRCARCH from the `ifeq ($(ARCH),x) SRCARCH := y` blocks of the
//     top Makefile; SUBARCH from the host machine (scripts/subarch.include);
//   * KERNELVERSION from VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION;
//   * the tool variables (CC = $(CROSS_COMPILE)gcc, ... or the LLVM= set),
//     with the CROSS_COMPILE auto-detection some arch Makefiles do, and
//     CLANG_FLAGS (scripts/Makefile.clang) for clang;
//   * CC_VERSION_TEXT / RUSTC_VERSION_TEXT by running the same command the
//     Makefile runs (through a caller-supplied runner, so a probe cache can
//     answer it);
//   * KBUILD_DEFCONFIG (arch Makefile) and KCONFIG_DEFCONFIG_LIST
//     (scripts/kconfig/Makefile);
//   * what the Makefile removes (LC_ALL, GREP_OPTIONS, CONFIG_).
// Which variables exist at all (RUSTC_VERSION_TEXT is 6.12-only, CARGO
// 6.1-only) is read from the tree's `export` lines, not from a version table.
//
// The findings were checked against the environment a wrapper `conf` received
// from the real `make ... defconfig` of 6.1 and 6.12 (kernel_env_test.cc).
// Compiler flag variables (KBUILD_CFLAGS, ...) are not derived: neither the
// Kconfig files nor the scripts they run read them.
//
// Pure library code: the caller supplies the host facts (uname) and its own
// environment; nothing here reads the process environment.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "kconfig/dialect.h"
#include "kconfig/model.h"

namespace kmeta {
class FileSystem;
}

namespace kmeta::kbuild {

// Host facts the Makefiles read through `uname`.
struct HostInfo {
  std::string machine;  // uname -m, e.g. "x86_64"
  std::string release;  // uname -r
};

struct KernelVersion {
  // As written in the Makefile ("6", "12", "117", "" / "-rc3").
  std::string version, patchlevel, sublevel, extraversion;
  int major() const;
  int minor() const;
  // KERNELVERSION as the Makefile computes it: "6.12.117", "6.1.0-rc3".
  std::string str() const;
};

// Reads VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION from `srctree`/Makefile.
// nullopt + an error located at the Makefile when it cannot be read or has
// no VERSION/PATCHLEVEL.
std::optional<KernelVersion> read_kernel_version(const std::string& srctree, Diagnostics* diags);
std::optional<KernelVersion> read_kernel_version(FileSystem& fs, const std::string& srctree,
                                                 Diagnostics* diags);

// SUBARCH for a `uname -m` value, as scripts/subarch.include maps it.
std::string subarch_for_machine(const std::string& machine);

// Finds `name` in a PATH value (":"-separated) as `command -v` would: names
// containing '/' are taken as they are. Empty when not found/executable.
std::string find_program(const std::string& name, const std::string& path_var);

// Runs a shell command (sh -c) and returns its raw stdout. Used for the two
// commands the Makefile runs itself (CC_VERSION_TEXT, RUSTC_VERSION_TEXT).
using CommandRunner =
    std::function<bool(const std::string& command, std::string* output, std::string* error)>;

struct KernelEnvOptions {
  std::string srctree;  // kernel source (absolute path)
  std::string objtree;  // O= directory (absolute); empty = build in srctree
  std::string arch;     // ARCH as users pass it (x86_64, arm64, ...); empty = host
  // Variables given on make's command line (CROSS_COMPILE, LLVM, CC, LD,
  // KCONFIG_CONFIG, KBUILD_DEFCONFIG, ...). They override the Makefiles'
  // assignments and are exported, exactly like `make NAME=value`.
  std::map<std::string, std::string> make_vars;
  HostInfo host;
  // The caller's environment (PATH, HOME, ...): conf inherits it, minus what
  // the Makefile unexports, plus what it exports. The variables the Makefiles
  // honour from the environment (ARCH, CROSS_COMPILE, LLVM, KCONFIG_CONFIG,
  // KBUILD_KCONFIG) are taken from here when not in make_vars/arch.
  std::map<std::string, std::string> base_env;
  // Where the tree's Makefiles, arch/ and the objtree's kernel.release are
  // read; null = the disk. (Programs are still looked up on the real PATH.)
  FileSystem* files = nullptr;
};

struct KernelEnv {
  KernelVersion version;
  kconfig::Dialect dialect = kconfig::Dialect::v6_12;  // dialect_from_makefile() of the top Makefile
  std::string arch;                                    // ARCH (as exported)
  std::string srcarch;                                 // arch/<srcarch>
  std::string subarch;                                 // the host's arch
  bool cross_compiling = false;                        // as scripts/kconfig/Makefile sees it
  std::string cross_compile;                           // CROSS_COMPILE after auto-detection
  bool clang = false;                                  // CC_VERSION_TEXT mentions clang
  std::string kbuild_defconfig;                        // e.g. "x86_64_defconfig"
  std::string kconfig;                                 // the Kconfig file conf is given ("Kconfig")
  std::string srctree, objtree;                        // absolute; conf runs in objtree

  // The variables the Makefiles export to conf, in a stable order.
  std::vector<std::pair<std::string, std::string>> exported;
  // Variables the Makefiles remove from conf's environment.
  std::vector<std::string> unexported;
  // base_env + exported - unexported: conf's whole environment.
  std::map<std::string, std::string> env;

  // "arch/<srcarch>/configs/<kbuild_defconfig>": what `make defconfig` uses.
  std::string defconfig_path() const { return "arch/" + srcarch + "/configs/" + kbuild_defconfig; }
  // An exported variable's value, or nullptr.
  const std::string* get(const std::string& name) const;
};

// Derives conf's environment. `run` executes the CC_VERSION_TEXT /
// RUSTC_VERSION_TEXT commands (pass a probe cache to avoid spawning). Fails
// with a message for an unknown ARCH or an unreadable tree.
bool derive_kernel_env(const KernelEnvOptions& options, const CommandRunner& run, KernelEnv* out,
                       std::string* error);

// One `export NAME='value'` line per exported variable, then `unset NAME`
// lines: sourceable by sh, used by the differential sweep and `kmeta kconfig env`.
std::string format_env_sh(const KernelEnv& env);

// sh single-quoting: 'it'\''s'.
std::string sh_quote(const std::string& s);

// What GNU make's $(shell) does to command output: every newline becomes a
// space, except trailing newlines, which are dropped.
std::string make_shell_output(std::string raw);

}  // namespace kmeta::kbuild
