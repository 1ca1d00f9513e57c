// Command-line options shared by `kmeta config`, `kmeta audit` and
// `kmeta why`: the BSP / kernel / output options, the audit levels (with
// Yocto's KCONF_AUDIT_LEVEL, KCONF_BSP_AUDIT_LEVEL and KMETA_AUDIT_WERROR as
// defaults), and the record `kmeta config` leaves in BUILD so the other two
// can re-run the same configuration with just `-C BUILD`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "config/build_dir.h"
#include "config/pipeline.h"

namespace kmeta::cli {

struct ConfigOptions {
  std::vector<std::string> caches;
  std::string machine;
  std::string ktype = "standard";
  std::string kernel;
  std::string arch;
  std::string cross_compile;
  bool cross_compile_given = false;
  std::vector<std::string> features;
  std::vector<std::string> fragments;
  std::string defconfig;
  std::string mode;         // "" = alldefconfig, or allnoconfig when a defconfig is given
  std::string kernel_meta;  // use an existing .kernel-meta queue instead of the BSP
  bool prefer_modules = false;
  std::string output;

  int audit_level = -1;      // -1: $KCONF_AUDIT_LEVEL, else 1
  int bsp_audit_level = -1;  // -1: $KCONF_BSP_AUDIT_LEVEL, else 0
  bool werror = false;       // or $KMETA_AUDIT_WERROR non-empty
  bool no_fix = false;
  bool json = false;
  std::string color = "auto";
  bool show_hidden = false;
  bool timings = false;
  bool quiet = false;

  std::string probe_dir;
  bool no_probe_cache = false;
  bool no_model_cache = false;
  bool replay = false;
  // The options came from a build directory's record (why/audit -C): a file
  // kmeta only reads names the kernel, so its probes are replayed, never run.
  bool from_record = false;
};

// The note to add when a command that replays a record's probes fails.
extern const char* const kRecordReplayNote;

// Adds the BSP options (--cache, --machine, --type, --kernel, --arch,
// --feature, --fragment, --defconfig): what `kmeta tree` shares for its patch pass.
void add_bsp_options(CLI::App& app, ConfigOptions& o);
// Adds the BSP options and the kernel/configuration ones (--mode,
// --cross-compile, --kernel-meta, --prefer-modules, the probe caches).
void add_input_options(CLI::App& app, ConfigOptions& o);
// Adds the audit options (levels, --json, --color, --no-fix, ...).
void add_audit_options(CLI::App& app, ConfigOptions& o);

// Fills defaults from the environment (audit levels, werror) and checks the
// combination. False + an error in *diags on a usage error.
bool finish_options(ConfigOptions& o, Diagnostics* diags);

// The library request for these options (BSP lookup included). False + an
// error in *diags (located at its config.queue line for a --kernel-meta
// queue's entry) when the output or the queue cannot be used.
bool build_request(const ConfigOptions& o, config::ConfigRequest* req, Diagnostics* diags);

// BUILD/.kernel-meta/kmeta-config.json: the inputs of the last `kmeta config`
// (its text; write_outputs() writes it last).
std::string options_record(const ConfigOptions& o);
// False + an error in *diags (located at the record for a damaged one) when
// BUILD has no usable record.
bool load_options(const std::string& build, ConfigOptions* o, Diagnostics* diags);

// Writes a configured run's outputs (and the record of `o`) into req.output
// under the build directory protocol: takes BUILD's exclusive lock unless
// `lock` already holds it (a second writer waits, saying so as `command`),
// and leaves it held in `lock` for the caller to release.
bool write_build_dir(const char* command, const config::ConfigRequest& req, config::ConfigResult& res,
                     const ConfigOptions& o, config::BuildDirLock* lock, Diagnostics* diags);

// `kmeta audit` and `kmeta why`: the options `kmeta config` recorded in
// BUILD (unless the kernel options were given on the command line; BUILD
// then is the output directory), checked, and the library request for them.
// BUILD's shared lock is taken first (keep `lock` until BUILD/.config is
// read), and a BUILD left incomplete by a killed run is refused.
// On failure prints the errors (cli/errors.h) and returns false with *exit_code
// set (usage error or failure).
bool request_for_build(const char* command, const std::string& build, ConfigOptions& o,
                       config::ConfigRequest* req, config::BuildDirLock* lock, int* exit_code);

// Every option of `app` (and its subcommands) that takes a value refuses an
// empty one (`-o ""`, `--kernel "$UNSET"`), except those named in
// `may_be_empty` (e.g. "--cross-compile": empty means the host compiler).
void reject_empty_values(CLI::App& app, const std::vector<std::string>& may_be_empty = {});

// Prints the audit (text or JSON, per the options) and the timings; returns
// the exit status `kmeta config` uses (1 with --werror and shown findings).
int print_audit(const config::ConfigRequest& req, const config::ConfigResult& res, const ConfigOptions& o);

// Prints the located scc diagnostics of a run to stderr, each with its source
// line and a caret (base/diagnostic_render.h), as `kmeta scc` shows them.
void print_diagnostics(const config::ConfigResult& res);
void print_diagnostics(const Diagnostics& ds);

// Whether to colour output for `mode` (auto: stdout is a tty and NO_COLOR unset).
bool use_colour(const std::string& mode);

}  // namespace kmeta::cli
