// What yocto-kernel-tools' symbol_why.py reads from a fragment queue, and the
// reports it prints from that alone.
//
// symbol_why.py walks `.kernel-meta/config.queue`, parses every fragment with
// its own regexes (which differ from merge_config.sh's and the kernel's: the
// value stops at the first blank or '#', "# CONFIG_X is not set" matches as a
// prefix) and keys everything by the fragment's queue name, so a fragment
// queued twice counts once. The `--sanity` (redefinitions) and `--invalid`
// reports are pure functions of those facts plus a symbol lookup; they are
// reproduced here byte for byte so `kmeta config` can write the same
// `cfg/redefinition.txt` and `cfg/invalid.txt` Yocto writes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/merge.h"

namespace kmeta::config {

// symbol_why.py's split_option(): one fragment line.
struct QueueOption {
  enum Kind { none, option, invalid } kind = none;
  std::string name;   // "CONFIG_X" (option)
  std::string value;  // the value ("n" for "is not set"), or the whole line (invalid)
};
QueueOption split_queue_option(std::string_view line);

struct QueueFacts {
  // fragment queue name -> option -> value (reset each time the name is queued again)
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> fragments;
  // option -> fragment queue name -> last value
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> options;
  // fragment -> options assigned twice in it (appended again on every queueing)
  std::vector<std::pair<std::string, std::vector<std::string>>> duplicated;
  // fragment -> malformed lines
  std::vector<std::pair<std::string, std::vector<std::string>>> malformed;

  const std::vector<std::pair<std::string, std::string>>* option(std::string_view name) const;  // linear
};

// Builds the facts from the merge queue (queue_name is the key; the text is
// the fragment's own).
QueueFacts read_queue_facts(const std::vector<QueuedFragment>& queue);

// `symbol_why.py --sanity` without a symbol: the redefinition report.
// `filter` holds option names without "CONFIG_" to leave out (--filter).
std::string render_sanity_report(const QueueFacts& facts, const std::vector<std::string>& filter = {});

// `symbol_why.py --invalid [--strict]` without a symbol. `in_kconfig(name)`
// says whether the parsed Kconfig knows the name (defined or referenced, no
// "CONFIG_"); `in_tree(name)` whether any Kconfig file of the source tree has
// a `config NAME` line (consulted only without --strict, and only for names
// unknown to the Kconfig).
std::string render_invalid_report(const QueueFacts& facts, bool strict,
                                  const std::function<bool(const std::string&)>& in_kconfig,
                                  const std::function<bool(const std::string&)>& in_tree,
                                  const std::vector<std::string>& filter = {});

}  // namespace kmeta::config
