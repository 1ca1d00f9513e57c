#include "kbuild/make_driver.h"

#include <fmt/format.h>
#include <sched.h>
#include <sys/stat.h>

#include <ctime>

#include "base/file_util.h"
#include "base/strings.h"
#include "kbuild/process.h"

namespace kmeta::kbuild {

const char* to_string(Launcher l) {
  switch (l) {
    case Launcher::none: return "";
    case Launcher::ccache: return "ccache";
    case Launcher::distcc: return "distcc";
    case Launcher::ccache_distcc: return "ccache+distcc";
    case Launcher::icecc: return "icecc";
  }
  return "";
}

std::string format_timestamp(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S UTC %Y", &tm);
  return buf;
}

std::map<std::string, std::string> reproducible_env(const MakeOptions& o) {
  return {
      {"KBUILD_BUILD_TIMESTAMP", format_timestamp(o.source_date_epoch)},
      {"KBUILD_BUILD_USER", o.build_user},
      {"KBUILD_BUILD_HOST", o.build_host},
      {"KBUILD_BUILD_VERSION", "1"},
      {"SOURCE_DATE_EPOCH", std::to_string(o.source_date_epoch)},
  };
}

MakeCommand make_command(const MakeOptions& o, const std::vector<std::string>& targets,
                         const std::vector<std::pair<std::string, std::string>>& vars) {
  MakeCommand c;
  c.argv = {"make", "-C", o.srctree, "O=" + o.objtree, "ARCH=" + o.arch.karch};
  if (!o.toolchain.cross_compile.empty()) c.argv.push_back("CROSS_COMPILE=" + o.toolchain.cross_compile);
  std::string wrap;
  switch (o.launcher) {
    case Launcher::none: break;
    case Launcher::ccache:
    case Launcher::ccache_distcc: wrap = "ccache"; break;
    case Launcher::distcc: wrap = "distcc"; break;
    case Launcher::icecc: wrap = "icecc"; break;
  }
  if (!wrap.empty()) c.argv.push_back("CC=" + wrap + " " + o.toolchain.cc);
  // Host programs stay local (ccache only): distributed compilers compile
  // preprocessed source, which has lost the /* fall through */ comments
  // tools/objtool is built to need (-Werror=implicit-fallthrough).
  if (o.launcher == Launcher::ccache) c.argv.push_back("HOSTCC=ccache gcc");
  c.argv.push_back("-j" + std::to_string(o.jobs));
  if (o.verbose) c.argv.push_back("V=1");
  for (const auto& [k, v] : vars) c.argv.push_back(str_cat({k, "=", v}));
  for (const auto& t : targets) c.argv.push_back(t);

  c.env = o.base_env;
  // Our -j, not an outer make's jobserver; messages in C so errors parse.
  for (const char* k : {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS", "LANGUAGE"})
    c.env.erase(k);
  c.env["LC_MESSAGES"] = "C";
  if (o.launcher == Launcher::ccache_distcc) c.env["CCACHE_PREFIX"] = "distcc";
  for (auto& [k, v] : reproducible_env(o)) c.env[k] = v;
  return c;
}

int64_t source_date_epoch(const std::string& srctree, const std::map<std::string, std::string>& env,
                          std::string* source) {
  auto it = env.find("SOURCE_DATE_EPOCH");
  if (it != env.end() && !it->second.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (end && *end == '\0') {
      *source = "SOURCE_DATE_EPOCH";
      return v;
    }
  }
  if (file_exists(srctree + "/.git") || is_directory(srctree + "/.git")) {
    std::string out;
    ProcessResult r = run_capture({"git", "-C", srctree, "log", "-1", "--format=%ct"}, env, &out);
    std::string_view t = trim(out);
    if (r.ok() && !t.empty()) {
      *source = "the commit date of " + srctree;
      return std::strtoll(std::string(t).c_str(), nullptr, 10);
    }
  }
  struct stat st;
  if (::stat((srctree + "/Makefile").c_str(), &st) == 0) {
    *source = "the mtime of " + srctree + "/Makefile";
    return st.st_mtime;
  }
  *source = "none (epoch 0)";
  return 0;
}

int available_cores() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return 1;
}

int jobs_for(Launcher l, int cores, int given, const std::map<std::string, std::string>& env) {
  if (given > 0) return given;
  if (l == Launcher::distcc || l == Launcher::ccache_distcc) {
    std::string out;
    ProcessResult r = run_capture({"distcc", "-j"}, env, &out);
    // stdout and stderr are merged: take the line that is a number.
    for (std::string_view line : split_lines(out)) {
      std::string t(trim(line));
      char* end = nullptr;
      long n = r.ok() && !t.empty() ? std::strtol(t.c_str(), &end, 10) : 0;
      if (n > 0 && end && *end == '\0') return static_cast<int>(n);
    }
  }
  if (l == Launcher::icecc) return 4 * cores;
  return cores;
}

}  // namespace kmeta::kbuild
