#include "config/classify.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "base/file_system.h"
#include "config/test_util.h"

namespace kmeta::config {
namespace {

MemoryFileSystem memory(const std::map<std::string, std::string>& files) {
  MemoryFileSystem fs;
  for (const auto& [path, text] : files) fs.add_file(path, text);
  return fs;
}

// The disk, counting the reads of files under a kernel tree ("/k/").
class CountingDisk : public DiskFileSystem {
 public:
  using DiskFileSystem::read_result;
  ReadResult read_result(const std::string& p, const FileReadOptions& o) override {
    if (p.find("/k/") != std::string::npos) ++reads;
    return DiskFileSystem::read_result(p, o);
  }
  int reads = 0;
};

QueuedFragment frag(const std::string& path, std::string cls, std::string text) {
  QueuedFragment q;
  q.fragment = parse_fragment(path, std::move(text));
  q.queue_name = path;
  q.kconf_class = std::move(cls);
  return q;
}

TEST(Classify, SourcesApplyInReferenceOrder) {
  auto read = memory({
      {"/c/base/non-hardware.kcf", "init/Kconfig\nmissing/Kconfig\n"},
      {"/c/base/hardware.kcf", "drivers/Kconfig\n"},
      {"/k/init/Kconfig", "config EXPERT\n\tbool\nmenuconfig MODULES\n  config INDENTED\n"},
      {"/k/drivers/Kconfig", "config PCI\nconfig NET_FAILOVER\nmenu \"x\"\n"},
      {"/c/base/non-hardware.cfg", "# comment\nCONFIG_NET_FAILOVER\n"},
      {"/c/bsp/hardware.cfg", "CONFIG_EXPERT\n"},
      {"/c/bsp/y_or_m_enabled.cfg", "CONFIG_E1000=y\n"},
  });
  std::vector<QueuedFragment> q = {frag("/c/base/base.cfg", "non-hardware", "CONFIG_PCI=y\nCONFIG_X=y\n"),
                                   frag("/c/bsp/bsp.cfg", "hardware", "CONFIG_X=n\n# CONFIG_Y is not set\n"),
                                   frag("/c/bsp/req.cfg", "required", "CONFIG_Z=y\n")};
  Classification c = classify(q, "/k", read);
  EXPECT_EQ(c.of("MODULES"), HwClass::non_hardware);
  EXPECT_EQ(c.of("INDENTED"), HwClass::unclassified);      // not at the start of a line
  EXPECT_EQ(c.of("PCI"), HwClass::non_hardware);           // base.cfg (non-hardware) came after hardware.kcf
  EXPECT_EQ(c.of("NET_FAILOVER"), HwClass::non_hardware);  // non-hardware.cfg, pass 2
  EXPECT_EQ(c.of("EXPERT"), HwClass::hardware);            // bsp/hardware.cfg, pass 2
  EXPECT_EQ(c.of("X"), HwClass::hardware);                 // the later fragment
  EXPECT_EQ(c.of("Y"), HwClass::hardware);
  EXPECT_EQ(c.of("Z"), HwClass::unclassified);  // required: not a symbol_why class
  EXPECT_EQ(*c.source("EXPERT"), "/c/bsp/hardware.cfg");
  EXPECT_TRUE(c.y_or_m.count("E1000"));
  EXPECT_TRUE(c.hidden_by_classify("PCI"));

  Classification plain = classify(q, "/k", read, false);
  EXPECT_EQ(plain.of("X"), HwClass::unclassified);
  EXPECT_TRUE(plain.y_or_m.count("E1000"));
}

// The .kcf scans are stored and reused while the files are unchanged: a hit
// gives the same classification, an edited listed file is read again, and a
// cache entry is never believed once a file it names changed.
TEST(Classify, KcfCacheReusesScansWhileFilesAreUnchanged) {
  kmeta::testing::TempDir t;
  const std::string k = t.path() + "/k", c = t.path() + "/c", cache_dir = t.path() + "/cache/kcf";
  std::filesystem::create_directories(k + "/drivers");
  std::filesystem::create_directories(c + "/bsp");
  auto put = [](const std::string& p, const std::string& text) { ASSERT_TRUE(write_file_atomic(p, text)); };
  put(k + "/drivers/Kconfig", "config PCI\nmenuconfig NET\n");
  put(c + "/bsp/hardware.kcf", "drivers/Kconfig\nmissing/Kconfig\n");
  // A `required` fragment: only the .kcf classifies.
  std::vector<QueuedFragment> q = {frag(c + "/bsp/bsp.cfg", "required", "CONFIG_PCI=y\nCONFIG_NET=y\n")};
  KcfCache cache{cache_dir};
  CountingDisk counting;
  int& reads = counting.reads;

  Classification cold = classify(q, k, counting, true, &cache);
  EXPECT_EQ(cold.of("PCI"), HwClass::hardware);
  EXPECT_EQ(cold.of("NET"), HwClass::hardware);
  EXPECT_EQ(reads, 2);  // drivers/Kconfig and the missing one
  ASSERT_TRUE(is_directory(cache_dir));

  reads = 0;
  Classification warm = classify(q, k, counting, true, &cache);
  EXPECT_EQ(reads, 0);  // nothing under the kernel tree read again
  EXPECT_EQ(warm.hardware, cold.hardware);
  EXPECT_EQ(warm.non_hardware, cold.non_hardware);

  // An edit (a new size) and a file that appears where one was missing.
  put(k + "/drivers/Kconfig", "config PCI\n");
  reads = 0;
  Classification edited = classify(q, k, counting, true, &cache);
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(edited.of("NET"), HwClass::unclassified);
  std::filesystem::create_directories(k + "/missing");
  put(k + "/missing/Kconfig", "config NET\n");
  Classification appeared = classify(q, k, counting, true, &cache);
  EXPECT_EQ(appeared.of("NET"), HwClass::hardware);

  // A damaged entry is scanned again; one that is not a regular file is
  // refused with a warning (and replaced).
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(cache_dir)) entries.push_back(e.path().string());
  ASSERT_EQ(entries.size(), 1u);
  std::string text = *read_file(entries[0]);
  size_t at = text.rfind("NET");
  ASSERT_NE(at, std::string::npos);
  text[at] = 'M';  // NET -> MET
  put(entries[0], text);
  reads = 0;
  Classification damaged = classify(q, k, counting, true, &cache);
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(damaged.of("NET"), HwClass::hardware);
  EXPECT_TRUE(damaged.cache_warnings.empty());
  std::filesystem::remove(entries[0]);
  std::filesystem::create_symlink("/dev/zero", entries[0]);
  Classification refused = classify(q, k, counting, true, &cache);
  EXPECT_EQ(refused.of("NET"), HwClass::hardware);
  ASSERT_EQ(refused.cache_warnings.size(), 1u);
  EXPECT_NE(refused.cache_warnings[0].find("ignoring .kcf scan cache entry"), std::string::npos);
  EXPECT_FALSE(std::filesystem::is_symlink(entries[0]));

