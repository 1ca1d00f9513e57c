// One kernel build as a list of named steps over an O= build directory:
//
//   preflight (tree, clean for O=, .config matches, disk) -> toolchain
//   -> make <image> [modules] [dtbs] (or the given targets / M=DIR modules)
//   -> modules_install into the staging dir, System.map, .config, image copied
//   -> build.json (manifest.h)
//
// The full make output goes to BUILD/kmeta-build.log; each line is also
// handed to the caller (the CLI draws the progress bar). Interrupted or
// failed, the directory stays as make left it: running again resumes, make
// rebuilds only what is missing. The library prints nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "kbuild/arch.h"
#include "kbuild/log_errors.h"
#include "kbuild/make_driver.h"
#include "kbuild/manifest.h"
#include "kbuild/progress.h"

namespace kmeta::kbuild {

struct BuildRequest {
  std::string srctree;  // absolute
  std::string objtree;  // absolute; BUILD
  ArchInfo arch;
  std::optional<std::string> cross_compile;  // given; else Debian's prefix when cross
  std::optional<std::string> config_file;    // copied to BUILD/.config first (else BUILD/.config is used)
  std::vector<std::string> targets;          // empty: image, modules, dtbs as the config has them
  std::string module_dir;                    // external module (M=DIR): build its modules only
  bool install = true;                       // modules_install + copies into `stage`
  std::string stage;                         // default BUILD/stage
  Launcher launcher = Launcher::none;
  int jobs = 0;  // 0: jobs_for()
  int cores = 1;
  std::string host_machine;                // uname -m
  std::map<std::string, std::string> env;  // the caller's environment
  uint64_t min_free = uint64_t{1} << 30;
  bool verbose = false;
};

struct BuildEvents {
  std::function<void(const std::string& message)> note;  // "resuming ...", step names
  std::function<void(const std::string& line, const Progress& p)> on_line;
};

struct BuildResult {
  bool ok = false;
  bool interrupted = false;  // make ended by SIGINT/SIGTERM/SIGHUP
  bool resumed = false;      // the previous build in BUILD did not finish
  LogErrors log_errors;      // when make failed
  std::string log_path;
  std::string manifest_path;  // build.json (BUILD's, or the external module's)
  Manifest manifest;
  std::string stage;
};

// False + errors in *diags (preflight, toolchain, I/O; located when they have
// a place, e.g. the .config header) or, when make failed, none there and the
// log's errors in out->log_errors.
bool run_build(const BuildRequest& req, const BuildEvents& events, BuildResult* out, Diagnostics* diags);

// DIR/kmeta-build.log and DIR/build.json (DIR: BUILD, or the external module's directory).
std::string log_path(const std::string& objtree);
std::string manifest_path(const std::string& objtree);

}  // namespace kmeta::kbuild
