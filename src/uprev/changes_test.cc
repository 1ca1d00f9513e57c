#include "uprev/changes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace kmeta::uprev {
namespace {

// A side built by hand: requests, failing symbols (with the value they got),
// defined symbols and .config values.
struct Side {
  std::vector<std::pair<std::string, std::string>> requests;
  std::map<std::string, std::string> failing;  // symbol -> actual
  std::set<std::string> defined;
  std::map<std::string, std::string> values;
  std::vector<config::Finding> findings;

  SideFacts facts() {
    SideFacts f;
    for (const auto& [n, v] : requests) f.requests.push_back({n, {v, {"frag.cfg", 1, 0}, "frag.cfg"}});
    findings.clear();
    findings.reserve(failing.size());
    for (const auto& [n, got] : failing) {
      config::Finding x;
      x.symbol = n;
      x.actual = got;
      x.kind = defined.count(n) ? config::FindingKind::unmet_dependency : config::FindingKind::unknown_symbol;
      findings.push_back(x);
    }
    for (const auto& x : findings) f.findings[x.symbol] = &x;
    f.defined = [this](const std::string& n) { return defined.count(n) > 0; };
    f.value = [this](const std::string& n) {
      auto it = values.find(n);
      return it == values.end() ? std::string("n") : it->second;
    };
    f.written = [this](const std::string& n) { return values.count(n) > 0; };
    return f;
  }
};

std::map<std::string, ChangeKind> kinds(Side& a, Side& b) {
  std::map<std::string, ChangeKind> out;
  for (const SymbolChange& c : compare_requests(a.facts(), b.facts())) out[c.symbol] = c.kind;
  return out;
}

TEST(Changes, EveryKind) {
  Side a, b;
  a.requests = {{"REG", "y"},   {"GONE", "y"},    {"FIXED", "y"},        {"SAME", "y"},
                {"MORE", "64"}, {"DROPPED", "y"}, {"STILL_UNKNOWN", "y"}};
  a.failing = {{"FIXED", "n"}, {"STILL_UNKNOWN", "n"}};
  a.defined = {"REG", "GONE", "FIXED", "SAME", "MORE", "DROPPED", "NEWREQ"};
  a.values = {{"REG", "y"}, {"GONE", "y"}, {"SAME", "y"}, {"MORE", "64"}, {"DROPPED", "y"}};
  b.requests = {{"REG", "y"},  {"FIXED", "y"},  {"SAME", "y"},          {"MORE", "128"},
                {"TYPO", "y"}, {"NEWREQ", "y"}, {"STILL_UNKNOWN", "y"}, {"GONE", "y"}};
  b.failing = {{"REG", "n"}, {"TYPO", "n"}, {"NEWREQ", "n"}, {"STILL_UNKNOWN", "n"}, {"GONE", "n"}};
  b.defined = {"REG", "FIXED", "SAME", "MORE", "DROPPED", "NEWREQ"};
  b.values = {{"FIXED", "y"}, {"SAME", "y"}, {"MORE", "128"}};
  auto k = kinds(a, b);
  EXPECT_EQ(k["REG"], ChangeKind::regressed);
  EXPECT_EQ(k["GONE"], ChangeKind::vanished);
  EXPECT_EQ(k["TYPO"], ChangeKind::newly_unknown);
  EXPECT_EQ(k["NEWREQ"], ChangeKind::new_failure);
  EXPECT_EQ(k["FIXED"], ChangeKind::newly_satisfied);
  EXPECT_EQ(k["MORE"], ChangeKind::value_changed);
  EXPECT_EQ(k["DROPPED"], ChangeKind::value_changed);  // no longer requested, y -> n
  EXPECT_EQ(k["SAME"], ChangeKind::unchanged);
  EXPECT_EQ(k["STILL_UNKNOWN"], ChangeKind::unchanged);  // unknown on both: not newly
}

TEST(Changes, WorstFirstThenRequestOrder) {
  Side a, b;
  a.requests = {{"A", "y"}, {"B", "y"}, {"C", "y"}};
  a.defined = b.defined = {"A", "B", "C"};
  a.values = {{"A", "y"}, {"B", "y"}, {"C", "y"}};
  b.requests = a.requests;
  b.failing = {{"C", "n"}, {"A", "n"}};
  b.values = {{"B", "y"}};
  auto cs = compare_requests(a.facts(), b.facts());
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_EQ(cs[0].symbol, "A");
  EXPECT_EQ(cs[1].symbol, "C");
  EXPECT_EQ(cs[2].symbol, "B");
  EXPECT_EQ(cs[0].kind, ChangeKind::regressed);
  EXPECT_NE(cs[0].summary.find("held on OLD"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::uprev
