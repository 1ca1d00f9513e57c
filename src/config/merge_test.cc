#include "config/merge.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/file_util.h"
#include "base/strings.h"

namespace kmeta::config {
namespace {

namespace fs = std::filesystem;

QueuedFragment frag(std::string name, std::string text) {
  QueuedFragment q;
  q.fragment = parse_fragment(name, std::move(text));
  q.queue_name = std::move(name);
  return q;
}

TEST(Merge, ConcatenatesWithASeparatorLine) {
  MergeResult r = merge_fragments({frag("a.cfg", "CONFIG_A=y\n"), frag("b.cfg", "CONFIG_B=m\n")});
  EXPECT_EQ(r.seed, "CONFIG_A=y\n\nCONFIG_B=m\n");
  ASSERT_EQ(r.seed_origin.size(), 3u);
  EXPECT_EQ(r.origin(1), (LineRef{0, 1}));
  EXPECT_EQ(r.origin(2).fragment, kNoFragment);
  EXPECT_EQ(r.origin(3), (LineRef{1, 1}));
  EXPECT_EQ(r.log, "Using a.cfg as base\nMerging b.cfg\n");
}

TEST(Merge, LaterFragmentReplacesEarlierLines) {
  MergeResult r =
      merge_fragments({frag("a.cfg", "CONFIG_A=y\nCONFIG_B=y\n"), frag("b.cfg", "# CONFIG_A is not set\n")});
  EXPECT_EQ(r.seed, "CONFIG_B=y\n\n# CONFIG_A is not set\n");
  const SymbolRequests* a = r.find("A");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->assignments.size(), 2u);
  EXPECT_FALSE(a->assignments[0].in_seed);
  EXPECT_TRUE(a->winner().in_seed);
  EXPECT_EQ(a->winner().value.value, "n");
  EXPECT_EQ(a->effective(), &a->winner());
  ASSERT_EQ(r.redefinitions.size(), 1u);
  EXPECT_TRUE(r.redefinitions[0].differs);
  EXPECT_EQ(r.redefinitions[0].previous, (std::vector<LineRef>{{0, 1}}));
  EXPECT_EQ(r.redefinitions[0].next, (std::vector<LineRef>{{1, 1}}));
  EXPECT_EQ(r.log,
            "Using a.cfg as base\nMerging b.cfg\n"
            "Value of CONFIG_A is redefined by fragment b.cfg:\n"
            "Previous value: CONFIG_A=y\nNew value: # CONFIG_A is not set\n\n");
}

TEST(Merge, SameValueIsNotReportedButStillReplaced) {
  MergeResult r = merge_fragments({frag("a.cfg", "CONFIG_A=y\n"), frag("b.cfg", "CONFIG_A=y\n")});
  EXPECT_EQ(r.seed, "\nCONFIG_A=y\n");
  ASSERT_EQ(r.redefinitions.size(), 1u);
  EXPECT_FALSE(r.redefinitions[0].differs);
  EXPECT_EQ(r.log, "Using a.cfg as base\nMerging b.cfg\n");
}

TEST(Merge, SubstringQuirkDeletesOtherSymbols) {
  // sed /CONFIG_PROC[ =]/d also matches CONFIG_IKCONFIG_PROC=y.
  MergeResult r = merge_fragments(
      {frag("a.cfg", "CONFIG_IKCONFIG_PROC=y\nCONFIG_PROC=y\n"), frag("b.cfg", "CONFIG_PROC=y\n")});
  EXPECT_EQ(r.seed, "\nCONFIG_PROC=y\n");
  ASSERT_EQ(r.collateral.size(), 1u);
  EXPECT_EQ(r.collateral[0].lost_symbol, "IKCONFIG_PROC");
  EXPECT_EQ(r.collateral[0].by_symbol, "PROC");
  EXPECT_EQ(r.collateral[0].line, (LineRef{0, 1}));
  const SymbolRequests* ik = r.find("IKCONFIG_PROC");
  ASSERT_NE(ik, nullptr);
  EXPECT_FALSE(ik->winner().in_seed);
  EXPECT_EQ(ik->effective(), nullptr);
}

TEST(Merge, CommentsMentioningTheSymbolTriggerAndGetDeleted) {
  // The word in a comment is enough for grep -w; the comment goes if "X=" or "X " follows.
  MergeResult r = merge_fragments({frag("a.cfg", "# CONFIG_A=m breaks boot\n# see CONFIG_A.\nCONFIG_B=y\n"),
                                   frag("b.cfg", "CONFIG_A=y\n")});
  EXPECT_EQ(r.seed, "# see CONFIG_A.\nCONFIG_B=y\n\nCONFIG_A=y\n");
  ASSERT_EQ(r.collateral.size(), 1u);
  EXPECT_EQ(r.collateral[0].lost_symbol, "");
  EXPECT_NE(r.log.find("Previous value: # CONFIG_A=m breaks boot # see CONFIG_A.\n"), std::string::npos);
}

TEST(Merge, WordMatchIsWhole) {
  // CONFIG_A is not a word of CONFIG_AB=y: no deletion.
  MergeResult r = merge_fragments({frag("a.cfg", "CONFIG_AB=y\n"), frag("b.cfg", "CONFIG_A=y\n")});
  EXPECT_EQ(r.seed, "CONFIG_AB=y\n\nCONFIG_A=y\n");
  EXPECT_TRUE(r.redefinitions.empty());
}

TEST(Merge, MissingFinalNewlineIsCompletedByTheSeparator) {
  MergeResult r = merge_fragments(
      {frag("a.cfg", "CONFIG_A=y"), frag("b.cfg", "CONFIG_B=y"), frag("c.cfg", "CONFIG_C=y")});
  EXPECT_EQ(r.seed, "CONFIG_A=y\nCONFIG_B=y\nCONFIG_C=y");
  // ... unless the unterminated line was deleted.
  r = merge_fragments({frag("a.cfg", "CONFIG_A=y"), frag("b.cfg", "CONFIG_A=m\n")});
  EXPECT_EQ(r.seed, "\nCONFIG_A=m\n");
}

TEST(Merge, DuplicatesInsideOneFragmentStay) {
  MergeResult r = merge_fragments({frag("a.cfg", "CONFIG_A=y\nCONFIG_A=m\n")});
  EXPECT_EQ(r.seed, "CONFIG_A=y\nCONFIG_A=m\n");
  const SymbolRequests* a = r.find("A");
  ASSERT_EQ(a->assignments.size(), 2u);
  EXPECT_EQ(a->winner().value.value, "m");
  // In a merged fragment both lines are checked: the second CFG finds nothing left.
  r = merge_fragments({frag("a.cfg", "CONFIG_A=n\n"), frag("b.cfg", "CONFIG_A=y\nCONFIG_A=m\n")});
  EXPECT_EQ(r.seed, "\nCONFIG_A=y\nCONFIG_A=m\n");
  EXPECT_EQ(r.redefinitions.size(), 1u);
}

TEST(MergeOptions, BuiltinKeepsYAndDropsTheFragmentsM) {
  std::vector<QueuedFragment> q = {frag("a.cfg", "CONFIG_A=y\nCONFIG_AB=m\n"),
                                   frag("b.cfg", "CONFIG_A=m\nCONFIG_B=y\n")};
  MergeOptions o;
  o.builtin = true;
  MergeResult r = merge_fragments(q, o);
  EXPECT_EQ(r.seed, "CONFIG_A=y\nCONFIG_AB=m\n\nCONFIG_B=y\n");
  EXPECT_NE(
      r.log.find("Previous value: CONFIG_A=y\nNew value: CONFIG_A=m\n-y passed, will not demote y to m\n\n"),
      std::string::npos);
  EXPECT_FALSE(r.strict_violation);
  ASSERT_NE(r.find("A"), nullptr);
  EXPECT_EQ(r.find("A")->effective()->value.value, "y");  // the =m line never reached the seed
  MergeResult plain = merge_fragments(q);
  EXPECT_EQ(plain.seed, "CONFIG_AB=m\n\nCONFIG_A=m\nCONFIG_B=y\n");
  EXPECT_TRUE(plain.strict_violation);
}

TEST(MergeOptions, RedundantAndQuiet) {
  std::vector<QueuedFragment> q = {frag("a.cfg", "CONFIG_A=y\n"), frag("b.cfg", "CONFIG_A=y\n")};
  MergeOptions o;
  o.warn_redundant = true;
  EXPECT_NE(merge_fragments(q, o).log.find("Value of CONFIG_A is redundant by fragment b.cfg:\n"),
            std::string::npos);
  o.quiet = true;
  EXPECT_EQ(merge_fragments(q, o).log.find("redundant"), std::string::npos);
}

TEST(MergeCheck, RequestedNotInFinal) {
  std::string merged = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m # note\n";
  std::string final_config = "CONFIG_A=y\nCONFIG_C=m\n";
  EXPECT_EQ(requested_not_in_final(merged, final_config),
            "Value requested for CONFIG_B not in final .config\nRequested value:  # CONFIG_B is not set\n"
            "Actual value:     \n\n"
            "Value requested for CONFIG_C not in final .config\nRequested value:  CONFIG_C=m # note\n"
            "Actual value:     CONFIG_C=m\n\n");
}

// --- differential: the real merge_config.sh ---------------------------------

std::string kernels_dir() {
  const char* e = std::getenv("KMETA_KERNELS");
  if (e && *e) return e;
  const char* h = std::getenv("HOME");
  return std::string(h ? h : "/root") + "/.cache/kmeta/kernels";
}

std::string merge_config_sh() {
  std::string p = kernels_dir() + "/linux-6.12/scripts/kconfig/merge_config.sh";
  return file_exists(p) ? p : "";
}

// Runs `merge_config.sh -m` on files and returns the merged file and stdout.
bool run_reference(const std::vector<std::string>& files, std::string* seed, std::string* out) {
  std::string script = merge_config_sh();
  fs::path dir = fs::temp_directory_path() / ("kmeta-merge-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string cmd = "cd '" + dir.string() + "' && sh '" + script + "' -m -O '" + dir.string() + "'";
  for (const auto& f : files) cmd += " '" + f + "'";
  cmd += " > stdout 2>&1";
  int rc = std::system(cmd.c_str());
  auto s = read_file((dir / ".config").string());
  auto o = read_file((dir / "stdout").string());
  fs::remove_all(dir);
  if (rc != 0 || !s || !o) return false;
  *seed = *s;
  *out = *o;
  return true;
}

void expect_same_as_reference(const std::vector<std::pair<std::string, std::string>>& files) {
  fs::path dir = fs::temp_directory_path() / ("kmeta-frags-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::string> paths;
  std::vector<QueuedFragment> queue;
  for (size_t i = 0; i < files.size(); ++i) {
    std::string p = (dir / (std::to_string(i) + "-" + files[i].first)).string();
    ASSERT_TRUE(write_file_atomic(p, files[i].second));
    paths.push_back(p);
    QueuedFragment q = frag(files[i].first, files[i].second);
    q.merge_name = p;
    queue.push_back(std::move(q));
  }
  std::string seed, out;
  bool ok = run_reference(paths, &seed, &out);
  fs::remove_all(dir);
  ASSERT_TRUE(ok);
  MergeResult r = merge_fragments(queue);
  EXPECT_EQ(r.seed, seed);
  EXPECT_EQ(out.substr(0, r.log.size()), r.log);
}

TEST(MergeDifferential, TrickyFragments) {
  if (merge_config_sh().empty())
    GTEST_SKIP() << "no kernel tree with merge_config.sh under " << kernels_dir();
  expect_same_as_reference({{"a.cfg", "CONFIG_IKCONFIG_PROC=y\nCONFIG_PROC=y\n# CONFIG_X=m breaks\n"},
                            {"b.cfg", "CONFIG_PROC=y\nCONFIG_X=y\n# CONFIG_Y is not set"},
                            {"c.cfg", "CONFIG_Y=y\nCONFIG_Y=m\nCONFIG_Z = y\n # CONFIG_Z\n"},
                            {"d.cfg", ""},
                            {"e.cfg", "CONFIG_Z=y\nCONFIG_X=y # OVERRIDE:$MODULE_OR_Y\nCONFIG_S=\"a  b\"\n"},
                            {"f.cfg", "CONFIG_S=\"c\"\n"}});
}

// The queue of a golden BSP, mapped back onto the cache files it was copied from.
std::vector<std::pair<std::string, std::string>> golden_queue(const std::string& dir,
                                                              const std::string& cache) {
  std::vector<std::pair<std::string, std::string>> out;
  auto q = read_file(dir + "/reference/config.queue");
  if (!q) return out;
  for (std::string_view line : split_lines(*q)) {
    std::string name(trim(line.substr(0, line.find('#'))));
    // configs/<branch>/<path in cache>; the branch may contain '/'.
    std::string rest = name.substr(std::string("configs/").size());
    std::string found;
    for (size_t p = rest.find('/'); p != std::string::npos; p = rest.find('/', p + 1))
      if (file_exists(cache + "/" + rest.substr(p + 1))) {
        found = cache + "/" + rest.substr(p + 1);
        break;
      }
    if (found.empty()) return {};
    out.emplace_back(name.substr(name.rfind('/') + 1), *read_file(found));
  }
  return out;
}

// Everything a MergeResult holds, as text, to compare two merges.
std::string dump(const MergeResult& r) {
  std::string out = r.seed + "|" + r.log + "|" + (r.strict_violation ? "strict" : "") + "\n";
  for (const LineRef& l : r.seed_origin)
    out += std::to_string(l.fragment) + ":" + std::to_string(l.line) + " ";
  out += "\n";
  for (const SymbolRequests& s : r.requests) {
    out += s.name + ":";
    for (const Assignment& a : s.assignments)
      out += " " + std::to_string(a.at.fragment) + "/" + std::to_string(a.at.line) + "=" + a.value.value +
             "#" + a.value.trailing + (a.in_seed ? "+" : "-");
    EXPECT_EQ(r.find(s.name), &s);
    out += "\n";
  }
  for (const Redefinition& d : r.redefinitions) {
    out += d.name + " " + std::to_string(d.fragment) + " [" + d.previous_text + "] [" + d.next_text + "] " +
           (d.differs ? "differs" : "same");
    for (const LineRef& l : d.previous)
      out += " p" + std::to_string(l.fragment) + ":" + std::to_string(l.line);
    for (const LineRef& l : d.next) out += " n" + std::to_string(l.fragment) + ":" + std::to_string(l.line);
    out += "\n";
  }
  for (const Collateral& c : r.collateral)
    out += c.text + " " + c.lost_symbol + " " + c.by_symbol + " " + std::to_string(c.by_fragment) + " " +
           std::to_string(c.line.fragment) + ":" + std::to_string(c.line.line) + "\n";
  return out;
}

TEST(MergeState, ExtendEqualsMergingFromScratch) {
  // Redefinitions, the sed substring quirk (CONFIG_PROC= deletes
  // CONFIG_IKCONFIG_PROC=), comments, a last line without newline.
  std::vector<QueuedFragment> base = {
      frag("a.cfg", "CONFIG_A=y\nCONFIG_IKCONFIG_PROC=y\n# CONFIG_B is not set\n"),
      frag("b.cfg", "CONFIG_B=m\n# CONFIG_C=m breaks boot\nCONFIG_D=\"x\"\n"),
      frag("c.cfg", "CONFIG_C=y\nCONFIG_E=y"),
  };
  std::vector<std::vector<QueuedFragment>> extras = {
      {},
      {frag("x.cfg", "CONFIG_PROC=y\n")},
      {frag("x.cfg", "CONFIG_A=m\nCONFIG_NEW=y\n"), frag("y.cfg", "# CONFIG_NEW is not set\nCONFIG_E=y\n")},
      {frag("x.cfg", "CONFIG_D=\"x\"\nCONFIG_B=y")},
  };
  for (const MergeOptions& opt : {MergeOptions{}, MergeOptions{true, true, false}}) {
    std::vector<const QueuedFragment*> prefix;
    prefix.reserve(base.size());
    for (const QueuedFragment& q : base) prefix.push_back(&q);
    MergeState state(prefix, opt);
    EXPECT_EQ(state.merged(), base.size());
    for (const auto& extra : extras) {
      std::vector<const QueuedFragment*> q = prefix;
      for (const QueuedFragment& e : extra) q.push_back(&e);
      EXPECT_EQ(dump(state.extend(q)), dump(merge_fragments(q, opt)));
    }
    // The state is not changed by extending it: the same again.
    std::vector<const QueuedFragment*> q = prefix;
    q.push_back(&extras[1][0]);
    EXPECT_EQ(dump(state.extend(q)), dump(merge_fragments(q, opt)));
  }
  // Every prefix of one queue, extended to the whole.
  std::vector<const QueuedFragment*> all;
  all.reserve(base.size() + extras[2].size());
  for (const QueuedFragment& q : base) all.push_back(&q);
  for (const QueuedFragment& e : extras[2]) all.push_back(&e);
  std::string whole = dump(merge_fragments(all));
  for (size_t n = 0; n <= all.size(); ++n)
    EXPECT_EQ(dump(MergeState({all.begin(), all.begin() + static_cast<long>(n)}).extend(all)), whole) << n;
  EXPECT_EQ(dump(MergeState().extend(all)), whole);
}

TEST(MergeDifferential, GoldenQueues) {
  if (merge_config_sh().empty())
    GTEST_SKIP() << "no kernel tree with merge_config.sh under " << kernels_dir();
  std::string golden = std::string(KMETA_SHARED_DIR) + "/golden/config";
  if (!is_directory(golden)) GTEST_SKIP() << "no goldens at " << golden;
  int n = 0;
  for (const auto& e : fs::directory_iterator(golden)) {
    if (!e.is_directory()) continue;
    auto spec = read_file(e.path().string() + "/spec");
    ASSERT_TRUE(spec);
    std::string branch;
    for (std::string_view l : split_lines(*spec))
      if (starts_with(l, "KCACHE_BRANCH=")) branch = std::string(l.substr(14));
    auto q =
        golden_queue(e.path().string(), std::string(KMETA_SHARED_DIR) + "/data/yocto-kernel-cache/" + branch);
    ASSERT_FALSE(q.empty()) << e.path();
    SCOPED_TRACE(e.path().string());
    expect_same_as_reference(q);
    ++n;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace kmeta::config
