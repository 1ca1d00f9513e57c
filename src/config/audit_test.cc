#include "config/audit.h"

#include <gtest/gtest.h>

#include "base/file_system.h"
#include "config/report.h"
#include "config/resolve.h"
#include "kconfig/confdata.h"
#include "kconfig/parser.h"

namespace kmeta::config {
namespace {

namespace kc = kmeta::kconfig;

// Tests that need dependency propagation (select/depends on): the Kconfig
// engine's finalize pass is still a stub on the kconfig branch this was
// written against; they are enabled by dropping this wrapper when it lands.

// A small Kconfig tree + fragments, resolved and audited in memory.
struct Case {
  KernelTree k;
  std::vector<QueuedFragment> queue;
  MergeResult merge;
  std::unique_ptr<kc::Configuration> cfg;
  std::string dot;
  Classification classes;
  AuditReport report;
  kc::ConfMode mode = kc::ConfMode::alldefconfig;

  Case(const std::string& kconfig, const std::vector<std::pair<std::string, std::string>>& frags,
       kc::ConfMode m = kc::ConfMode::alldefconfig)
      : mode(m) {
    MemoryFileSystem files;
    files.add_file("/Kconfig", kconfig);
    kc::ParseOptions o;
    o.files = &files;
    o.cwd = "/";
    o.dialect = kc::Dialect::v6_12;
    k.model = kc::parse_kconfig("Kconfig", o, k.log);
    EXPECT_TRUE(k.model) << k.log.text(kc::Stream::err);
    k.env.arch = "x86";
    for (auto& [name, text] : frags) {
      QueuedFragment q;
      q.fragment = parse_fragment(name, text);
      q.queue_name = name;
      q.kconf_class = "hardware";
      queue.push_back(std::move(q));
    }
  }

  const AuditReport& run(bool fixes = true) {
    merge = merge_fragments(queue);
    cfg = resolve_seed(k, "seed", merge.seed, mode);
    dot = render_dotconfig(*cfg, k);
    DotConfig d = DotConfig::parse(dot);
    AuditContext ctx{
        *k.model, *cfg,
        queue,    merge,
        classes,  d,
        "x86",    [this](const std::string& seed) { return resolve_seed(k, "seed", seed, mode); },
        nullptr};
    AuditOptions opt;
    opt.fixes = fixes;
    report = audit(ctx, opt);
    return report;
  }

  const Finding* find(const std::string& sym) const {
    for (const auto& f : report.findings)
      if (f.symbol == sym) return &f;
    return nullptr;
  }
};

std::string lines(const Fix& f) {
  std::string s;
  for (const auto& l : f.lines) s += l.line() + "\n";
  return s;
}

TEST(Audit, EquivalentValuesAreNotFindings) {
  Case c(R"(
config MODULES
	bool "modules"
	modules
config A
	bool "a"
config B
	bool "b"
	depends on A
config C
	tristate "c"
)",
         {{"f.cfg", "CONFIG_MODULES=y\nCONFIG_A=n\nCONFIG_B=n\nCONFIG_C=y # OVERRIDE:$MODULE_OR_Y\n"}});
  c.run();
  EXPECT_TRUE(c.report.findings.empty()) << render_text(c.report, {2, 1, false});
  EXPECT_EQ(c.report.requested, 4u);
  EXPECT_EQ(c.report.equivalent, 3u);  // =n vs "is not set", =n vs absent, the annotation
  EXPECT_EQ(c.report.matched, 1u);
}

TEST(Audit, UnmetDependencyWithVerifiedFix) {
  Case c(R"(
config NET
	bool "net"
config NETDEVICES
	bool "netdevices"
	depends on NET
	default y
config VIRTIO
	tristate
config VIRTIO_PCI
	tristate "virtio pci"
	select VIRTIO
config VIRTIO_NET
	tristate "virtio net"
	depends on NETDEVICES && VIRTIO
)",
         {{"virtio.cfg", "CONFIG_NET=y\nCONFIG_VIRTIO_NET=y\n"}});
  c.run();
  const Finding* f = c.find("VIRTIO_NET");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::unmet_dependency);
  ASSERT_EQ(f->terms.size(), 1u);
  EXPECT_EQ(f->terms[0].expr, "VIRTIO");
  EXPECT_EQ(f->terms[0].value, "n");
  EXPECT_EQ(f->terms[0].where.line, 13);
  ASSERT_FALSE(f->causes.empty());
  EXPECT_EQ(f->causes[0].symbol, "VIRTIO");
  EXPECT_NE(f->causes[0].reason.find("VIRTIO_PCI"), std::string::npos) << f->causes[0].reason;
  EXPECT_EQ(f->fix.status, Fix::Status::verified) << f->fix.reason;
  EXPECT_EQ(lines(f->fix), "CONFIG_VIRTIO_PCI=y\n");  // NETDEVICES comes from its default
  EXPECT_EQ(f->fix.fragment, "virtio.cfg");
}

