// `kmeta why CONFIG_X`: one symbol's value and where it came from, read from
// the engine's Origin record and the fragment queue: the fragment line that
// set it (with the .scc include chain), or the default / select / imply /
// choice that decided it; its dependencies with their values; every fragment
// that assigned it; and the audit's finding when the request did not stick.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "config/findings.h"
#include "config/pipeline.h"

namespace kmeta::config {

struct WhyRecord {
  std::string symbol;    // without "CONFIG_"
  bool known = false;    // defined in this kernel for this ARCH
  std::string type;      // bool, tristate, int, hex, string
  std::string value;     // computed value ("n" for an unset bool)
  bool written = false;  // appears in .config
  std::string prompt;    // first prompt text, "" if none
  std::vector<Location> defined_at;
  std::string source;                    // fragment, default, select, imply, choice, not set, ...
  std::string explanation;               // one sentence
  Location source_at;                    // the fragment line / default / choice default
  std::vector<Location> source_chain;    // .scc include chain of the fragment line
  std::string depends_on;                // the direct dependency, printed with values
  std::string depends_value;             // its value
  std::vector<Term> false_terms;         // operands below the requested value (or n)
  std::vector<std::string> selected_by;  // "FOO [=y]" for every select term that is not n
  std::vector<std::string> implied_by;
  struct Request {
    std::string value;
    Location at;
    std::string fragment;
    bool wins = false;
    bool in_seed = true;
  };
  std::vector<Request> requests;     // every fragment assignment, merge order
  const Finding* finding = nullptr;  // the audit's finding, if any
  std::string suggestion;            // unknown symbols: did you mean / other ARCH
};

WhyRecord why(const ConfigRequest& req, ConfigResult& res, const std::string& symbol);
std::string render_why(const WhyRecord& w);
nlohmann::json to_json(const WhyRecord& w);

}  // namespace kmeta::config
