// Where Kconfig files come from: the disk (relative names resolved against a
// given working directory, not the process's) or memory (tests, fuzzing).
// The parser applies lkc's zconf_fopen rule on top: the name as given, then
// `$srctree/NAME` for relative names.
#pragma once

#include <map>
#include <string>

namespace kmeta::kconfig {

class FileSource {
 public:
  // ok; missing: lkc's fopen() would fail (absent, no permission, a symlink
  // loop: it then tries $srctree); unreadable: fopen() succeeds but reading
  // fails (a directory); refused: lkc would hang or exhaust memory on it (a
  // FIFO, a device, a file over base/input_file.h's cap): *why says which.
  enum class Status { ok, missing, unreadable, refused };
  virtual ~FileSource() = default;
  // Reads `path` (as the parser composed it) into *contents.
  virtual Status read(const std::string& path, std::string* contents, std::string* why) = 0;
};

class DiskFileSource : public FileSource {
 public:
  // `cwd` resolves relative paths; empty = the process's working directory.
  explicit DiskFileSource(std::string cwd = {}) : cwd_(std::move(cwd)) {}
  Status read(const std::string& path, std::string* contents, std::string* why) override;

 private:
  std::string cwd_;
};

// Files by exact path string (e.g. "Kconfig", "arch/x86/Kconfig", "/abs/K").
class MemoryFileSource : public FileSource {
 public:
  void add(std::string path, std::string contents) { files_[std::move(path)] = std::move(contents); }
  Status read(const std::string& path, std::string* contents, std::string* why) override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace kmeta::kconfig
