// File access as an input factory: a library never opens files itself, it is
// handed a FileSystem. DiskFileSystem reads the real tree (with caches: search
// rules stat the same candidates many times); MemoryFileSystem backs tests and
// fuzz targets.
//
// Paths handed to a FileSystem are absolute. Relative names are made absolute
// by the caller against an explicit current directory (the library never asks
// the process for its cwd); base/path.h has the helpers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/input_file.h"

namespace kmeta {

enum class FileType { missing, regular, directory, other };

struct DirEntry {
  std::string name;
  bool is_dir = false;  // a real directory (symlinks are not followed, as find(1) does)
  bool is_symlink = false;
};

struct FileReadOptions {
  // A larger file is refused (ReadError::too_large) before it is read.
  uint64_t max_size = kMaxInputFileSize;
  // false: the caller keeps (or drops) the text itself, so a caching
  // implementation does not keep it (a Kconfig parse reads ~7 MB once).
  bool keep = true;
};

// A read: the text, or why there is none (base/input_file.h's class and its
// short reason: "No such file or directory", "Is a directory", "not a
// regular file (a FIFO)", "too large: N bytes, the limit is M").
struct ReadResult {
  std::shared_ptr<const std::string> text;  // null when it cannot be read
  ReadError error = ReadError::none;
  std::string reason;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Type of the file, following symlinks (test -f / -d / -e).
  virtual FileType type(const std::string& path) = 0;
  // Whole content of a regular file within the size cap, or why not. Only a
  // regular file is read: a FIFO or a device is refused, never opened for
  // reading (/dev/null reads as empty, as input_file.h says).
  virtual ReadResult read_result(const std::string& path, const FileReadOptions& options) = 0;
  // readlink -f: the canonical path (symlinks resolved, "." and ".." removed);
  // the last component need not exist. nullopt when a parent is missing.
  virtual std::optional<std::string> canonical(const std::string& path) = 0;
  // Entries of a directory, sorted by name (bytewise). Empty when unreadable.
  virtual std::vector<DirEntry> list(const std::string& dir) = 0;
  // Why `path` cannot be read as a file: "does not exist", "is a directory",
  // "is a symlink loop", "is not a regular file (a FIFO)", "cannot be read:
  // Permission denied", "is too large: ..."; "" when it can be.
  virtual std::string why_unreadable(const std::string& path) = 0;

  // The text alone, or null when it cannot be read.
  std::shared_ptr<const std::string> read(const std::string& path) { return read_result(path, {}).text; }
  ReadResult read_result(const std::string& path) { return read_result(path, {}); }

  bool is_file(const std::string& p) { return type(p) == FileType::regular; }
  bool is_dir(const std::string& p) { return type(p) == FileType::directory; }
  bool exists(const std::string& p) { return type(p) != FileType::missing; }
};

// Not thread-safe (its caches are plain maps): one per thread, or a lock
// around it.
class DiskFileSystem : public FileSystem {
 public:
  using FileSystem::read_result;
  FileType type(const std::string& path) override;
  ReadResult read_result(const std::string& path, const FileReadOptions& options) override;
  std::optional<std::string> canonical(const std::string& path) override;
  std::vector<DirEntry> list(const std::string& dir) override;
  std::string why_unreadable(const std::string& path) override;

 private:
  std::unordered_map<std::string, FileType> types_;
  std::unordered_map<std::string, ReadResult> contents_;
  std::unordered_map<std::string, std::optional<std::string>> canon_;
  std::unordered_map<std::string, std::vector<DirEntry>> lists_;
};

// An in-memory tree without symlinks. Directories exist implicitly above every
// file and can be added empty. Reading concurrently is safe; adding is not.
class MemoryFileSystem : public FileSystem {
 public:
  using FileSystem::read_result;
  void add_file(const std::string& path, std::string content);
  void add_dir(const std::string& path);

  FileType type(const std::string& path) override;
  ReadResult read_result(const std::string& path, const FileReadOptions& options) override;
  std::optional<std::string> canonical(const std::string& path) override;
  std::vector<DirEntry> list(const std::string& dir) override;
  std::string why_unreadable(const std::string& path) override;

 private:
  std::map<std::string, std::shared_ptr<const std::string>> files_;
  std::set<std::string> dirs_{"/"};
};

}  // namespace kmeta
