// Fragment merge, exactly as the kernel's scripts/kconfig/merge_config.sh does it.
//
// merge_config.sh concatenates the fragments into one seed file for
// `make alldefconfig KCONFIG_ALLCONFIG=<seed>`. For each symbol a later
// fragment assigns it first looks for the symbol as a word anywhere in the
// seed so far (`grep -w`, comments included) and, if found, deletes every
// line containing "CONFIG_X " or "CONFIG_X=" (`sed /CONFIG_X[ =]/d`) — a
// substring match, so `CONFIG_PROC=` also deletes `CONFIG_IKCONFIG_PROC=y`,
// and a comment such as "# CONFIG_X=m breaks boot" goes too. Then a newline
// and the fragment are appended.
//
// merge_fragments() reproduces the seed byte for byte (in memory, with word
// and suffix indexes instead of one grep/sed per symbol), and records what
// the shell script only prints or never tells: every assignment with its
// fragment and line, each redefinition with both sides, and each line that
// was deleted as a side effect of another symbol's redefinition.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "config/fragment.h"

namespace kmeta::config {

// A fragment in merge order, with where it came from.
struct QueuedFragment {
  Fragment fragment;        // parsed; fragment.path is the file as the user knows it
  std::string queue_name;   // as config.queue lists it: "configs/v6.12/standard/cfg/x.cfg"
  std::string merge_name;   // as merge_config.sh was given it (for the log); queue_name if empty
  std::string kconf_class;  // "hardware", "non-hardware", "required", "optional" (as written)
  // Where the fragment was requested: the `kconf` line, then the `include`
  // lines that led to it, innermost first. Empty for --fragment files.
  std::vector<Location> chain;
};

inline constexpr uint32_t kNoFragment = UINT32_MAX;

struct LineRef {
  uint32_t fragment = kNoFragment;  // index into the queue; kNoFragment for a separator line
  int line = 0;                     // 1-based line in that fragment
  friend bool operator==(const LineRef&, const LineRef&) = default;
};

// One `CONFIG_X=...` or `# CONFIG_X is not set` line of a fragment.
struct Assignment {
  LineRef at;
  RequestedValue value;  // value and trailing annotation
  bool in_seed = false;  // still present in the merged seed (not deleted by a later fragment)
};

// Every assignment of one symbol, in merge order. The last one is what was
// asked for ("the last fragment wins").
struct SymbolRequests {
  std::string name;  // without "CONFIG_"
  std::vector<Assignment> assignments;
  const Assignment& winner() const { return assignments.back(); }
  // The line the kernel reads last for this symbol in the seed, i.e. the
  // value it actually receives; null when every line was deleted.
  const Assignment* effective() const;
};

// A later fragment assigning a symbol that the seed already mentions.
struct Redefinition {
  std::string name;               // without "CONFIG_"
  uint32_t fragment = 0;          // the redefining fragment
  std::vector<LineRef> previous;  // seed lines that mentioned the symbol (what merge_config printed)
  std::vector<LineRef> next;      // lines of the new fragment that mention it
  std::string previous_text;      // merge_config.sh's "Previous value" (lines joined by '\n')
  std::string next_text;          // its "New value"
  bool differs = false;           // the texts differ: merge_config.sh printed a warning
};

// A seed line deleted by the redefinition of a *different* symbol (the
// `sed /CONFIG_X[ =]/d` substring quirk). Assignments lost this way never
// reach the kernel.
struct Collateral {
  LineRef line;  // the deleted line
  std::string text;
  std::string lost_symbol;  // symbol assigned on that line ("" for a comment)
  std::string by_symbol;    // the symbol whose redefinition deleted it
  uint32_t by_fragment = 0;
};

// merge_config.sh's options that change the merge (`kmeta merge-config`).
struct MergeOptions {
  bool builtin = false;         // -y: a later =m does not demote an earlier =y (the =m lines are dropped)
  bool warn_redundant = false;  // -r: report a fragment that repeats a value
  bool quiet = false;           // -Q: no redefinition / redundancy / -y messages
};

struct MergeResult {
  std::string seed;                      // byte-identical to merge_config.sh's merged file
  std::vector<LineRef> seed_origin;      // per line of `seed`
  std::vector<SymbolRequests> requests;  // in order of first assignment
  std::vector<Redefinition> redefinitions;
  std::vector<Collateral> collateral;
  std::string log;                // merge_config.sh's stdout up to `make` (modulo shell globbing)
  bool strict_violation = false;  // a fragment redefined a value to a different one (what -s fails on)

  const SymbolRequests* find(std::string_view name) const;
  // The fragment line behind line `seed_line` (1-based) of the seed.
  LineRef origin(int seed_line) const;

 private:
  friend class MergeState;
  std::unordered_map<std::string, size_t> index_;
};

// The merge of a queue's first fragments, kept to merge more fragments after
// them without merging those again: NEW's queue merged once, then each
// `kmeta uprev` check (NEW's queue + one extra fragment) and each fix
// verification that changes only fragments after that prefix costs a copy of
// the state plus the extra fragments. extend() gives exactly what
// merge_fragments() gives on the whole queue.
class MergeState {
 public:
  struct State;

  MergeState();
  // Merges `queue` (each fragment must outlive the state: the state keeps
  // views of their texts).
  explicit MergeState(const std::vector<const QueuedFragment*>& queue, const MergeOptions& options = {});
  ~MergeState();
  MergeState(MergeState&&) noexcept;
  MergeState& operator=(MergeState&&) noexcept;

  // How many fragments are merged (the prefix of the queues extend() takes).
  size_t merged() const;
  // merge_fragments(queue) for a queue whose first merged() fragments are the
  // ones this state merged (the same objects); the rest are merged on top of
  // a copy of the state. A default-constructed state merges from scratch.
  MergeResult extend(const std::vector<const QueuedFragment*>& queue) const;

 private:
  friend MergeResult merge_fragments(const std::vector<const QueuedFragment*>& queue,
                                     const MergeOptions& options);
  static void add(State& st, const std::vector<const QueuedFragment*>& queue, uint32_t fi);
  static MergeResult finish(State&& st);
  std::unique_ptr<State> state_;
};

// Merges `queue` in order: the first fragment is the base, each later one is
// merged into it. An empty queue gives an empty seed.
MergeResult merge_fragments(const std::vector<QueuedFragment>& queue, const MergeOptions& options = {});
// The same over fragments held elsewhere (a queue with one fragment replaced
// or appended, without copying the others); each must outlive the call.
MergeResult merge_fragments(const std::vector<const QueuedFragment*>& queue,
                            const MergeOptions& options = {});

// merge_config.sh's last step, after make: for every CONFIG_X the merged
// file assigns (in its order, repeats included), the lines that mention the
// word CONFIG_X in `merged` and in `final_config` (grep -w), and the
// "Value requested for CONFIG_X not in final .config" report when they differ.
std::string requested_not_in_final(std::string_view merged, std::string_view final_config);

}  // namespace kmeta::config
