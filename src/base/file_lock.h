// An advisory lock on a file (flock(2)), held by an open descriptor and so
// released when the process ends, however it ends: a `kill -9` never leaves a
// stale lock behind. Used by `kmeta config -o BUILD` (config/build_dir.h) and
// `kmeta tree` (one run per repository).
#pragma once

#include <functional>
#include <string>

namespace kmeta {

class FileLock {
 public:
  FileLock() = default;
  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&& o) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();
  bool held() const { return fd_ >= 0; }
  void release();

 private:
  friend class FileLocker;
  int fd_ = -1;
};

enum class LockMode { exclusive, shared };

enum class LockResult {
  locked,  // *lock holds it
  busy,    // another process holds it and `wait` was false
  absent,  // shared mode and the file does not exist (nothing to lock)
  failed,  // *error says why (cannot open, not a regular file, ...)
};

struct LockRequest {
  std::string path;
  LockMode mode = LockMode::exclusive;
  bool create = true;             // create the file (mode 0644) when missing
  bool wait = true;               // block until it is free; else LockResult::busy
  std::function<void()> on_wait;  // called once before blocking
};

// Opens `path` (never through a symlink; it must be a regular file) and locks it.
LockResult lock_file(const LockRequest& req, FileLock* lock, std::string* error);

}  // namespace kmeta
