// The record that makes `kmeta tree` resumable and crash-safe, kept in
// <git-dir>/kmeta-tree/state.json (written atomically).
//
// status:
//   stopped      a patch failed; `next` is that patch, HEAD = `head`
//   interrupted  SIGINT/SIGTERM between patches; `next` is the first not applied
//   done         the whole series is applied; HEAD = `head`
//   updating     the index/work tree/ref are being moved from `from` to `to`;
//                a run that finds this finishes the move first (kill -9)
#pragma once

#include <string>
#include <vector>

#include "base/file_lock.h"

namespace kmeta::tree {

struct RunState {
  std::string status;    // see above
  std::string after;     // updating: the status to record once the move is done
  std::string ref;       // the ref the run moves ("refs/heads/x", or "HEAD")
  std::string start;     // the commit the series started from
  std::string head;      // last good commit
  std::string from, to;  // updating: the move in progress
  std::string series;    // the series file
  std::string digest;    // of the series entries, to notice a changed series
  size_t next = 0;       // index of the next patch
  std::vector<std::string> skipped;
};

// A ref step of a meta-series move, each one git_transaction (the files
// backend cannot delete `a` and create `a/base` in one): `set` ref = id,
// `remove` ref and its reflog, `head` HEAD -> ref (symbolic), `detach` HEAD =
// id, `reflog` move ref's reflog to `target`. Each step is idempotent, so a
// move is finished by running all of its steps again.
struct RefStep {
  std::string op;  // set | remove | head | detach | reflog
  std::string ref;
  std::string target;   // commit id, ref name or reflog destination
  std::string message;  // the reflog message of set/head
};

// The journal of a `kmeta tree --meta-series` run, <git-dir>/kmeta-tree/meta.json.
//
// status:
//   running      op `next` is in progress or next (`decision` says how far it got)
//   updating     a move is in flight: the work tree from `from` to `to`, then
//                `steps`; a run that finds it runs it again (forced), then
//                records `after` with `next` = `after_next`
//   stopped      the queue or merge of op `next` stopped (its run_tree journal
//                says where); a rerun retries it
//   interrupted  SIGINT/SIGTERM; a rerun continues at op `next`
//   done         every op done; HEAD = `head`
//   aborting     --abort's move back to the start (then the journal is removed)
struct MetaState {
  std::string status;
  std::string meta_series;  // absolute path
  std::string digest;       // of its text and --resume
  std::string start_head;   // HEAD's ref at the start ("refs/heads/x", or "HEAD" when detached)
  std::string start_commit;
  std::vector<std::pair<std::string, std::string>> start_refs;  // refs/heads/*, refs/tags/* at the start
  std::string head;                                             // done: the final HEAD commit
  size_t next = 0;
  std::string decision;  // op `next`: "apply <branch>" once its branch is created/switched to
  // updating
  std::string after, after_decision;
  size_t after_next = 0;
  std::string from, to;
  std::vector<RefStep> steps;
};

bool load_meta_state(const std::string& git_dir, MetaState* out, bool* exists, std::string* error);
bool save_meta_state(const std::string& git_dir, const MetaState& s, std::string* error);
void remove_meta_state(const std::string& git_dir);

std::string state_path(const std::string& git_dir);
// <git-dir>/kmeta-tree/lock: one run that writes per repository. Taken
// without waiting; a second `kmeta tree` is refused, never interleaved.
// The lock dies with its process (flock), so a killed run leaves none.
bool lock_run(const std::string& git_dir, FileLock* lock, std::string* error);
// False with `error` on an unreadable file; *exists = false when there is none.
bool load_state(const std::string& git_dir, RunState* out, bool* exists, std::string* error);
bool save_state(const std::string& git_dir, const RunState& s, std::string* error);
void remove_state(const std::string& git_dir);

}  // namespace kmeta::tree
