// Reading and writing configuration files (lkc's confdata.c).
//
// `.config` reading (conf_read_simple / conf_read), `.config` writing
// (conf_write: header, menu comments, `# end of`, the blank-line rules, the
// atomic replace with `.old` and the "No change" message), savedefconfig
// (conf_write_defconfig) and the side outputs of conf_write_autoconf
// (include/config/auto.conf, auto.conf.cmd, the touch files,
// include/generated/autoconf.h and rustc_cfg), for both dialects.
//
// Nothing here reads the process environment or the process cwd: a ConfContext
// carries the environment map and the directory relative paths start from.
// Messages (warnings, "configuration written to ...") go to the
// Configuration's message log with lkc's exact bytes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kconfig/configuration.h"

namespace kmeta {
class FileSystem;
}

namespace kmeta::kconfig {

// The environment conf runs in.
struct ConfContext {
  std::string cwd;  // base of relative paths; empty = the process cwd
  std::map<std::string, std::string, std::less<>> env;
  bool quiet = false;  // conf -s / syncconfig: no "#\n# msg\n#" messages
  // Where .config, defconfigs and KCONFIG_ALLCONFIG are read (open_read);
  // null = the disk. Outputs are written to the disk (base/file_util.h).
  FileSystem* files = nullptr;

  const std::string* getenv(std::string_view name) const {
    auto it = env.find(name);
    return it == env.end() ? nullptr : &it->second;
  }
  // The CONFIG_ prefix (the environment variable `CONFIG_` overrides it).
  std::string_view prefix() const {
    const std::string* p = getenv("CONFIG_");
    return p ? std::string_view(*p) : std::string_view("CONFIG_");
  }
  // KCONFIG_CONFIG or ".config".
  std::string config_name() const {
    const std::string* p = getenv("KCONFIG_CONFIG");
    return p ? *p : std::string(".config");
  }
  // `path` relative to cwd (absolute paths unchanged).
  std::string resolve(std::string_view path) const;
  // zconf_fopen: `name` from cwd, else `$srctree/name` for relative names.
  // A directory reads as an empty file (fopen succeeds, reading fails).
  std::optional<std::string> open_read(const std::string& name) const;
};

// State of reading kept between calls (lkc's conf_warnings).
struct ReadState {
  int warnings = 0;  // warnings of the last file loaded (reset per file)
  // Names from include/config/auto.conf that are no longer symbols (touch files).
  std::vector<std::string> stale_auto;
};

// conf_read_simple: `name` null = KCONFIG_CONFIG/.config, falling back to
// KCONFIG_DEFCONFIG_LIST. Returns false when nothing could be opened.
bool read_config_simple(Configuration& cfg, const ConfContext& ctx, const std::string* name, DefSlot slot,
                        ReadState& rs);
// Reads a config from memory (used by read_config_simple, tests and the fuzzer).
void load_config_text(Configuration& cfg, const ConfContext& ctx, std::string_view file_name,
                      std::string_view text, DefSlot slot, ReadState& rs);
// conf_read: read (user slot), recompute everything in table order and decide
// whether the run is "changed". Returns false when nothing was read.
bool read_config(Configuration& cfg, const ConfContext& ctx, const std::string* name, ReadState& rs);

// The `.config` text conf_write would produce (computes values, may warn;
// recomputes everything first when the run is not marked changed).
std::string render_config(Configuration& cfg, const ConfContext& ctx);
// conf_write: 0 on success, -1 / 1 on the two lkc failure kinds (the caller
// prints "*** Error during writing of the configuration.").
int write_config(Configuration& cfg, const ConfContext& ctx, const std::string* name = nullptr);

// conf_write_defconfig's text, and the write itself (0 ok, 1 cannot open).
std::string render_defconfig(Configuration& cfg, const ConfContext& ctx);
int write_defconfig(Configuration& cfg, const ConfContext& ctx, const std::string& filename);

// conf_write_autoconf: side outputs. With overwrite=false nothing happens when
// auto.conf exists already. Returns 0 on success.
int write_autoconf(Configuration& cfg, const ConfContext& ctx, ReadState& rs, bool overwrite);

// Value formatting (confdata.c:__print_symbol and friends), appended to `out`.
enum class PrintN { as_value, as_unset, none };
void print_symbol(const Configuration& cfg, SymbolId s, std::string_view prefix, PrintN n, bool escape,
                  std::string& out);
std::string escape_string_value(std::string_view in);

}  // namespace kmeta::kconfig
