// Golden tests: every conf invocation of the shared conformance cases, parsed
// by parse_kconfig() in both dialects, must give exactly what lkc's own
// conf_parse() gave (testdata/golden/, produced by testdata/oracle/): the exit
// status, the stdout/stderr messages, and the finalized model (tree, node
// dependencies, property conditions, dir_dep/rev_dep/implied, hash order).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "kconfig/parser.h"
#include "kconfig/printer.h"

namespace kmeta::kconfig {
namespace {

namespace fs = std::filesystem;

const std::string kGolden = std::string(KMETA_SOURCE_DIR) + "/src/kconfig/testdata/golden";
const std::string kCases = std::string(KMETA_SHARED_DIR) + "/conformance/kconfig/cases";
const std::string kCorners = std::string(KMETA_SOURCE_DIR) + "/src/kconfig/testdata/corners";

struct CaseRun {
  std::string kase;
  std::string index;
  std::string cwd;
  std::string kconfig;
  std::map<std::string, std::string> env;
};

std::vector<CaseRun> manifest() {
  std::vector<CaseRun> runs;
  std::ifstream in(kGolden + "/MANIFEST");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    f.resize(5);
    CaseRun r{f[0], f[1], f[2], f[3], {}};
    std::stringstream es(f[4]);
    for (std::string kv; es >> kv;) {
      auto eq = kv.find('=');
      r.env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    runs.push_back(std::move(r));
  }
  return runs;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string run_mine(const CaseRun& r, Dialect d, const std::string& cwd) {
  ParseOptions o;
  o.cwd = cwd;
  o.env = r.env;
  if (auto it = r.env.find("srctree"); it != r.env.end()) o.srctree = it->second;
  o.dialect = d;
  PopenShellRunner shell;
  o.shell = &shell;
  Messages msgs;
  auto model = parse_kconfig(r.kconfig, o, msgs);
  std::string out = msgs.text(Stream::out);
  if (model) out += dump_model(*model);
  std::string err = std::regex_replace(msgs.text(Stream::err), std::regex(R"(Oops! How to check -?[0-9]*\?)"),
                                       "Oops! How to check N?");
  out = std::regex_replace(out, std::regex(R"(<unknown type -?[0-9]*>)"), "<unknown type N>");
  return "rc " + std::string(model ? "0" : "1") + "\n--- stdout\n" + out + "--- stderr\n" + err;
}

TEST(Golden, ConformanceCasesMatchLkc) {
  if (!fs::exists(kCases)) GTEST_SKIP() << "conformance cases not found at " << kCases;
  auto runs = manifest();
  ASSERT_GT(runs.size(), 50u);
  int compared = 0;
  for (const CaseRun& r : runs) {
    for (const char* ver : {"6.12", "6.1"}) {
      std::string golden = kGolden + "/" + r.kase + "." + r.index + "." + ver;
      if (!fs::exists(golden)) continue;  // lkc itself crashed on this input
      Dialect d = std::string(ver) == "6.1" ? Dialect::v6_1 : Dialect::v6_12;
      EXPECT_EQ(run_mine(r, d, kCases + "/" + r.kase + "/" + r.cwd), slurp(golden))
          << r.kase << " run " << r.index << " (" << r.kconfig << ") lkc " << ver;
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

// Small self-describing corner cases (testdata/corners/*.kconfig, each with a
// comment saying what it pins down) against lkc's results.
TEST(Golden, CornerCasesMatchLkc) {
  int compared = 0;
  for (const auto& entry : fs::directory_iterator(kCorners)) {
    if (entry.path().extension() != ".kconfig") continue;
    std::string name = entry.path().filename().string();
    CaseRun r{"corners", "0", ".", name, {}};
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("# env: ", 0) != 0) continue;
      std::stringstream es(line.substr(7));
      for (std::string kv; es >> kv;) {
        auto eq = kv.find('=');
        r.env[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
    }
    for (const char* ver : {"6.12", "6.1"}) {
      std::string golden = kCorners + "/expected/" + entry.path().stem().string() + "." + ver;
      if (!fs::exists(golden)) continue;  // lkc itself crashes on this input
      Dialect d = std::string(ver) == "6.1" ? Dialect::v6_1 : Dialect::v6_12;
      EXPECT_EQ(run_mine(r, d, kCorners), slurp(golden)) << name << " lkc " << ver;
      ++compared;
    }
  }
  EXPECT_GE(compared, 50);
}

}  // namespace
}  // namespace kmeta::kconfig
