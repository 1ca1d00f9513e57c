// `kmeta tree`: a `.kernel-meta` patch series applied to a git kernel tree as
// one commit per patch, in process, then do_patch's merge.queue merges.
//
// Transactional: commits are built as objects while the series runs; the
// index, the work tree (only the paths that changed) and the branch move
// once, at the end, to the last patch that applied. A failure stops the run
// there and records it (state.h); the next run retries that patch, `skip`
// passes over it, `abort` returns to the commit the series started from.
// `check` runs the whole series in memory, continuing past failures, and
// writes nothing.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "tree/commit_info.h"
#include "tree/patch_step.h"

namespace kmeta::tree {

struct TreeOptions {
  std::string workdir = ".";  // the kernel tree (a git work tree)
  std::string patches_dir;    // series entries are relative to it (default <workdir>/.kernel-meta)
  std::string series;         // default <patches_dir>/series, else <patches_dir>/patch.queue
  std::string merge_queue;    // default <patches_dir>/merge.queue (merged when it exists)
  CommitPolicy policy;
  bool have_source_date = false;  // policy.source_date was given (SOURCE_DATE_EPOCH)
  bool check = false;
  bool skip = false;
  bool abort = false;
  bool merges = true;
  // A fresh run from HEAD starting at this series index (0-based), whatever
  // an earlier run recorded (kgit-s2q's -f and starting patch); -1: resume
  // as recorded.
  long start_at = -1;
  // No series: merge these branches (--no-ff) into HEAD (kgit-meta's merge:).
  std::vector<std::string> merge_only;
  const std::atomic<bool>* interrupted = nullptr;
  // The caller holds the repository's run lock (state.h lock_run): a
  // meta-series runs one run_tree per queue and merge under one lock.
  bool lock_held = false;
  // Only finish an update a killed run left in flight (journal `updating`),
  // then return: a meta-series' --abort starts from a settled tree.
  bool recover_only = false;
  // Called before each patch (done = false) and after it (done = true).
  std::function<void(size_t n, size_t total, const PatchOutcome& o, bool done)> progress;
  // Called at the points where an interruption matters most ("patch" after
  // each commit object, "journal", "checkout", "ref"): fault tests kill the
  // process there.
  std::function<void(const char* point)> checkpoint;
};

struct MergeOutcome {
  std::string branch;
  std::string commit;
  std::vector<std::string> conflicts;
};

struct TreeResult {
  bool ok = false;
  bool nothing_to_do = false;  // the series was already applied
  bool aborted = false;
  bool interrupted = false;
  std::vector<PatchOutcome> patches;  // this run's, in order
  std::vector<MergeOutcome> merges;
  size_t total = 0;         // entries in the series
  size_t first = 0;         // index this run started at
  std::string start, head;  // commits
  Diagnostics diags;        // errors that are not a patch's
};

TreeResult run_tree(const TreeOptions& opts);

}  // namespace kmeta::tree
