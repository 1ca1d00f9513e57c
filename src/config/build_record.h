// The record of a `kmeta config -o BUILD` run, BUILD/.kernel-meta/kmeta-config.json
// (written last, see build_dir.h): the options the run was given, paths made
// absolute, so `why -C`, `audit -C` and `build` can explain and rebuild it.
// A build directory may come from anyone, so reading it is parsing untrusted
// input (fuzz/fuzz_build_record.cc): anything but the record's shape is an
// error naming the problem, never a crash. Strings are bytes (json_bytes.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::config {

inline constexpr const char* kRecordName = ".kernel-meta/kmeta-config.json";

struct BuildRecord {
  std::vector<std::string> caches;
  std::string machine;
  std::string type = "standard";
  std::string kernel;
  std::string arch;
  std::optional<std::string> cross_compile;  // recorded only when given
  std::vector<std::string> features;
  std::vector<std::string> fragments;
  std::string defconfig;
  std::string mode;
  std::string kernel_meta;
  bool prefer_modules = false;
  int audit_level = -1;      // -1: not recorded
  int bsp_audit_level = -1;  // -1: not recorded
  std::string probe_cache;   // "": the run used no probe cache
};

// The record as JSON text (one key a line, ending in a newline).
std::string render_build_record(const BuildRecord& r);

// False + an error located at `name` (the record's file) saying what is
// wrong when `text` is not a record: not JSON, not an object, or a field of
// the wrong type. Missing fields keep their defaults.
bool parse_build_record(std::string_view text, const std::string& name, BuildRecord* r, Diagnostics* diags);

}  // namespace kmeta::config
