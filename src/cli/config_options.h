// Command-line options shared by `kmeta config`, `kmeta audit` and
// `kmeta why`: the BSP / kernel / output options, the audit levels (with
// Yocto's KCONF_AUDIT_LEVEL, KCONF_BSP_AUDIT_LEVEL and KMETA_AUDIT_WERROR as
// defaults), and the record `kmeta config` leaves in BUILD so the other two
// can re-run the same configuration with just `-C BUILD`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

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
  std::string mode;           // "" = alldefconfig, or allnoconfig when a defconfig is given
  std::string kernel_meta;    // use an existing .kernel-meta queue instead of the BSP
  bool prefer_modules = false;
  std::string output;

  int audit_level = -1;       // -1: $KCONF_AUDIT_LEVEL, else 1
  int bsp_audit_level = -1;   // -1: $KCONF_BSP_AUDIT_LEVEL, else 0
  bool werror = false;        // or $KMETA_AUDIT_WERROR non-empty
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
};

// Adds the BSP/kernel/output options (`with_output`: -o is accepted).
void add_input_options(CLI::App& app, ConfigOptions& o);
// Adds the audit options (levels, --json, --color, --no-fix, ...).
void add_audit_options(CLI::App& app, ConfigOptions& o);

// Fills defaults from the environment (audit levels, werror) and checks the
// combination. False + message on a usage error.
bool finish_options(ConfigOptions& o, std::string* error);

// The library request for these options (BSP lookup included). False +
// message when the BSP or the kernel cannot be used; diagnostics (located
// scc errors) are printed to stderr.
bool build_request(const ConfigOptions& o, config::ConfigRequest* req, std::string* error);

// BUILD/.kernel-meta/kmeta-config.json: the inputs of the last `kmeta config`.
bool save_options(const ConfigOptions& o, std::string* error);
bool load_options(const std::string& build, ConfigOptions* o, std::string* error);

// `kmeta audit` and `kmeta why`: the options `kmeta config` recorded in
// BUILD (unless the kernel options were given on the command line; BUILD
// then is the output directory), checked, and the library request for them.
// On failure prints "<command>: <reason>" and returns false with *exit_code
// set (usage error or failure).
bool request_for_build(const char* command, const std::string& build, ConfigOptions& o,
                       config::ConfigRequest* req, int* exit_code);

// Prints the audit (text or JSON, per the options) and the timings; returns
// the exit status `kmeta config` uses (1 with --werror and shown findings).
int print_audit(const config::ConfigRequest& req, const config::ConfigResult& res, const ConfigOptions& o);

// Prints the located scc diagnostics of a run to stderr.
void print_diagnostics(const config::ConfigResult& res);

// Whether to colour output for `mode` (auto: stdout is a tty and NO_COLOR unset).
bool use_colour(const std::string& mode);

}  // namespace kmeta::cli
