#include "config/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kmeta::config {
namespace {

AuditReport sample() {
  AuditReport r;
  r.requested = 5;
  r.matched = 2;
  r.equivalent = 1;
  Finding hw;
  hw.kind = FindingKind::unmet_dependency;
  hw.symbol = "VIRTIO_NET";
  hw.requested = "y";
  hw.actual = "n";
  hw.at = {"virtio.cfg", 3, 0};
  hw.chain = {{"virtio.scc", 5, 0}};
  hw.hw = HwClass::hardware;
  hw.kconf_class = "hardware";
  hw.message = "depends on VIRTIO (=n)";
  hw.terms = {{"VIRTIO", "n", {"drivers/net/Kconfig", 10, 0}}};
  hw.fix.status = Fix::Status::verified;
  hw.fix.fragment = "virtio.cfg";
  hw.fix.lines = {{"VIRTIO_PCI", "y"}};
  Finding soft = hw;
  soft.kind = FindingKind::select_override;
  soft.symbol = "CRC32";
  soft.hw = HwClass::non_hardware;
  soft.kconf_class = "non-hardware";
  soft.fix = {};
  Finding unknown = hw;
  unknown.kind = FindingKind::unknown_symbol;
  unknown.symbol = "TYPO";
  unknown.fix = {};
  unknown.hw = HwClass::non_hardware;
  r.findings = {unknown, hw, soft};
  FragmentFinding ff;
  ff.issue.kind = SanityKind::duplicate;
  ff.issue.message = "CONFIG_SMP is assigned again";
  ff.at = {"base.cfg", 16, 0};
  r.fragment_findings = {ff};
  return r;
}

TEST(Report, LevelsDecideWhatIsShown) {
  AuditReport r = sample();
  ShownCounts l1 = count_shown(r, {1, 0, false});
  EXPECT_EQ(l1.findings, 1u);  // only the hardware one
  EXPECT_EQ(l1.hidden_findings, 2u);
  EXPECT_EQ(l1.fragment_findings, 0u);
  ShownCounts l2 = count_shown(r, {2, 1, false});
  EXPECT_EQ(l2.findings, 3u);
  EXPECT_EQ(l2.fragment_findings, 1u);
  ShownCounts bsp = count_shown(r, {0, 1, false});  // unknown symbols are a BSP matter too
  EXPECT_EQ(bsp.findings, 1u);
}

TEST(Report, TextGroupsWorstFirstWithFixes) {
  std::string t = render_text(sample(), {2, 1, false});
  size_t unknown = t.find("unknown symbol (1)"), unmet = t.find("unmet dependency (1)"),
         sel = t.find("overridden by select/imply (1)");
  ASSERT_NE(unknown, std::string::npos) << t;
  EXPECT_LT(unknown, unmet);
  EXPECT_LT(unmet, sel);
  EXPECT_NE(t.find("fix (verified): add to virtio.cfg\n        CONFIG_VIRTIO_PCI=y\n"), std::string::npos)
      << t;
  EXPECT_NE(t.find("VIRTIO (=n)  drivers/net/Kconfig:10"), std::string::npos) << t;
  EXPECT_NE(t.find("base.cfg:16: duplicate:"), std::string::npos) << t;
  EXPECT_EQ(t.find("\033["), std::string::npos);  // no colour unless asked
  TextOptions colour;
  colour.colour = true;
  EXPECT_NE(render_text(sample(), {2, 1, false}, colour).find("\033[1;31m"), std::string::npos);
}

TEST(Report, MismatchFileClassifies) {
  std::string all = render_mismatch_file(sample(), false);
  std::string cls = render_mismatch_file(sample(), true);
  EXPECT_NE(all.find("CONFIG_CRC32"), std::string::npos);
  EXPECT_EQ(cls.find("CONFIG_CRC32"), std::string::npos);
  EXPECT_NE(cls.find("CONFIG_VIRTIO_NET"), std::string::npos);
}

TEST(Report, Json) {
  nlohmann::json j = to_json(sample(), {1, 0, false});
  EXPECT_EQ(j["summary"]["requested"], 5);
  EXPECT_EQ(j["summary"]["shown_findings"], 1);
  ASSERT_EQ(j["findings"].size(), 3u);
  EXPECT_EQ(j["findings"][1]["kind"], "unmet-dependency");
  EXPECT_EQ(j["findings"][1]["fix"]["status"], "verified");
  EXPECT_EQ(j["findings"][1]["fix"]["lines"][0], "CONFIG_VIRTIO_PCI=y");
  EXPECT_EQ(j["findings"][1]["at"]["file"], "virtio.cfg");
  EXPECT_EQ(j["fragment_findings"][0]["kind"], "duplicate");
}

}  // namespace
}  // namespace kmeta::config
