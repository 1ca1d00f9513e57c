#include "matrix/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "base/testing/diagnostics.h"

namespace kmeta::matrix {
namespace {

using nlohmann::json;

json finding(const char* kind, const char* sym, const char* req, bool shown = true) {
  return {{"kind", kind}, {"symbol", sym}, {"requested", req}, {"actual", "n"}, {"shown", shown}};
}

// Lists are std::vector: a one-element braced list is an array in GCC and a copy
// of the element in clang when the parameter is a json.
json bsp(const char* id, std::vector<json> findings, int shown, const char* status = "ok") {
  return {{"id", id},
          {"status", status},
          {"shown", shown},
          {"findings", findings.size()},
          {"finding_list", findings},
          {"unknown_symbols", json::array()},
          {"toolchain", {{"compiler", "gcc (host)"}, {"found", true}}},
          {"arch", "x86"},
          {"mode", "alldefconfig"},
          {"seconds", 0.1},
          {"score", shown}};
}

json run(std::vector<json> bsps) {
  return {{"format", "kmeta-matrix-1"},
          {"bsps", bsps},
          {"kernels", json::array()},
          {"entry_points", bsps.size()}};
}

TEST(MatrixBaseline, NewAndResolvedFindingsPerBsp) {
  json prev =
      run({bsp("a/standard",
               {finding("unmet-dependency", "CONFIG_X", "y"), finding("promptless", "CONFIG_Y", "y")}, 2),
           bsp("gone/standard", {}, 0)});
  json cur =
      run({bsp("a/standard",
               {finding("unmet-dependency", "CONFIG_X", "y"), finding("unknown-symbol", "CONFIG_Z", "m"),
                finding("promptless", "CONFIG_H", "y", false)},
               2),
           bsp("fresh/tiny", {finding("promptless", "CONFIG_Q", "y")}, 1)});
  Diagnostics err;
  ASSERT_TRUE(apply_baseline(prev, "matrix.json", cur, &err)) << kmeta::testing::error_text(err);
  const json& a = cur["bsps"][0]["baseline"];
  EXPECT_TRUE(a["present"].get<bool>());
  ASSERT_EQ(a["new_findings"].size(), 1u);
  EXPECT_EQ(a["new_findings"][0], "unknown-symbol CONFIG_Z=m");
  ASSERT_EQ(a["resolved_findings"].size(), 1u);
  EXPECT_EQ(a["resolved_findings"][0], "promptless CONFIG_Y=y");
  EXPECT_TRUE(cur["bsps"][0]["finding_list"][1]["new"].get<bool>());
  EXPECT_FALSE(cur["bsps"][0]["finding_list"][0]["new"].get<bool>());
  EXPECT_FALSE(cur["bsps"][1]["baseline"]["present"].get<bool>());
  EXPECT_EQ(cur["baseline"]["bsps_removed"], json::array({"gone/standard"}));
  EXPECT_EQ(cur["baseline"]["bsps_added"], json::array({"fresh/tiny"}));
  EXPECT_TRUE(fails(cur, "new-findings"));
  EXPECT_TRUE(fails(cur, "any-findings"));
  EXPECT_FALSE(fails(cur, ""));
}

TEST(MatrixBaseline, SameRunHasNothingNew) {
  json prev = run({bsp("a/standard", {finding("unmet-dependency", "CONFIG_X", "y")}, 1)});
  json cur = prev;
  Diagnostics err;
  ASSERT_TRUE(apply_baseline(prev, "matrix.json", cur, &err));
  EXPECT_TRUE(cur["bsps"][0]["baseline"]["new_findings"].empty());
  EXPECT_FALSE(fails(cur, "new-findings"));
  EXPECT_TRUE(fails(cur, "any-findings"));
  EXPECT_FALSE(apply_baseline(json::object(), "matrix.json", cur, &err));
}

TEST(MatrixBaseline, FailedBspAlwaysFails) {
  json cur = run({bsp("a/standard", {}, 0, "error")});
  EXPECT_TRUE(fails(cur, ""));
}

TEST(MatrixSummary, WorstFirstAndHtmlEmbedsTheData) {
  json cur = run(
      {bsp("calm/standard", {}, 0), bsp("bad/standard", {finding("unmet-dependency", "CONFIG_X", "y")}, 1)});
  cur["seconds"] = 1.0;
  std::string s = render_summary(cur, false);
  EXPECT_LT(s.find("bad/standard"), s.find("calm/standard"));
  cur["bsps"][0]["definition"] = "</script><b>";
  std::string html = render_html(cur);
  EXPECT_EQ(html.find("</script><b>"), std::string::npos);  // cannot close the data block
  EXPECT_NE(html.find("<\\/script><b>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::matrix