TEST(Audit, NoFixForAnotherArchitecture) {
  Case c(R"(
config SERIAL_AMBA_PL011
	tristate "pl011"
	depends on ARM_AMBA
)",
         {{"serial.cfg", "CONFIG_SERIAL_AMBA_PL011=y\n"}});
  c.run();
  const Finding* f = c.find("SERIAL_AMBA_PL011");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::unmet_dependency);
  EXPECT_EQ(f->fix.status, Fix::Status::none);
  EXPECT_NE(f->fix.reason.find("ARM_AMBA is not defined for ARCH=x86"), std::string::npos) << f->fix.reason;
}

TEST(Audit, FixDoesNotFlipAnExplicitRequest) {
  Case c(R"(
config A
	bool "a"
config B
	bool "b"
	depends on A
)",
         {{"base.cfg", "# CONFIG_A is not set\n"}, {"b.cfg", "CONFIG_B=y\n"}});
  c.run();
  const Finding* f = c.find("B");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->fix.status, Fix::Status::none);
  EXPECT_NE(f->fix.reason.find("base.cfg:1 requests n"), std::string::npos) << f->fix.reason;
  ASSERT_FALSE(f->causes.empty());
  EXPECT_NE(f->causes[0].reason.find("requested n at base.cfg:1"), std::string::npos) << f->causes[0].reason;
}

TEST(Audit, SelectOverride) {
  Case c(R"(
config MODULES
	bool "modules"
	modules
config CRC32
	tristate "crc32"
config EXT4_FS
	tristate "ext4"
	select CRC32
)",
         {{"f.cfg", "CONFIG_MODULES=y\nCONFIG_CRC32=m\nCONFIG_EXT4_FS=y\n"}});
  c.run();
  const Finding* f = c.find("CRC32");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::select_override);
  EXPECT_EQ(f->actual, "y");
  ASSERT_EQ(f->by.size(), 1u);
  EXPECT_NE(f->by[0].find("EXT4_FS"), std::string::npos);
}

TEST(Audit, ImplyOverridesAnInvisibleRequest) {
  Case c(R"(
config EXPERT
	bool "expert"
config FAILOVER
	bool "failover" if EXPERT
config VNET
	bool "vnet"
	imply FAILOVER
)",
         {{"f.cfg", "CONFIG_VNET=y\n# CONFIG_FAILOVER is not set\n"}});
  c.run();
  const Finding* f = c.find("FAILOVER");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::select_override);
  ASSERT_FALSE(f->by.empty());
  EXPECT_NE(f->by[0].find("imply"), std::string::npos);
}

TEST(Audit, ChoiceLoser) {
  Case c(R"(
choice
	prompt "hz"
	default HZ_250
config HZ_100
	bool "100"
config HZ_250
	bool "250"
config HZ_1000
	bool "1000"
endchoice
)",
         {{"ktype.cfg", "CONFIG_HZ_1000=y\n"}, {"bsp.cfg", "CONFIG_HZ_100=y\n"}});
  c.run();
  const Finding* f = c.find("HZ_1000");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::choice_loser);
  EXPECT_EQ(f->by, std::vector<std::string>{"CONFIG_HZ_100"});
  EXPECT_NE(f->message.find("bsp.cfg:1"), std::string::npos) << f->message;
  EXPECT_EQ(c.find("HZ_100"), nullptr);
}

TEST(Audit, RangeClamp) {
  Case c(R"(
config NR_CPUS
	int "cpus"
	range 2 512
	default 64
)",
         {{"bsp.cfg", "CONFIG_NR_CPUS=1024\n"}});
  c.run();
  const Finding* f = c.find("NR_CPUS");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::range_clamp);
  EXPECT_EQ(f->actual, "512");
}

TEST(Audit, PromptlessWithASelectorFix) {
  Case c(R"(
config CRC7
	tristate
config MMC_SPI
	tristate "mmc spi"
	select CRC7
)",
         {{"f.cfg", "CONFIG_CRC7=y\n"}});
  c.run();
  const Finding* f = c.find("CRC7");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::promptless);
  EXPECT_EQ(f->fix.status, Fix::Status::verified) << f->fix.reason;
  EXPECT_EQ(lines(f->fix), "CONFIG_MMC_SPI=y\n");
}

