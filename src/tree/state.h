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
