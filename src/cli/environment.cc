#include "cli/environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "kbuild/probe_cache.h"

extern char** environ;

namespace kmeta::cli {

std::map<std::string, std::string> process_env() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

std::string env_or(const char* name, const std::string& dflt) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : dflt;
}

std::string default_probe_cache_dir() {
  if (const char* pc = std::getenv("KMETA_PROBE_CACHE")) return pc;
  std::string passwd_home;
  if (const struct passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_dir) passwd_home = pw->pw_dir;
  return kbuild::default_probe_dir(env_or("XDG_CACHE_HOME"), env_or("HOME"), passwd_home);
}

const char* const kNoModelCacheHelp =
    "always parse Kconfig (default: reuse the parse stored in <probe cache>/models while every file, "
    "variable and "
    "probe it read is unchanged); also re-read the Kconfig files the kernel cache's .kcf lists name "
    "(default: reuse "
    "<probe cache>/kcf while they are unchanged)";

std::string absolute_path(const std::string& p) {
  if (p.empty()) return p;
  std::error_code ec;
  std::filesystem::path a = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ec);
  return ec ? std::filesystem::absolute(p).string() : a.string();
}

std::string scratch_dir_parent() {
  std::string t = env_or("TMPDIR");
  return t.empty() ? "/tmp" : t;
}

}  // namespace kmeta::cli
