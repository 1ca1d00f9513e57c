// Names that leave kmeta for another tool: git branch names and words that a
// shell will read.
//
// The reference's kgit-meta reads `branch:`, `branch rename:` and `merge:`
// lines of meta-series and runs `eval git checkout -b ${b}` on them, so a
// branch name from .scc metadata is shell text by the time it reaches git. A
// name must therefore be a valid git branch name *and* need no quoting in sh.
#pragma once

#include <string>
#include <string_view>

namespace kmeta {

// Why `name` is not a valid branch name by `git check-ref-format --branch`
// (the rules of git 2.39's check_refname_format on refs/heads/<name>, plus
// --branch's own: no leading '-', not "HEAD"); empty when it is valid.
std::string branch_name_problem(std::string_view name);

// True when every byte of `word` is one that sh takes literally anywhere in a
// word (letters, digits and . _ / + - , @ % =), so `eval cmd WORD` and
// `cmd $WORD` pass exactly WORD and run nothing else. The empty word is not
// safe (it would vanish).
bool shell_safe_word(std::string_view word);

}  // namespace kmeta
