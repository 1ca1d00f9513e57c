// The reference's file-search rules (docs/scc-language.md §4): include
// directory ordering, spp's search_include_paths, and the relocation prefix
// (strip_common_prefix) that decides where copies go in the output directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scc/fs.h"

namespace kmeta::scc {

// How ties are ordered where the reference calls sort(1): bytewise (LC_ALL=C,
// what the goldens used) or an approximation of glibc's en_US.UTF-8 collation
// (punctuation ignored at the first level, then case, then bytes), which is
// what Yocto's LC_ALL=en_US.UTF-8 gives.
enum class Collation { bytes, en_us };

// The collation sort(1) uses under these locale settings (values of LC_ALL,
// LC_COLLATE, LANG; null or empty = unset): bytes for C/POSIX/C.*, unset and
// nothing set; en_us otherwise.
Collation collation_for_locale(const char* lc_all, const char* lc_collate, const char* lang);

// <0, 0, >0 like strcmp, under the given collation.
int collate_compare(std::string_view a, std::string_view b, Collation c);

class Resolver {
 public:
  // `include_args` are the -I arguments as given; those that are not
  // directories are dropped, the rest made canonical, de-duplicated and
  // ordered longest first (equal lengths in reverse collation order).
  Resolver(FileSystem& fs, std::string cwd, const std::vector<std::string>& include_args,
           Collation collation = Collation::bytes);

  FileSystem& fs() const { return fs_; }
  const std::string& cwd() const { return cwd_; }
  const std::vector<std::string>& include_dirs() const { return dirs_; }

  // A path as the reference would see it (relative ones against cwd).
  std::string abs(const std::string& p) const { return absolute_path(p, cwd_); }
  bool is_file(const std::string& p) const { return fs_.is_file(abs(p)); }
  // readlink -f (empty when it fails).
  std::string canonical(const std::string& p) const;

  // spp's search_include_paths(tgt, dirs…), with "." searched first. Returns
  // the path spp would print, or "" when nothing matches. The result is not
  // guaranteed to be a file (rule 6 of the search answers a name that may not
  // exist, as the reference does); callers check.
  std::string search(const std::string& tgt, const std::vector<std::string>& dirs) const;

  // spp's strip_common_prefix: the name relative to the include directory it
  // is under (or the name unchanged).
  std::string strip_common_prefix(const std::string& name) const;
  // The relocation prefix of a found file: `path` with its relative part
  // removed (spp's `containing_dir`).
  std::string prefix_of(const std::string& path) const;

 private:
  FileSystem& fs_;
  std::string cwd_;
  std::vector<std::string> dirs_;
};

// Bash's ${s/pattern} with a literal pattern: removes the first occurrence.
std::string remove_first(std::string_view s, std::string_view what);

}  // namespace kmeta::scc
