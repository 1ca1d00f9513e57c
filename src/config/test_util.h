// Helpers shared by this module's tests (header-only; not part of the library).
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "base/strings.h"
#include "base/testing/temp_dir.h"
#include "config/merge.h"

namespace kmeta::config::testing {

inline std::string kernels_dir() {
  const char* e = std::getenv("KMETA_KERNELS");
  if (e && *e) return e;
  const char* h = std::getenv("HOME");
  return std::string(h ? h : "/root") + "/.cache/kmeta/kernels";
}

inline std::string shared_dir() { return KMETA_SHARED_DIR; }
inline std::string golden_config_dir() { return shared_dir() + "/golden/config"; }

// Golden BSP folders (linux-<ver>--<machine>-<ktype>), sorted.
// The golden directories, sorted; KMETA_GOLDEN_MATCH (an ECMAScript regex
// searched in the directory name, as tests/config_golden.sh reads it) keeps a
// subset.
inline std::vector<std::string> golden_bsps() {
  std::vector<std::string> out;
  std::error_code ec;
  const char* match = std::getenv("KMETA_GOLDEN_MATCH");
  std::optional<std::regex> re;
  if (match && *match) re.emplace(match);
  for (const auto& e : std::filesystem::directory_iterator(golden_config_dir(), ec))
    if (e.is_directory() && (!re || std::regex_search(e.path().filename().string(), *re)))
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// One `KEY=value` of a golden's spec file (quotes removed).
inline std::string spec_value(const std::string& bsp, std::string_view key) {
  auto spec = read_file(bsp + "/spec");
  if (!spec) return "";
  for (std::string_view l : split_lines(*spec))
    if (starts_with(l, key) && l.size() > key.size() && l[key.size()] == '=') {
      std::string_view v = l.substr(key.size() + 1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  return "";
}

// A golden's truth on the kernel tree at hand (tests/lib/golden_truth.sh): the
// golden's own folder when it was recorded on this tree's point release and
// toolchain, otherwise the reference flow's output computed live on this tree,
// laid out like a golden. `describe` says which ("recorded 6.12.118",
// "live on 6.12.117 (recorded 6.12.118)"). Live truths are kept under the
// build tree (KMETA_TRUTH_CACHE overrides) and shared with the shell tests.
struct GoldenTruth {
  std::string dir;
  std::string describe;
};

inline std::string truth_cache_dir() {
  const char* e = std::getenv("KMETA_TRUTH_CACHE");
  return e && *e ? e : std::string(KMETA_BINARY_DIR) + "/golden-truth";
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// nullopt (with the script's message in *error) when the truth cannot be had.
inline std::optional<GoldenTruth> golden_truth(const std::string& bsp, const std::string& ksrc,
                                               std::string* error) {
  std::string cmd = "bash " + shell_quote(std::string(KMETA_SOURCE_DIR) + "/tests/lib/golden_truth.sh") +
                    " " + shell_quote(bsp) + " " + shell_quote(ksrc) + " " + shell_quote(truth_cache_dir()) +
                    " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) {
    *error = "cannot run " + cmd;
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  size_t nl = out.rfind('\n');
  std::string last = nl == std::string::npos ? out : out.substr(nl + 1);
  size_t tab = last.find('\t');
  if (rc != 0 || tab == std::string::npos) {
    *error = out;
    return std::nullopt;
  }
  return GoldenTruth{last.substr(0, tab), last.substr(tab + 1)};
}

// The cache file a config.queue entry was copied from: configs/<branch>/<path>,
// where the branch may itself contain '/'.
inline std::string cache_file_of(const std::string& queue_name, const std::string& cache) {
  std::string rest = queue_name.substr(std::string("configs/").size());
  for (size_t p = rest.find('/'); p != std::string::npos; p = rest.find('/', p + 1))
    if (file_exists(cache + "/" + rest.substr(p + 1))) return cache + "/" + rest.substr(p + 1);
  return "";
}

// A golden BSP's fragment queue as QueuedFragments (queue_name, class and the
// cache file's text). Empty when a file cannot be found.
inline std::vector<QueuedFragment> golden_queue(const std::string& bsp) {
  std::string cache = shared_dir() + "/data/yocto-kernel-cache/" + spec_value(bsp, "KCACHE_BRANCH");
  std::vector<QueuedFragment> out;
  auto q = read_file(bsp + "/reference/config.queue");
  if (!q) return out;
  for (std::string_view line : split_lines(*q)) {
    size_t hash = line.find('#');
    std::string name(trim(line.substr(0, hash)));
    std::string file = cache_file_of(name, cache);
    if (file.empty()) return {};
    QueuedFragment f;
    f.fragment = parse_fragment(file, *read_file(file));
    f.queue_name = name;
    f.merge_name = ".kernel-meta/" + name;
    f.kconf_class = hash == std::string_view::npos ? "" : std::string(trim(line.substr(hash + 1)));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kmeta::config::testing

#include <sys/utsname.h>
#include <unistd.h>

#include "config/resolve.h"

extern char** environ;

namespace kmeta::config::testing {

inline std::map<std::string, std::string> process_env() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

// This test process's own probe (and model) cache: a directory under $TMPDIR
// made on first use and removed at exit, never the user's ~/.cache/kmeta
// (whose stale entries would fail, or pass, the tests). The first kernel load
// of each tree and ARCH runs its probes; the rest of the process reuses them.
inline const std::string& private_probe_dir() {
  static const kmeta::testing::TempDir dir("kmeta-test-probes");
  static const std::string probes = dir / "probes";
  return probes;
}

// KernelOptions for a tree, with the process's private probe cache.
inline KernelOptions kernel_options(const std::string& srctree, const std::string& arch,
                                    const std::string& cross, const std::string& objtree) {
  KernelOptions o;
  o.srctree = srctree;
  o.objtree = objtree;
  o.arch = arch;
  if (!cross.empty()) o.cross_compile = cross;
  struct utsname u;
  ::uname(&u);
  o.host = {u.machine, u.release};
  o.base_env = process_env();
  o.probe_dir = private_probe_dir();
  return o;
}

}  // namespace kmeta::config::testing
