// The kernel's own kbuild, driven: the `make -C SRC O=BUILD ARCH=...
// CROSS_COMPILE=... -jN targets` command line and its environment, built as
// data (so tests compare it), then run with its output streamed.
//
// Reproducible by default: KBUILD_BUILD_TIMESTAMP from SOURCE_DATE_EPOCH (or
// the tree's commit date, or its top Makefile's mtime), fixed
// KBUILD_BUILD_USER / HOST, KBUILD_BUILD_VERSION=1 (otherwise the .version
// counter in BUILD bumps the image at every relink). Compiler launchers go in
// through kbuild's own CC variable: ccache, distcc, both (ccache with
// CCACHE_PREFIX=distcc), or icecc; HOSTCC gets ccache only (host programs
// are few, and tools/objtool fails when compiled from distcc's preprocessed
// source). Nothing here reimplements kbuild.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kbuild/arch.h"
#include "kbuild/toolchain.h"

namespace kmeta::kbuild {

enum class Launcher { none, ccache, distcc, ccache_distcc, icecc };
const char* to_string(Launcher l);

struct MakeOptions {
  std::string srctree, objtree;  // absolute
  ArchInfo arch;
  Toolchain toolchain;
  Launcher launcher = Launcher::none;
  int jobs = 1;
  std::map<std::string, std::string> base_env;  // the caller's environment
  int64_t source_date_epoch = 0;
  std::string build_user = "kmeta", build_host = "kmeta";
  bool verbose = false;  // V=1
};

struct MakeCommand {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
};

// `make -C SRC O=BUILD ARCH=... [CROSS_COMPILE=...] [CC=... HOSTCC=...] -jN [vars] targets`.
MakeCommand make_command(const MakeOptions& o, const std::vector<std::string>& targets,
                         const std::vector<std::pair<std::string, std::string>>& vars = {});

// The reproducibility variables make_command() sets.
std::map<std::string, std::string> reproducible_env(const MakeOptions& o);

// KBUILD_BUILD_TIMESTAMP for an epoch, as `date -u -d @EPOCH` prints it.
std::string format_timestamp(int64_t epoch);

// Where the timestamp comes from: $SOURCE_DATE_EPOCH, else the commit date
// of HEAD when `srctree` is a git checkout (git log -1 --format=%ct), else
// the mtime of srctree/Makefile (a release tarball keeps it). `*source`
// names which one was used.
int64_t source_date_epoch(const std::string& srctree, const std::map<std::string, std::string>& env,
                          std::string* source);

// -j: `cores` locally; the engine's own number for distcc (`distcc -j`,
// which sizes from DISTCC_HOSTS); 4 x cores for icecc (its scheduler spreads
// them). `given` > 0 wins.
int jobs_for(Launcher l, int cores, int given, const std::map<std::string, std::string>& env);

// Cores this process may run on (sched_getaffinity).
int available_cores();

}  // namespace kmeta::kbuild
