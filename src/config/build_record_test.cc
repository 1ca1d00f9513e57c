#include "config/build_record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/testing/diagnostics.h"

namespace kmeta::config {
namespace {

TEST(BuildRecord, RoundTripsBytesAndOptionalFields) {
  BuildRecord r;
  r.caches = {"/meta/caf\xe9"};
  r.machine = "demo-board";
  r.kernel = "/src/linux-caf\xe9";
  r.arch = "x86";
  r.fragments = {"/frags/caf\xe9.cfg", "/frags/\xff\xfe.cfg"};
  r.audit_level = 2;
  r.probe_cache = "/home/u/.cache/kmeta/probes";
  std::string text = render_build_record(r);
  EXPECT_TRUE(nlohmann::json::accept(text)) << text;  // valid UTF-8 JSON for any reader
  BuildRecord back;
  Diagnostics err;
  ASSERT_TRUE(parse_build_record(text, "kmeta-config.json", &back, &err)) << kmeta::testing::error_text(err);
  EXPECT_EQ(back.caches, r.caches);
  EXPECT_EQ(back.kernel, r.kernel);
  EXPECT_EQ(back.fragments, r.fragments);
  EXPECT_EQ(back.audit_level, 2);
  EXPECT_EQ(back.bsp_audit_level, -1);
  EXPECT_FALSE(back.cross_compile.has_value());
  EXPECT_EQ(back.probe_cache, r.probe_cache);
  r.cross_compile = "";  // given, empty: recorded as given
  ASSERT_TRUE(parse_build_record(render_build_record(r), "kmeta-config.json", &back, &err))
      << kmeta::testing::error_text(err);
  EXPECT_EQ(back.cross_compile, std::optional<std::string>(""));
}

// A build directory is untrusted: a record of another shape is an error
// that says what is wrong, never an exception out of the reader or an
// out-of-range conversion.
TEST(BuildRecord, OtherShapesAreErrors) {
  for (const char* text :
       {"", "[1,2]", "\"x\"", "{\"caches\": [1]}", "{\"machine\": {}}", "{\"cross_compile\": 3}",
        "{\"audit_level\": 1e300}", "{\"audit_level\": -5}", "{\"bsp_audit_level\": 18446744073709551615}",
        "{\"prefer_modules\": \"yes\"}", "{\"kernel\": \"a\"", "{\"kernel\": \"\xe9\"}"}) {
    BuildRecord r;
    Diagnostics err;
    EXPECT_FALSE(parse_build_record(text, "kmeta-config.json", &r, &err)) << text;
    ASSERT_EQ(err.error_count(), 1u) << text;
    EXPECT_EQ(err.items()[0].where.str(), "kmeta-config.json") << text;
    EXPECT_FALSE(err.items()[0].message.empty()) << text;
  }
  BuildRecord r;
  Diagnostics err;
  ASSERT_TRUE(parse_build_record("{\"arch\": \"arm64\", \"unknown\": [null]}", "kmeta-config.json", &r, &err))
      << kmeta::testing::error_text(err);
  EXPECT_EQ(r.arch, "arm64");
  EXPECT_EQ(r.type, "standard");
}

}  // namespace
}  // namespace kmeta::config
