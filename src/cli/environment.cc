#include "cli/environment.h"

#include <cstdlib>

#include "kconfig/probe_cache.h"

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
  return env_or("KMETA_PROBE_CACHE", kconfig::default_probe_dir(env_or("XDG_CACHE_HOME"), env_or("HOME")));
}

const char* const kNoModelCacheHelp =
    "always parse Kconfig (default: reuse the parse stored in <probe cache>/models while every file, variable and "
    "probe it read is unchanged)";

}  // namespace kmeta::cli
