// File helpers shared by every module: whole-file reads and atomic writes.
#pragma once

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

bool file_exists(const std::string& path);
bool is_directory(const std::string& path);

}  // namespace kmeta
