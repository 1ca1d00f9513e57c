// The output-directory protocol of `kmeta config -o BUILD`: a run's outputs
// appear together, and readers (`kmeta why -C`, `kmeta audit -C`) never mix
// two runs. Described in docs/config.md ("The build directory").
//
//   writer (BuildDirWriter)                  reader (read_lock_build_dir)
//   flock(BUILD/.kernel-meta/kmeta.lock, EX) flock(..., SH) while reading
//   remove temporaries of killed runs        refuse when kmeta-incomplete
//   every file into its temporary            exists: the last run was killed
//   create .kernel-meta/kmeta-incomplete     between its first and last rename
//   rename each file into place; the record
//   (kmeta-config.json) last
//   unlink kmeta-incomplete  <- the commit point
//
// A run killed before its first rename leaves the previous run complete (and
// temporaries that the next run removes); one killed later leaves the marker,
// and readers say the directory holds no complete run until `kmeta config`
// runs again. A second writer waits for the lock.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_lock.h"
#include "base/file_util.h"

namespace kmeta::config {

inline constexpr const char* kLockName = ".kernel-meta/kmeta.lock";
inline constexpr const char* kIncompleteName = ".kernel-meta/kmeta-incomplete";

// An flock on BUILD's lock file, released when destroyed.
using BuildDirLock = FileLock;

// Takes BUILD's lock, exclusive (a writer: the lock file and .kernel-meta are
// created) or shared (a reader: no lock file means no run of this protocol
// ever wrote there, and nothing is taken). `on_wait` is called once before
// blocking when another process holds it. False + an error in *diags when the
// lock file cannot be opened or locked.
bool lock_build_dir(const std::string& build, bool exclusive, const std::function<void()>& on_wait,
                    BuildDirLock* lock, Diagnostics* diags);

// Whether BUILD holds the marker of a run killed while it was writing.
bool build_dir_incomplete(const std::string& build);

// Writes a run's files into BUILD under the protocol above. Paths are
// relative to BUILD. Take the exclusive lock first.
class BuildDirWriter {
 public:
  explicit BuildDirWriter(std::string build);
  // Queues `rel` with `content` (written into its temporary now). With
  // `backup`, an existing file is kept as `backup` (a hard link, as conf keeps
  // .config.old) when the content differs.
  bool add(const std::string& rel, std::string_view content, std::string* error,
           const std::string& backup = "");
  // Queues the removal of `rel` (an audit file that is empty this time).
  void remove(const std::string& rel) { removals_.push_back(rel); }
  // Renames everything into place, `record` last, then clears the marker.
  bool commit(const std::string& record_rel, std::string_view record, std::string* error);

 private:
  struct Pending {
    std::unique_ptr<AtomicFile> file;
    std::string backup;
  };
  std::string build_;
  std::vector<Pending> files_;
  std::vector<std::string> removals_;
};

}  // namespace kmeta::config
