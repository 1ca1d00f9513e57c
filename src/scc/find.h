// `spp --find`: locate the BSP definition of a (KMACHINE, KTYPE) pair, with
// the reference's scoring and tie rules (docs/scc.md):
//
// * candidates: every `*.scc` under the include directories (find(1) order
//   does not matter: they are sorted, under the collation, and de-duplicated)
//   that has a line matching `^[[:space:]]*define.*`;
// * score: +1 for each distinct value V of KMACHINE and KTYPE for which a line
//   matches the grep BRE `^[[:space:]]*define.*V[[:space:]]*$` (V is not
//   escaped: `.` matches any character); matched by scc/bre.h in linear time,
//   a V that is not a valid or bounded BRE is an error (FindResult::error);
// * only a score of 2 is accepted unless `fuzz`; among the files with the top
//   score the *second* in sorted order is returned (the first if alone).
#pragma once

#include <string>
#include <vector>

#include "scc/fs.h"
#include "scc/search.h"

namespace kmeta::scc {

struct FindOptions {
  std::string cwd = "/";
  std::vector<std::string> include_args;  // -I as given
  std::string kmachine, ktype;
  bool fuzz = false;
  Collation collation = Collation::bytes;
};

struct FindResult {
  bool found = false;
  std::string path;  // what spp prints
  int score = 0;
  std::vector<std::pair<std::string, int>> scored;  // every candidate with its score (the -v trace)
  std::string error;  // non-empty: a value is not a pattern the matcher takes (scc/bre.h); nothing found
};

FindResult find_bsp(FileSystem& fs, const FindOptions& o);

// The grep BRE spp scores a value with: `^[[:space:]]*define.*VALUE[[:space:]]*$`.
std::string define_pattern(std::string_view value);

// Does `line` match define_pattern(value)? (false when the pattern does not compile)
bool define_line_matches(std::string_view line, std::string_view value);

}  // namespace kmeta::scc
