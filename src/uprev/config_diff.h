// OLD .config against NEW .config, grouped (removed, added, changed) the way
// scripts/diffconfig groups them, each entry explained from both resolutions:
// the symbol vanished (and what it was probably renamed to), is new, was
// requested by a fragment line, selected, implied, given by a default, or
// is not written because its dependencies are not met.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/merge.h"
#include "kconfig/configuration.h"
#include "uprev/diffconfig.h"

namespace kmeta::uprev {

class RenameIndex;

struct DiffEntry {
  enum class Group : uint8_t { removed, added, changed };
  Group group = Group::changed;
  std::string symbol;    // without "CONFIG_"
  std::string from, to;  // values as written ("" for the absent side)
  std::string why;       // one line
};
const char* to_string(DiffEntry::Group g);

// One side, for explanations.
struct DiffSide {
  const kconfig::Model& model;
  kconfig::Configuration& cfg;
  const config::MergeResult& merge;
  const std::vector<config::QueuedFragment>& queue;
};

// Why `name` has its value on one side, in one phrase: "requested at
// cfg/x.cfg:3", "selected by A, B", "default (drivers/Kconfig:12)",
// "depends on A && B (=n)", "not a symbol of this kernel".
std::string value_reason(const DiffSide& side, const std::string& name);

// The delta's entries in diffconfig's order (removed, changed, added; each by
// name), explained. `renames` may be null.
std::vector<DiffEntry> explain_delta(const ConfigDelta& d, const DiffSide& from, const DiffSide& to,
                                     const RenameIndex* renames);

}  // namespace kmeta::uprev
