// kgit-meta: the `branch:` / `branch rename:` / `merge:` lines of a
// meta-series turned into git branches, per-branch patch queues and merges
// (SPEC §5.1), on top of run_tree.
//
// - `branch rename: OLD NEW`: unless NEW or NEW/base exists, rename OLD to NEW;
//   then switch to NEW.
// - `branch: B`: if B or B/base exists, switch to it (its queue is applied
//   only with `resume`); else create B at HEAD, switch to it and apply
//   `patch.<B with / as .>.queue` (or the name without "/base") from the
//   meta-series' directory.
// - `merge: B`: B or B/base must exist; a --no-ff merge "Merge branch B".
// Branch names are checked as git ref names before anything is created.
//
// Transactional and resumable like run_tree: every ref move (a created
// branch, a rename, HEAD) is planned in the journal <git-dir>/kmeta-tree/
// meta.json before the work tree and refs move (each ref in its own
// git_transaction); a run that finds a plan in flight finishes it. The
// journal names the op in progress, so a rerun of the same meta-series
// continues there (a queue through run_tree's own journal, which retries
// the patch it stopped at); `tree.abort` puts back every branch and HEAD as
// they were when the meta-series started.
#pragma once

#include <string>
#include <vector>

#include "tree/run.h"

namespace kmeta::tree {

struct MetaOptions {
  std::string meta_series;  // path of the meta-series file
  bool resume = false;      // apply queues of existing branches too (kgit-meta --resume)
  TreeOptions tree;         // workdir, policy, progress ... (series/patches set per branch)
};

struct MetaStep {
  std::string what;  // "branch create v6.12/standard", "merge feat", ...
  TreeResult run;    // for steps that applied a queue or merged
};

struct MetaResult {
  bool ok = false;
  bool nothing_to_do = false;  // the same meta-series is done and HEAD has not moved
  bool resumed = false;        // a stopped, interrupted or killed run was continued
  bool interrupted = false;    // SIGINT/SIGTERM (TreeOptions::interrupted)
  bool aborted = false;        // --abort: back at the start
  std::vector<MetaStep> steps;
  Diagnostics diags;
};

MetaResult run_meta_series(const MetaOptions& opts);

}  // namespace kmeta::tree
