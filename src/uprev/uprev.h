// `kmeta uprev`: one BSP (and a team's own layer) resolved on an OLD and a
// NEW kernel, compared, before anything is built.
//
//   run both sides      config::run_config() on each (the exact `kmeta config`
//                       pipeline: BSP lookup, scc, merge, Kconfig, audit), in
//                       parallel
//   compare requests    changes.h: regressed, vanished, newly unknown, new
//                       failures, newly satisfied, value changed, unchanged
//   explain + fix       the audit again on NEW with fixes for the regressed
//                       and failing requests (config::audit_queue), `kmeta
//                       why` for each
//   renames             renames.h ranks NEW symbols for each vanished one;
//                       each candidate is checked by resolving NEW with it
//                       requested (and audited when it does not hold)
//   requirements        --require fragments checked on NEW's .config; a
//                       failing one is queued after NEW's fragments and
//                       audited, which gives why + a verified fix
//   config diff         config_diff.h: OLD .config vs NEW .config, explained
//
// Nothing is written by run_uprev(); write_uprev() puts uprev.txt,
// uprev.json and both .configs under the output directory atomically.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/pipeline.h"
#include "uprev/changes.h"
#include "uprev/config_diff.h"
#include "uprev/diffconfig.h"

namespace kmeta::uprev {

struct UprevRequest {
  config::ConfigRequest from, to;          // each side as `kmeta config` runs it
  std::vector<std::string> require_files;  // --require fragments (absolute paths)
  std::string from_label, to_label;        // how the report names the sides ("linux-6.1", ...)
  bool check_renames = true;               // check the candidates of vanished symbols on NEW
  size_t renames_listed = 3;               // candidates listed per vanished symbol (score >= kListedRename)
  size_t renames_checked = 3;              // of those, checked on NEW
  // Rank candidates for every symbol OLD defines and NEW does not (not only
  // the requested ones), unchecked: the rename measurement of docs/uprev.md.
  bool all_vanished = false;
};

struct RequirementResult {
  std::string symbol;  // without "CONFIG_"
  std::string value;   // required value
  Location at;         // the --require file line
  SideState from, to;  // value / defined / written on each side (no request)
  bool holds = false;  // on NEW
  bool held_on_old = false;
  // When it does not hold: NEW's `kmeta why`, and the audit of NEW with the
  // require files queued after its fragments (the finding, with a verified
  // fix when one exists; no finding = queuing the requirement is the fix).
  std::string why;
  std::optional<config::Finding> finding;
  bool queue_fixes = false;              // requesting it on NEW makes it hold (verified by resolving)
  std::vector<RenameCandidate> renames;  // the symbol vanished from NEW
};

struct VanishedSymbol {
  std::string symbol;
  std::vector<RenameCandidate> candidates;
};

struct UprevResult {
  config::ConfigResult from, to;
  std::vector<SymbolChange> changes;  // worst first
  size_t counts[kChangeKinds] = {};
  std::vector<RequirementResult> requirements;
  bool requirements_hold = true;
  ConfigDelta delta;                         // diffconfig's reading of the two .configs
  std::vector<DiffEntry> diff;               // explained
  std::vector<VanishedSymbol> all_vanished;  // with UprevRequest::all_vanished
  Diagnostics diags;                         // located problems of the --require files
  std::vector<config::Timing> timings;
};

// False + the reason in *diags (a side's failure, its unlocated messages
// prefixed "OLD: " or "NEW: "; an unreadable --require file).
bool run_uprev(const UprevRequest& req, UprevResult* out, Diagnostics* diags);

// DIR/uprev.txt (the text report, no colour), DIR/uprev.json,
// DIR/old.config, DIR/new.config; each written atomically.
bool write_uprev(const std::string& dir, const UprevRequest& req, const UprevResult& res, Diagnostics* diags);

}  // namespace kmeta::uprev
