#include "config/why.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/file_system.h"
#include "kconfig/parser.h"

namespace kmeta::config {
namespace {

namespace kc = kmeta::kconfig;

// A ConfigResult built in memory (no kernel tree on disk).
struct WhyCase {
  ConfigRequest req;
  ConfigResult res;
  WhyCase(const std::string& kconfig, const std::vector<std::pair<std::string, std::string>>& frags) {
    MemoryFileSystem files;
    files.add_file("/Kconfig", kconfig);
    kc::ParseOptions o;
    o.files = &files;
    o.cwd = "/";
    o.dialect = kc::Dialect::v6_12;
    res.kernel.model = kc::parse_kconfig("Kconfig", o, res.kernel.log);
    res.kernel.env.arch = "x86";
    for (auto& [name, text] : frags) {
      QueuedFragment q;
      q.fragment = parse_fragment(name, text);
      q.queue_name = name;
      q.kconf_class = "hardware";
      q.chain.push_back({"feature.scc", 3, 0});
      res.queue.push_back(std::move(q));
    }
    res.merge = merge_fragments(res.queue);
    res.cfg = resolve_seed(res.kernel, kSeedName, res.merge.seed, kc::ConfMode::alldefconfig);
  }
};

const char* kKconfig = R"(
config A
	bool "a"
	default y
config B
	bool
config C
	bool "c"
	select B
config D
	bool "d"
	depends on A
)";

TEST(Why, FragmentLineWithItsChain) {
  WhyCase c(kKconfig, {{"one.cfg", "CONFIG_C=y\n"}, {"two.cfg", "# CONFIG_A is not set\n"}});
  WhyRecord w = why(c.req, c.res, "CONFIG_A");
  EXPECT_TRUE(w.known);
  EXPECT_EQ(w.value, "n");
  EXPECT_EQ(w.source, "fragment");
  EXPECT_EQ(w.source_at.str(), "two.cfg:1");
  ASSERT_EQ(w.source_chain.size(), 1u);
  EXPECT_EQ(w.source_chain[0].str(), "feature.scc:3");
  ASSERT_EQ(w.requests.size(), 1u);
  EXPECT_TRUE(w.requests[0].wins);
}

TEST(Why, SelectAndDependencies) {
  WhyCase c(kKconfig, {{"one.cfg", "CONFIG_C=y\n# CONFIG_A is not set\nCONFIG_D=y\n"}});
  WhyRecord b = why(c.req, c.res, "B");
  EXPECT_EQ(b.value, "y");
  EXPECT_EQ(b.source, "select");
  ASSERT_EQ(b.selected_by.size(), 1u);
  EXPECT_NE(b.selected_by[0].find('C'), std::string::npos);
  WhyRecord d = why(c.req, c.res, "D");
  EXPECT_EQ(d.value, "n");
  ASSERT_EQ(d.false_terms.size(), 1u);
  EXPECT_EQ(d.false_terms[0].expr, "A");
  EXPECT_NE(render_why(d).find("not met: A (=n)"), std::string::npos) << render_why(d);
  nlohmann::json j = to_json(d);
  EXPECT_EQ(j["unmet"][0]["expr"], "A");
}

TEST(Why, DefaultAndUnknown) {
  WhyCase c(kKconfig, {{"one.cfg", "CONFIG_C=y\n"}});
  WhyRecord a = why(c.req, c.res, "A");
  EXPECT_EQ(a.source, "default");
  EXPECT_EQ(a.value, "y");
  WhyRecord u = why(c.req, c.res, "NOPE");
  EXPECT_FALSE(u.known);
  EXPECT_EQ(u.source, "undefined");
}

}  // namespace
}  // namespace kmeta::config
