// Per requested symbol: how its request fares on OLD and on NEW.
//
// Each side is what `kmeta config` computed for it (config/pipeline.h): the
// winning request of every symbol (last fragment wins), the audit's findings
// (a request with no finding is satisfied), which symbols the kernel defines
// for ARCH, and the written .config. compare_requests() puts every symbol some
// side requests into exactly one ChangeKind, worst first. It is a pure
// function of these facts (no Kconfig engine), so tests build sides by hand.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "config/findings.h"

namespace kmeta::uprev {

// Candidates scoring at least this are "probable renames" (the ones the
// measurement in docs/uprev.md counts as proposals).
inline constexpr int kProbableRename = 40;
// Candidates below this are not listed (same file and type alone give 25).
inline constexpr int kListedRename = 30;

// A symbol of NEW that may be the renamed form of one OLD had (renames.h
// ranks them; uprev.h checks them).
struct RenameCandidate {
  std::string symbol;  // without "CONFIG_"
  int score = 0;
  std::vector<std::string> evidence;  // "same prompt \"...\" (+50)", "similar name (0.82) (+16)", ...
  std::string type;                   // bool, tristate, ...
  Location at;                        // its first definition in NEW
  bool new_in_to = false;             // OLD does not define it
  // The check: requesting CONFIG_<symbol>=<requested> on NEW gives <result>.
  bool checked = false;
  std::string requested;
  std::string result;
  bool holds = false;
  std::string note;                  // why it does not hold (the audit's finding)
  std::vector<config::FixLine> fix;  // verified extra lines that make it hold, if any
};

// Worst first: the report lists changes in this order.
enum class ChangeKind : uint8_t {
  regressed,        // requested on both; satisfied on OLD, not on NEW (NEW defines the symbol)
  vanished,         // requested on OLD, defined by OLD, not by NEW
  newly_unknown,    // requested on NEW, not defined by NEW; not vanished, and not already unknown on OLD
  new_failure,      // requested on NEW only (a new request), and it does not hold
  newly_satisfied,  // requested on both; not satisfied on OLD, satisfied on NEW
  value_changed,    // none of the above, but the request or the resulting value differs
  unchanged,        // same request, same outcome, same value
};
inline constexpr int kChangeKinds = 7;
const char* to_string(ChangeKind k);  // "regressed", "vanished", ...
const char* title(ChangeKind k);      // "regressed", "vanished from NEW", ...

// One side's facts about one symbol.
struct SideState {
  bool requested = false;
  std::string request;                     // the winning requested value ("y", "n", "64", ...)
  Location at;                             // its fragment line
  std::string fragment;                    // its queue name
  bool defined = false;                    // a symbol of this kernel for ARCH
  std::string value = "n";                 // in .config, by meaning ("n" when absent or not set)
  bool written = false;                    // has a line in .config
  std::optional<config::Finding> finding;  // the audit's finding on the request
  bool satisfied() const { return requested && !finding; }
};

// What compare_requests() needs from one side.
struct SideFacts {
  // symbol (no "CONFIG_") -> the winning request; iteration order is not
  // used (symbols are ordered by first request, OLD then NEW).
  struct Request {
    std::string value;
    Location at;
    std::string fragment;
  };
  std::vector<std::pair<std::string, Request>> requests;  // in first-request order
  std::unordered_map<std::string, const config::Finding*> findings;
  std::function<bool(const std::string&)> defined;
  // The .config's value by meaning and whether it is written.
  std::function<std::string(const std::string&)> value;
  std::function<bool(const std::string&)> written;
};

struct SymbolChange {
  ChangeKind kind = ChangeKind::unchanged;
  std::string symbol;  // without "CONFIG_"
  SideState from, to;
  std::string summary;  // one line: what changed
  // Filled by run_uprev(): rename candidates (vanished), NEW's `kmeta why`
  // (regressed, new failures).
  std::vector<RenameCandidate> renames;
  std::string why;
};

// Every symbol requested on either side, grouped by kind (worst first), then
// in request order (OLD's order, then symbols only NEW requests).
std::vector<SymbolChange> compare_requests(const SideFacts& from, const SideFacts& to);

}  // namespace kmeta::uprev
