#include "base/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kmeta {

FileLock& FileLock::operator=(FileLock&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
  fd_ = -1;
}

class FileLocker {
 public:
  static void adopt(FileLock* lock, int fd) {
    FileLock l;
    l.fd_ = fd;
    *lock = std::move(l);
  }
};

LockResult lock_file(const LockRequest& req, FileLock* lock, std::string* error) {
  const bool excl = req.mode == LockMode::exclusive;
  int flags = (excl ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC;
  if (req.create) flags |= O_CREAT;
  int fd = ::open(req.path.c_str(), flags, 0644);
  if (fd < 0) {
    if (errno == ENOENT && !req.create && !excl) return LockResult::absent;
    *error = req.path + ": " + std::strerror(errno);
    return LockResult::failed;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *error = req.path + ": not a regular file";
    return LockResult::failed;
  }
  const int op = excl ? LOCK_EX : LOCK_SH;
  if (::flock(fd, op | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      *error = req.path + ": " + std::strerror(errno);
      ::close(fd);
      return LockResult::failed;
    }
    if (!req.wait) {
      ::close(fd);
      return LockResult::busy;
    }
    if (req.on_wait) req.on_wait();
    int rc;
    while ((rc = ::flock(fd, op)) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
      *error = req.path + ": " + std::strerror(errno);
      ::close(fd);
      return LockResult::failed;
    }
  }
  FileLocker::adopt(lock, fd);
  return LockResult::locked;
}

}  // namespace kmeta
