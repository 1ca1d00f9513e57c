// BUILD/build.json: what went into a build and what came out. Inputs (kernel
// version and release, config sha256, architecture, toolchain and its
// version, the make command lines and the reproducibility variables),
// outputs (path relative to the build directory, size, sha256, sorted by
// path) and timings per step. Written atomically at the end of a build; the
// next build reads the object count back for its progress estimate.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::kbuild {

struct OutputFile {
  std::string name;  // what it is: "image", "vmlinux", "System.map", "config", "module", "dtb", ...
  std::string path;  // relative to the build directory
  uint64_t size = 0;
  std::string sha256;
};

struct StepTiming {
  std::string step;
  double seconds = 0;
};

struct Manifest {
  std::string kernel_version;  // KERNELVERSION (Makefile)
  std::string kernel_release;  // include/config/kernel.release
  std::string srctree;
  std::string arch, karch;
  std::string config_sha256;
  std::string cross_compile, cc, cc_version;
  std::vector<std::vector<std::string>> commands;   // each make invocation
  std::map<std::string, std::string> reproducible;  // KBUILD_BUILD_TIMESTAMP, ...
  std::string launcher;                             // "", "ccache", "distcc", "ccache+distcc", "icecc"
  int jobs = 0;
  std::vector<OutputFile> outputs;
  std::vector<StepTiming> timings;
  size_t objects_compiled = 0;  // this run
  size_t objects_estimate = 0;  // for the next run's progress bar
};

nlohmann::json to_json(const Manifest& m);

// The object estimate a previous build.json recorded (0 when none).
size_t previous_estimate(const std::string& manifest_text);

// sha256 of a file's bytes, hex; nullopt + *error when unreadable.
std::optional<std::string> sha256_file(const std::string& path, std::string* error);
std::string sha256_hex(std::string_view bytes);

// Fills size and sha256 of each output (paths relative to `build_dir`) and
// sorts them by path. False + *error when one is missing.
bool describe_outputs(const std::string& build_dir, std::vector<OutputFile>* outputs, Diagnostics* diags);

}  // namespace kmeta::kbuild