TEST(Audit, UnknownSymbolDidYouMeanAndRename) {
  Case c(R"(
config EXT4_FS_POSIX_ACL
	bool "acl"
config SERIAL_8250_CONSOLE
	bool "console"
	help
	  Formerly SERIAL_CONSOLE_8250.
)",
         {{"f.cfg", "CONFIG_EXT4_FS_POSIX_ACLS=y\nCONFIG_SERIAL_CONSOLE_8250=y\nCONFIG_TOTALLY_ELSE=y\n"}});
  c.run();
  const Finding* a = c.find("EXT4_FS_POSIX_ACLS");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->kind, FindingKind::unknown_symbol);
  EXPECT_EQ(a->suggestion, "did you mean CONFIG_EXT4_FS_POSIX_ACL?");
  const Finding* r = c.find("SERIAL_CONSOLE_8250");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->suggestion.find("renamed to CONFIG_SERIAL_8250_CONSOLE"), std::string::npos) << r->suggestion;
  const Finding* n = c.find("TOTALLY_ELSE");
  ASSERT_NE(n, nullptr);
  EXPECT_NE(n->suggestion.find("no similar symbol"), std::string::npos);
}

TEST(Audit, BadValues) {
  Case c(R"(
config LOG_BUF_SHIFT
	int "shift"
	default 17
config CMDLINE
	string "cmdline"
config CONSOLE
	bool "console"
config BASE_SMALL
	bool "small"
)",
         {{"f.cfg",
           "CONFIG_LOG_BUF_SHIFT=18 # 256 "
           "KiB\nCONFIG_CMDLINE=console=ttyS0\nCONFIG_CONSOLE=m\nCONFIG_BASE_SMALL=1\n"}});
  c.run();
  for (const char* s : {"LOG_BUF_SHIFT", "CMDLINE", "CONSOLE", "BASE_SMALL"}) {
    const Finding* f = c.find(s);
    ASSERT_NE(f, nullptr) << s;
    EXPECT_EQ(f->kind, FindingKind::bad_value) << s;
  }
}

TEST(Audit, LostInMerge) {
  Case c(R"(
config PROC
	bool "proc"
config IKCONFIG_PROC
	bool "ikconfig proc"
)",
         {{"a.cfg", "CONFIG_IKCONFIG_PROC=y\nCONFIG_PROC=y\n"}, {"b.cfg", "CONFIG_PROC=y\n"}});
  c.run();
  const Finding* f = c.find("IKCONFIG_PROC");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::lost_in_merge);
  EXPECT_EQ(f->by, std::vector<std::string>{"CONFIG_PROC"});
}

TEST(Audit, ModulesOffMakesMY) {
  Case c(R"(
config MODULES
	bool "modules"
	modules
config DRV
	tristate "drv"
)",
         {{"f.cfg", "CONFIG_DRV=m\n"}});
  c.run();
  const Finding* f = c.find("DRV");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, FindingKind::unmet_dependency);
  EXPECT_NE(f->message.find("MODULES=n"), std::string::npos) << f->message;
}

TEST(Audit, YOrMEnabledAcceptsEither) {
  Case c(R"(
config MODULES
	bool "modules"
	modules
config A
	tristate "a"
config B
	tristate "b"
	select A
)",
         {{"f.cfg", "CONFIG_MODULES=y\nCONFIG_A=m\nCONFIG_B=y\n"}});
  c.classes.y_or_m["A"] = "y_or_m_enabled.cfg";
  c.run();
  const Finding* f = c.find("A");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->y_or_m);
  EXPECT_EQ(f->kind, FindingKind::select_override);
  EXPECT_FALSE(shown(*f, {1, 0, false}));  // symbol_why.py without --strict does not report it
  EXPECT_TRUE(shown(*f, {2, 0, false}));
}

TEST(Audit, FragmentProblemsAndRedefinitions) {
  Case c(R"(
config SMP
	bool "smp"
)",
         {{"a.cfg", "CONFIG_SMP=y\nCONFIG_SMP=y\n"}, {"b.cfg", "# CONFIG_SMP is not set\n"}});
  c.run();
  ASSERT_EQ(c.report.fragment_findings.size(), 1u);
  EXPECT_EQ(c.report.fragment_findings[0].issue.kind, SanityKind::duplicate);
  ASSERT_EQ(c.report.redefinitions.size(), 1u);
  EXPECT_TRUE(c.report.redefinitions[0].differs);
  EXPECT_EQ(c.report.redefinitions[0].sites.size(), 3u);
}

}  // namespace
}  // namespace kmeta::config
