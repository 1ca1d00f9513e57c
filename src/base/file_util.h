// File helpers shared by every module: whole-file reads and atomic writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kmeta {

// Reads a whole file. Returns nullopt (and sets *error to strerror text) when it
// cannot be read.
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr);

// Writes `content` to `path` atomically: a temporary file in the same directory
// is written, flushed and renamed over `path`, so readers never see a
// half-written file. Parent directories are created. Returns false and sets
// *error on failure (the temporary is removed).
bool write_file_atomic(const std::string& path, std::string_view content, std::string* error = nullptr);

// The same for output written piece by piece: write() appends to a temporary
// file beside `path` (parent directories created), commit() renames it over
// `path`. Destroyed without a successful commit(), the temporary is removed
// and `path` is untouched. The first error sticks: later writes do nothing
// and commit() fails with it.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool ok() const { return error_.empty(); }
  bool write(std::string_view bytes);
  bool pwrite(std::string_view bytes, uint64_t offset);  // overwrite already written bytes
  bool commit(std::string* error = nullptr);

 private:
  bool fail(const char* what);
  std::string path_, tmp_, error_;
  int fd_ = -1;
  bool committed_ = false;
};

bool file_exists(const std::string& path);
bool is_directory(const std::string& path);

}  // namespace kmeta
