// Fuzz target for the build-directory record reader (config/build_record.h),
// BUILD/.kernel-meta/kmeta-config.json as `kmeta why -C`, `audit -C` and
// `build` read it from a directory nobody vouches for. Besides "no crash, no
// hang, no sanitizer report": a refusal says why, and an accepted record
// written back and read again is the same record (bytes included).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/build_record.h"

using namespace kmeta::config;

namespace {

bool same(const BuildRecord& a, const BuildRecord& b) {
  return a.caches == b.caches && a.machine == b.machine && a.type == b.type && a.kernel == b.kernel &&
         a.arch == b.arch && a.cross_compile == b.cross_compile && a.features == b.features &&
         a.fragments == b.fragments && a.defconfig == b.defconfig && a.mode == b.mode &&
         a.kernel_meta == b.kernel_meta && a.prefer_modules == b.prefer_modules &&
         a.audit_level == b.audit_level && a.bsp_audit_level == b.bsp_audit_level &&
         a.probe_cache == b.probe_cache;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  BuildRecord r;
  kmeta::Diagnostics error;
  if (!parse_build_record(in, "record", &r, &error)) {
    if (!error.has_errors()) std::abort();
    return 0;
  }
  BuildRecord back;
  std::string again = render_build_record(r);
  if (!parse_build_record(again, "record", &back, &error) || !same(r, back)) std::abort();
  return 0;
}
