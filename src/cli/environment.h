// What the CLI takes from its own process: the environment (the library
// never reads it; commands pass it in), and where the on-disk caches live.
#pragma once

#include <map>
#include <string>

namespace kmeta::cli {

// Every NAME=VALUE of the process environment.
std::map<std::string, std::string> process_env();
// `p` made absolute against the process's working directory, with symlinks
// and "."/".." resolved as far as the path exists (weakly_canonical); ""
// stays "".
std::string absolute_path(const std::string& p);
// getenv(name), or `dflt` when unset.
std::string env_or(const char* name, const std::string& dflt = {});
// The probe cache directory when none is given: $KMETA_PROBE_CACHE, else
// $XDG_CACHE_HOME/kmeta/probes, else $HOME/.cache/kmeta/probes, else the
// passwd entry's home's; "" (no cache: the probe cache then says so) when
// there is none, never a shared directory. Stored parses live in its models/
// subdirectory, the classification's .kcf scans in kcf/.
std::string default_probe_cache_dir();

// Where private scratch directories go (base::ScratchDir): $TMPDIR when set
// and not empty, else /tmp.
std::string scratch_dir_parent();

// Help text of --no-model-cache, shared by the commands that parse Kconfig.
extern const char* const kNoModelCacheHelp;

}  // namespace kmeta::cli
