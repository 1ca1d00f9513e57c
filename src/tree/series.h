// The inputs of tree construction in a `.kernel-meta` directory: the patch
// series (`series` / `patch.queue`, read as kgit-s2q reads it), `merge.queue`
// and the `branch:` / `branch rename:` / `merge:` / `patch` lines of a
// `meta-series` (what kgit-meta acts on).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::tree {

struct SeriesEntry {
  std::string name;  // as written in the series ("patches//features/x.patch")
  int line = 0;      // 1-based line in the series file
};

// kgit-s2q's reading: lines starting with a letter, digit, '_' or '/';
// every blank-separated word of such a line is an entry.
std::vector<SeriesEntry> parse_series(std::string_view text);

// merge.queue: one branch name per word, in order, duplicates kept.
std::vector<std::string> parse_merge_queue(std::string_view text);

struct MetaOp {
  enum Kind { branch, rename, patch, merge };
  Kind kind = patch;
  std::string a, b;  // branch: a; rename: a -> b; patch: a (path); merge: a
  int line = 0;
};

// The lines of a meta-series kgit-meta acts on; everything else (kconf,
// comments) is skipped.
std::vector<MetaOp> parse_meta_series(std::string_view text);

// A branch name git accepts as refs/heads/<name> (git check-ref-format).
bool valid_branch_name(std::string_view name);

// The per-branch queue file kgit-meta applies for a branch ("a/b" ->
// "patch.a.b.queue").
std::string branch_queue_name(std::string_view branch);

}  // namespace kmeta::tree