  // Without a cache nothing is stored or read from it.
  reads = 0;
  classify(q, k, counting, true, nullptr);
  EXPECT_EQ(reads, 2);
}

// The reference's --classify output hides non-hardware mismatches and reports
// options absent from .config only when they are hardware. Check our
// classification reproduces which options it printed.
TEST(Classify, AgreesWithGoldenMismatchReports) {
  auto bsps = testing::golden_bsps();
  if (bsps.empty()) GTEST_SKIP() << "no goldens";
  std::string kernels = testing::kernels_dir();
  int checked = 0;
  for (const std::string& bsp : bsps) {
    if (!file_exists(bsp + "/reference/symbol_why-mismatch-noclassify.txt")) continue;  // no unclassified run
    std::string ksrc = kernels + "/linux-" + testing::spec_value(bsp, "KVER");
    if (!is_directory(ksrc)) continue;
    SCOPED_TRACE(bsp);
    std::string terr;
    auto truth = testing::golden_truth(bsp, ksrc, &terr);
    ASSERT_TRUE(truth) << terr;
    std::printf("%s: truth: %s\n", std::filesystem::path(bsp).filename().c_str(), truth->describe.c_str());
    auto noclass = read_file(truth->dir + "/reference/symbol_why-mismatch-noclassify.txt");
    ASSERT_TRUE(noclass);
    auto queue = testing::golden_queue(bsp);
    DiskFileSystem disk;
    Classification c = classify(queue, ksrc, disk);
    std::regex note(R"(\[NOTE\]: 'CONFIG_(\w+)' last val)");
    auto names = [&](const std::string& text) {
      std::set<std::string> out;
      for (std::sregex_iterator it(text.begin(), text.end(), note), end; it != end; ++it)
        out.insert((*it)[1]);
      return out;
    };
    std::set<std::string> shown = names(*read_file(truth->dir + "/reference/symbol_why-mismatch.txt"));
    std::set<std::string> all = names(*noclass);
    for (const auto& n : all)
      EXPECT_EQ(shown.count(n) == 1, !c.hidden_by_classify(n)) << n << " is " << to_string(c.of(n));
    for (const auto& n : shown) {
      if (!all.count(n)) {
        EXPECT_EQ(c.of(n), HwClass::hardware) << n;  // absent from .config
      }
    }
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no kernel trees under " << kernels;
}

}  // namespace
}  // namespace kmeta::config
