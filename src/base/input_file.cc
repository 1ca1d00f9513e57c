#include "base/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kmeta {

namespace {

ReadError classify_errno(int e) {
  switch (e) {
    case ENOENT:
    case ENOTDIR: return ReadError::missing;
    case EACCES:
    case EPERM: return ReadError::permission;
    case ELOOP: return ReadError::symlink_loop;
    case EISDIR: return ReadError::directory;
    case EFBIG: return ReadError::too_large;
    default: return ReadError::io;
  }
}

int fail(ReadError k, std::string msg, std::string* error, ReadError* kind) {
  if (error) *error = std::move(msg);
  if (kind) *kind = k;
  return -1;
}

int fail_errno(int e, std::string* error, ReadError* kind) {
  return fail(classify_errno(e), std::strerror(e), error, kind);
}

std::string too_large(uint64_t size, uint64_t max) {
  return "too large: " + std::to_string(size) + " bytes, the limit is " + std::to_string(max);
}

}  // namespace

const char* file_kind_name(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a file";
}

int open_input_file(const std::string& path, const ReadOptions& o, uint64_t* size, std::string* error,
                    ReadError* kind) {
  if (kind) *kind = ReadError::none;
  // O_NONBLOCK: opening a FIFO without a writer returns at once (it is
  // refused below) instead of waiting forever.
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (o.nofollow ? O_NOFOLLOW : 0);
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return fail_errno(errno, error, kind);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return fail_errno(e, error, kind);
  }
  // /dev/null reads as empty, as always (KCONFIG_ALLCONFIG=/dev/null is an
  // idiom); every other device, FIFO or socket is refused.
  const bool dev_null = S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3) && !o.private_file;
  if (!S_ISREG(st.st_mode) && !dev_null) {
    ::close(fd);
    // The wording of strerror(EISDIR) for a directory, as before.
    if (S_ISDIR(st.st_mode)) return fail(ReadError::directory, std::strerror(EISDIR), error, kind);
    return fail(ReadError::not_regular,
                std::string("not a regular file (") + file_kind_name(st.st_mode) + ")", error, kind);
  }
  if (o.private_file) {
    if (st.st_uid != ::geteuid()) {
      ::close(fd);
      return fail(ReadError::untrusted,
                  "owned by uid " + std::to_string(st.st_uid) + ", not by the current user", error, kind);
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
      ::close(fd);
      return fail(ReadError::untrusted, "writable by group or others", error, kind);
    }
  }
  if (dev_null) st.st_size = 0;
  if (static_cast<uint64_t>(st.st_size) > o.max_size) {
    ::close(fd);
    return fail(ReadError::too_large, too_large(static_cast<uint64_t>(st.st_size), o.max_size), error, kind);
  }
  // Back to blocking reads (a regular file never blocks; this only keeps
  // read() semantics plain for the caller).
  int fl = ::fcntl(fd, F_GETFL);
  if (fl >= 0) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  if (size) *size = static_cast<uint64_t>(st.st_size);
  return fd;
}

std::optional<std::string> read_file(const std::string& path, std::string* error, ReadError* kind,
                                     const ReadOptions& o) {
  uint64_t size = 0;
  int fd = open_input_file(path, o, &size, error, kind);
  if (fd < 0) return std::nullopt;
  // Read straight into the string (one spare byte to see EOF without a
  // second buffer); grow if the file is longer than fstat said (files under
  // /proc say 0), never past the cap.
  std::string out;
  out.resize(static_cast<size_t>(size > 0 ? size + 1 : 4096));
  size_t have = 0;
  for (;;) {
    if (have == out.size()) {
      if (have > o.max_size) {
        ::close(fd);
        fail(ReadError::too_large, too_large(have, o.max_size), error, kind);
        return std::nullopt;
      }
      out.resize(static_cast<size_t>(std::min<uint64_t>(uint64_t{out.size()} * 2, o.max_size + 1)));
    }
    ssize_t n = ::read(fd, out.data() + have, out.size() - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      fail_errno(e, error, kind);
      return std::nullopt;
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  ::close(fd);
  if (have > o.max_size) {
    fail(ReadError::too_large, too_large(have, o.max_size), error, kind);
    return std::nullopt;
  }
  out.resize(have);
  return out;
}

}  // namespace kmeta
