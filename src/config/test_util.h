// Helpers shared by this module's tests (header-only; not part of the library).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "base/strings.h"
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
inline std::vector<std::string> golden_bsps() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(golden_config_dir(), ec))
    if (e.is_directory()) out.push_back(e.path().string());
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

// KernelOptions for a tree, with the shared probe cache.
inline KernelOptions kernel_options(const std::string& srctree, const std::string& arch, const std::string& cross,
                                    const std::string& objtree) {
  KernelOptions o;
  o.srctree = srctree;
  o.objtree = objtree;
  o.arch = arch;
  if (!cross.empty()) o.cross_compile = cross;
  struct utsname u;
  ::uname(&u);
  o.host = {u.machine, u.release};
  o.base_env = process_env();
  const char* pc = std::getenv("KMETA_PROBE_CACHE");
  const char* home = std::getenv("HOME");
  o.probe_dir = pc && *pc ? pc : std::string(home ? home : "/root") + "/.cache/kmeta/probes";
  return o;
}

}  // namespace kmeta::config::testing
