// Path strings with the semantics of the coreutils the reference tools use
// (dirname, basename, readlink -f's normalisation), without touching the file
// system.
#pragma once

#include <string>
#include <string_view>

namespace kmeta {

// dirname(1): "a/b" -> "a", "a" -> ".", "/a" -> "/", "a/b/" -> "a", "" -> ".".
std::string path_dirname(std::string_view p);
// basename(1): "a/b" -> "b", "a/b/" -> "b", "/" -> "/", "" -> "".
std::string path_basename(std::string_view p);
// Removes ".", "..", and repeated slashes without touching the file system.
// Keeps the path relative if it was; ".." at the root of an absolute path is
// dropped; a relative path may keep leading "..".
std::string lexically_normal(std::string_view p);
// `p` made absolute against `cwd` (string concatenation, no normalization).
std::string absolute_path(std::string_view p, std::string_view cwd);
// True when `p` (normalized) lies inside `dir` (normalized) or equals it.
bool path_within(std::string_view p, std::string_view dir);

}  // namespace kmeta
