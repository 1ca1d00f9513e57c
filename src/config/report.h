// Rendering an AuditReport: the human text (grouped by kind, worst first,
// optional ANSI colour) and JSON. Output order is stable and part of the spec.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "config/findings.h"

namespace kmeta::config {

struct TextOptions {
  bool colour = false;       // ANSI colours (the CLI decides: a tty, NO_COLOR unset)
  bool show_hidden = false;  // also list findings hidden by the levels
  int max_chain = 3;         // include-chain entries shown per request
};

// The whole audit as text. Empty when nothing is shown and nothing hidden.
std::string render_text(const AuditReport& r, const AuditLevels& levels, const TextOptions& opt = {});

// One finding (as in the text report), without colour.
std::string render_finding(const Finding& f, const TextOptions& opt = {});

// The mismatch findings only (Yocto's cfg/mismatch.txt); `classify` hides
// non-hardware options as symbol_why.py --classify does.
std::string render_mismatch_file(const AuditReport& r, bool classify);

nlohmann::json to_json(const AuditReport& r, const AuditLevels& levels);
// One finding as in to_json(AuditReport) (without "shown").
nlohmann::json to_json(const Finding& f);

}  // namespace kmeta::config
