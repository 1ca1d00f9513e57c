// What `kmeta matrix` writes: matrix.json, the text summary (worst BSPs
// first), the comparison with a previous run's matrix.json, and matrix.html
// (one self-contained file: the JSON embedded, no network).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "matrix/matrix.h"

namespace kmeta::matrix {

// matrix.json ("format": "kmeta-matrix-1").
nlohmann::json to_json(const MatrixRequest& req, const MatrixResult& res);

// A finding's identity across runs: kind, symbol and requested value.
std::string finding_key(const nlohmann::json& finding);

// Adds the comparison with `prev` (a previous matrix.json) to `cur`: per BSP
// "baseline": {present, new_findings, resolved_findings (keys), counts}, each
// finding's "new" flag, and the run's "baseline" summary (BSPs added and
// removed, totals). The .config line changes are already in `cur` (the run
// read the previous .config files). False + an error located at `name` (the
// previous matrix.json's file) when `prev` is not a matrix.json.
bool apply_baseline(const nlohmann::json& prev, const std::string& name, nlohmann::json& cur,
                    Diagnostics* diags);

// Exit policy: "new-findings" (a shown finding that the baseline did not
// have), "any-findings" (any shown finding); BSPs that failed always count.
bool fails(const nlohmann::json& cur, const std::string& fail_on);

// The text summary, BSPs worst first.
std::string render_summary(const nlohmann::json& cur, bool colour);

// matrix.html.
std::string render_html(const nlohmann::json& cur);

}  // namespace kmeta::matrix
