// File helpers shared by every module: whole-file reads (input_file.h) and
// atomic writes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/input_file.h"

namespace kmeta {

// Writes `content` to `path` atomically (an AtomicFile: see below). Parent
// directories are created. Returns false and sets *error ("PATH: reason") on
// failure; the temporary is removed and `path` is as it was.
bool write_file_atomic(const std::string& path, std::string_view content, std::string* error = nullptr);

// The one way kmeta replaces a file. write() appends to a temporary file
// beside `path`, commit() renames it over `path`, so a reader sees the old
// file or the new one, never a part, and a killed run leaves `path` as it was.
//
// The temporary is `<dir>/.<name>.kmeta-tmp.<16 random hex digits>`, created
// with O_CREAT|O_EXCL|O_NOFOLLOW (an existing file or a planted symlink of that
// name is never opened; another name is drawn), mode 0644 & ~umask. rename()
// replaces `path` itself, so a symlink planted at `path` is replaced, not
// followed, and `path` is never left a symlink. Parent directories are created.
// Destroyed without a successful commit(), the temporary is removed and `path`
// is untouched. The first error sticks: later writes do nothing and commit()
// fails with it; every error names the file ("PATH: No space left on device").
class AtomicFile {
 public:
  struct Options {
    bool sync = false;  // fsync the file before the rename (durable across a power loss)
  };
  explicit AtomicFile(std::string path) : AtomicFile(std::move(path), Options{}) {}
  AtomicFile(std::string path, Options options);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }  // "PATH: reason" once !ok()
  const std::string& path() const { return path_; }
  bool write(std::string_view bytes);
  bool pwrite(std::string_view bytes, uint64_t offset);  // overwrite already written bytes
  // Closes (and with Options::sync, fsyncs) the temporary without renaming
  // it: after finish() succeeded, commit() can fail only on rename() itself.
  bool finish(std::string* error = nullptr);
  // Renames the temporary over `path` (finish() first if needed). With
  // `backup` not empty, an existing `path` is first hard-linked to `backup`
  // (through a temporary name renamed over `backup`), as conf keeps
  // `.config.old`: `path` exists at every instant.
  bool commit(std::string* error = nullptr, const std::string& backup = "");

 private:
  bool fail(const std::string& what);
  std::string path_, tmp_, error_;
  Options options_;
  int fd_ = -1;
  bool finished_ = false;
  bool committed_ = false;
};

// The name pattern of AtomicFile temporaries: whether `name` (a file name,
// no directory) is one.
bool is_atomic_temp_name(std::string_view name);

// Removes AtomicFile temporaries left in directory `dir` (not recursive) by
// killed processes. Only call it while no other process may be writing into
// `dir` (under a lock). Returns how many were removed.
int remove_stale_temps(const std::string& dir);

// `<dir>/.<name>.kmeta-tmp.<16 random hex digits>` beside `path`: the
// directory sibling of AtomicFile, for output built in several files (or by
// another program) and then renamed over that path. Made with mkdir (which
// never follows a symlink: a planted file or link of that name makes another
// name be drawn), mode `mode` & ~umask; parent directories are created.
// Returns its path, or "" with *error set ("PATH: reason"). The caller
// removes it when abandoning the output.
std::string create_temp_dir_beside(const std::string& path, std::string* error = nullptr, mode_t mode = 0755);

// A new private directory (mkdtemp: mode 0700, unpredictable name)
// `<parent>/<prefix>.XXXXXX`, removed with everything in it when the object
// goes. path() is "" when it could not be made.
class ScratchDir {
 public:
  ScratchDir(const std::string& parent, const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool file_exists(const std::string& path);
bool is_directory(const std::string& path);

}  // namespace kmeta
