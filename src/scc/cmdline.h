// The reference command lines of `scc` and `spp`, parsed into data (the CLI
// layer runs them). Options are read up to the first word that is not one,
// as the reference does; the rest are input files.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kmeta::scc {

struct SccArgs {
  bool help = false;
  bool force = false;
  bool configs = false;       // --configs: list config.queue
  bool verbose = false;       // -v
  bool warn_missing = false;  // -w
  std::string outdir = ".";
  std::string output_spec;          // the -o argument as given ("" = none)
  std::optional<std::string> cmds;  // --cmds
  std::vector<std::string> include_args;
  std::vector<std::pair<std::string, std::string>> defines;
  std::vector<std::string> inputs;
  // kmeta additions
  bool lint = false;      // --lint: check only, print findings, write nothing
  bool json = false;      // --json: the series with provenance on stdout
  bool warnings = false;  // -W / --warnings: print warnings (silent by default for byte compatibility)
  bool date = false;      // --date: record the date in the header as the reference does
  std::string collate;    // --collate=bytes|locale ("" = from the environment)
  std::string dump;       // --dump=ast|series: print an intermediate form instead of writing
};

// Parses `args` (after the command name). On a usage error returns false and
// sets *error.
bool parse_scc_args(const std::vector<std::string>& args, SccArgs* out, std::string* error);

struct SppArgs {
  bool help = false;
  bool find = false;
  bool fuzz = false;
  bool verbose = false;
  std::vector<std::string> include_args;
  std::vector<std::pair<std::string, std::string>> defines;
  std::vector<std::string> inputs;
  std::string collate;
};

bool parse_spp_args(const std::vector<std::string>& args, SppArgs* out, std::string* error);

// "NAME=VALUE" of a -D option.
bool parse_define(const std::string& text, std::pair<std::string, std::string>* out, std::string* error);

}  // namespace kmeta::scc
