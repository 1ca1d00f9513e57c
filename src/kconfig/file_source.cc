#include "kconfig/file_source.h"

#include "base/input_file.h"

namespace kmeta::kconfig {

FileSource::Status DiskFileSource::read(const std::string& path, std::string* contents, std::string* why) {
  std::string full = (!cwd_.empty() && !path.empty() && path[0] != '/') ? cwd_ + "/" + path : path;
  ReadError kind = ReadError::none;
  std::string err;
  auto text = read_file(full, &err, &kind);
  if (text) {
    *contents = std::move(*text);
    return Status::ok;
  }
  if (why) *why = err;
  switch (kind) {
    case ReadError::directory:  // fopen succeeds on a directory, reading it fails
    case ReadError::io: return Status::unreadable;
    case ReadError::not_regular:  // a FIFO, a device: refused before it is read
    case ReadError::too_large: return Status::refused;
    default: return Status::missing;  // where fopen fails
  }
}

FileSource::Status MemoryFileSource::read(const std::string& path, std::string* contents, std::string*) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::missing;
  *contents = it->second;
  return Status::ok;
}

}  // namespace kmeta::kconfig
