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

namespace kmeta {

enum class FileType { missing, regular, directory, other };

struct DirEntry {
  std::string name;
  bool is_dir = false;  // a real directory (symlinks are not followed, as find(1) does)
  bool is_symlink = false;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Type of the file, following symlinks (test -f / -d / -e).
  virtual FileType type(const std::string& path) = 0;
  // Whole content, or nullopt when it cannot be read.
  virtual std::shared_ptr<const std::string> read(const std::string& path) = 0;
  // readlink -f: the canonical path (symlinks resolved, "." and ".." removed);
  // the last component need not exist. nullopt when a parent is missing.
  virtual std::optional<std::string> canonical(const std::string& path) = 0;
  // Entries of a directory, sorted by name (bytewise). Empty when unreadable.
  virtual std::vector<DirEntry> list(const std::string& dir) = 0;
  // Why `path` cannot be read as a file: "does not exist", "is a directory",
  // "is a symlink loop", "is not a regular file (a FIFO)", "cannot be read:
  // Permission denied", "is too large: ..."; "" when it can be.
  virtual std::string why_unreadable(const std::string& path) = 0;

  bool is_file(const std::string& p) { return type(p) == FileType::regular; }
  bool is_dir(const std::string& p) { return type(p) == FileType::directory; }
  bool exists(const std::string& p) { return type(p) != FileType::missing; }
};

class DiskFileSystem : public FileSystem {
 public:
  FileType type(const std::string& path) override;
  std::shared_ptr<const std::string> read(const std::string& path) override;
  std::optional<std::string> canonical(const std::string& path) override;
  std::vector<DirEntry> list(const std::string& dir) override;
  std::string why_unreadable(const std::string& path) override;

 private:
  std::unordered_map<std::string, FileType> types_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> contents_;
  std::unordered_map<std::string, std::optional<std::string>> canon_;
  std::unordered_map<std::string, std::vector<DirEntry>> lists_;
};

// An in-memory tree without symlinks. Directories exist implicitly above every
// file and can be added empty.
class MemoryFileSystem : public FileSystem {
 public:
  void add_file(const std::string& path, std::string content);
  void add_dir(const std::string& path);

  FileType type(const std::string& path) override;
  std::shared_ptr<const std::string> read(const std::string& path) override;
  std::optional<std::string> canonical(const std::string& path) override;
  std::vector<DirEntry> list(const std::string& dir) override;
  std::string why_unreadable(const std::string& path) override;

 private:
  std::map<std::string, std::shared_ptr<const std::string>> files_;
  std::set<std::string> dirs_{"/"};
};

}  // namespace kmeta
