#include "config/build_record.h"

#include <nlohmann/json.hpp>

#include "base/json_bytes.h"

namespace kmeta::config {

namespace {

// An integer field: nlohmann's get<int> of a float (1e300) or of a huge
// integer is an out-of-range conversion, so take integers from -1 to 10^6 only.
bool level_field(const nlohmann::json& j, const char* key, int* out, std::string* error) {
  if (!j.contains(key)) return true;
  const nlohmann::json& v = j[key];
  bool in_range = v.is_number_unsigned()
                      ? v.get<uint64_t>() <= 1000000
                      : v.is_number_integer() && v.get<int64_t>() >= -1 && v.get<int64_t>() <= 1000000;
  if (in_range) {
    *out = static_cast<int>(v.get<int64_t>());
    return true;
  }
  *error = std::string("field '") + key + "' is not a level (an integer)";
  return false;
}

}  // namespace

std::string render_build_record(const BuildRecord& r) {
  nlohmann::json j;
  j["caches"] = r.caches;
  j["machine"] = r.machine;
  j["type"] = r.type;
  j["kernel"] = r.kernel;
  j["arch"] = r.arch;
  if (r.cross_compile) j["cross_compile"] = *r.cross_compile;
  j["features"] = r.features;
  j["fragments"] = r.fragments;
  j["defconfig"] = r.defconfig;
  j["mode"] = r.mode;
  j["kernel_meta"] = r.kernel_meta;
  j["prefer_modules"] = r.prefer_modules;
  j["audit_level"] = r.audit_level;
  j["bsp_audit_level"] = r.bsp_audit_level;
  if (!r.probe_cache.empty()) j["probe_cache"] = r.probe_cache;
  return json_dump(j, 1) + "\n";
}

bool parse_build_record(std::string_view text, const std::string& name, BuildRecord* r, Diagnostics* diags) {
  std::string err;
  std::string* error = &err;
  auto fail = [&] {
    diags->error(Location{FileName(name)}, err);
    return false;
  };
  try {
    nlohmann::json j = json_parse(text);
    if (!j.is_object()) {
      *error = "not a record: the JSON is not an object";
      return fail();
    }
    BuildRecord out;
    out.caches = j.value("caches", std::vector<std::string>{});
    out.machine = j.value("machine", "");
    out.type = j.value("type", "standard");
    out.kernel = j.value("kernel", "");
    out.arch = j.value("arch", "");
    if (j.contains("cross_compile")) out.cross_compile = j["cross_compile"].get<std::string>();
    out.features = j.value("features", std::vector<std::string>{});
    out.fragments = j.value("fragments", std::vector<std::string>{});
    out.defconfig = j.value("defconfig", "");
    out.mode = j.value("mode", "");
    out.kernel_meta = j.value("kernel_meta", "");
    out.prefer_modules = j.value("prefer_modules", false);
    if (!level_field(j, "audit_level", &out.audit_level, error) ||
        !level_field(j, "bsp_audit_level", &out.bsp_audit_level, error))
      return fail();
    out.probe_cache = j.value("probe_cache", "");
    *r = std::move(out);
  } catch (const std::exception& e) {
    *error = e.what();
    return fail();
  }
  return true;
}

}  // namespace kmeta::config
