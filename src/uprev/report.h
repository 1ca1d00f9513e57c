// Rendering an uprev: the human text (worst first, optional ANSI colour) and
// JSON. Output order is stable and part of the spec.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "uprev/uprev.h"

namespace kmeta::uprev {

struct ReportOptions {
  bool colour = false;  // ANSI colours (the CLI decides: a tty, NO_COLOR unset)
  bool all = false;     // also list unchanged requests (counted otherwise)
  size_t max_diff = 0;  // config diff entries listed per group (0 = all)
};

std::string render_text(const UprevRequest& req, const UprevResult& res, const ReportOptions& opt = {});
nlohmann::json to_json(const UprevRequest& req, const UprevResult& res);

}  // namespace kmeta::uprev
