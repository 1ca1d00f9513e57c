#include "config/build_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kmeta::config {

BuildDirLock& BuildDirLock::operator=(BuildDirLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

BuildDirLock::~BuildDirLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

bool lock_build_dir(const std::string& build, bool exclusive, const std::function<void()>& on_wait,
                    BuildDirLock* lock, std::string* error) {
  const std::string path = build + "/" + kLockName;
  int fd;
  if (exclusive) {
    std::error_code ec;
    std::filesystem::create_directories(build + "/.kernel-meta", ec);
    if (ec) {
      *error = build + "/.kernel-meta: " + ec.message();
      return false;
    }
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  } else {
    fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return true;  // never written under the protocol
  }
  if (fd < 0) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *error = path + ": not a regular file";
    return false;
  }
  const int op = exclusive ? LOCK_EX : LOCK_SH;
  if (::flock(fd, op | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK && on_wait) on_wait();
    int rc;
    while ((rc = ::flock(fd, op)) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
      *error = path + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
  }
  BuildDirLock l;
  l.fd_ = fd;
  *lock = std::move(l);
  return true;
}

bool build_dir_incomplete(const std::string& build) {
  struct stat st {};
  return ::lstat((build + "/" + kIncompleteName).c_str(), &st) == 0;
}

BuildDirWriter::BuildDirWriter(std::string build) : build_(std::move(build)) {
  for (const char* d : {"", "/.kernel-meta", "/.kernel-meta/cfg"}) remove_stale_temps(build_ + d);
}

bool BuildDirWriter::add(const std::string& rel, std::string_view content, std::string* error,
                         const std::string& backup) {
  const std::string path = build_ + "/" + rel;
  if (!backup.empty()) {
    // conf: "No change to .config" leaves the file (and .config.old) alone.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      auto old = read_file(path);
      if (old && *old == content) return true;
    }
  }
  auto f = std::make_unique<AtomicFile>(path);
  f->write(content);
  if (!f->finish(error)) return false;
  files_.push_back({std::move(f), backup.empty() ? "" : build_ + "/" + backup});
  return true;
}

bool BuildDirWriter::commit(const std::string& record_rel, std::string_view record, std::string* error) {
  AtomicFile rec(build_ + "/" + record_rel);
  rec.write(record);
  if (!rec.finish(error)) return false;
  // From here until the marker goes, the directory is a mix.
  if (!write_file_atomic(build_ + "/" + kIncompleteName, "", error)) return false;
  for (Pending& p : files_)
    if (!p.file->commit(error, p.backup)) return false;
  for (const std::string& r : removals_) {
    const std::string path = build_ + "/" + r;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
  }
  if (!rec.commit(error)) return false;
  const std::string marker = build_ + "/" + kIncompleteName;
  if (::unlink(marker.c_str()) != 0) {
    *error = marker + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace kmeta::config
