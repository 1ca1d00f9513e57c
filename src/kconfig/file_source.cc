#include "kconfig/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace kmeta::kconfig {

FileSource::Status DiskFileSource::read(const std::string& path, std::string* contents) {
  std::string full = (!cwd_.empty() && !path.empty() && path[0] != '/') ? cwd_ + "/" + path : path;
  int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::missing;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::unreadable;  // fopen succeeds on a directory; reading it fails
  }
  // Read straight into the string; grow if the file is longer than stat said.
  size_t size = 0;
  contents->resize(st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 4096);
  for (;;) {
    if (size == contents->size()) contents->resize(contents->size() * 2);
    ssize_t n = ::read(fd, contents->data() + size, contents->size() - size);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return Status::unreadable;
    }
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  contents->resize(size);
  ::close(fd);
  return Status::ok;
}

FileSource::Status MemoryFileSource::read(const std::string& path, std::string* contents) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::missing;
  *contents = it->second;
  return Status::ok;
}

}  // namespace kmeta::kconfig
