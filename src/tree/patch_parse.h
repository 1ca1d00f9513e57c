// Parsing a patch (the diff part of a mail) into file patches and hunks, the
// way `git apply` reads it: git diffs (`diff --git` with extended headers:
// modes, new/deleted files, renames, copies, `GIT binary patch`) and
// traditional unified diffs (`--- a/x` / `+++ b/x`), paths stripped of one
// leading component (-p1). Binary-safe: the text is bytes, lines end at '\n'.
//
// Text that is not part of a diff (a mail's message, the `-- ` signature) is
// skipped as git apply skips it. A malformed hunk is a located error
// ("corrupt patch at line N"), as is a patch with no diff at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::tree {

struct HunkLine {
  char op = ' ';     // ' ' context, '-' removed, '+' added
  std::string text;  // the line's bytes without the op; ends in '\n' unless
                     // a "\ No newline at end of file" line followed it
};

struct Hunk {
  long old_start = 0, old_count = 0;  // "@@ -old_start,old_count"
  long new_start = 0, new_count = 0;  // "+new_start,new_count @@"
  int leading = 0;                    // context lines before the first change
  int trailing = 0;                   // context lines after the last change
  int line = 0;                       // 1-based line of the "@@" in the patch text
  std::vector<HunkLine> lines;
};

// A `GIT binary patch` hunk, decoded (base85) and inflated.
struct BinaryHunk {
  enum Method { literal, delta };
  Method method = literal;
  std::string data;  // literal: the new content; delta: a git delta
};

struct FilePatch {
  std::string old_path, new_path;       // -p1 stripped; empty for /dev/null
  uint32_t old_mode = 0, new_mode = 0;  // 0 = not given
  bool is_new = false, is_delete = false, is_rename = false, is_copy = false;
  bool is_git = false;     // came from a "diff --git" header
  bool is_binary = false;  // "Binary files differ" or "GIT binary patch"
  std::optional<BinaryHunk> binary, binary_reverse;
  std::string old_oid, new_oid;  // from the "index" line (may be abbreviated)
  int line = 0;                  // 1-based line of the header in the patch text
  std::vector<Hunk> hunks;

  // The path the patch reads (old) and writes (new), whichever exists.
  const std::string& path() const { return new_path.empty() ? old_path : new_path; }
};

struct Patch {
  std::vector<FilePatch> files;
};

// Parses `text`. `where` names the patch for diagnostics; `first_line` is the
// line number of text[0] in that file (the diff part of a mail starts after
// its message). Returns false (with an error in `diags`) on a corrupt patch.
bool parse_patch(std::string_view text, const Location& where, Patch* out, Diagnostics* diags);

// The same patch with old and new exchanged (what `git apply -R` applies).
Patch reverse_patch(const Patch& p);

// Decodes git's base85 data line length character ('A'-'Z' = 1..26,
// 'a'-'z' = 27..52); 0 if not a length character.
int base85_line_length(char c);
// Decodes git base85 text (groups of 5 characters to 4 bytes) into exactly
// `len` bytes. False on a bad character.
bool base85_decode(std::string_view in, size_t len, std::string* out);

// Strips C-style quoting ("a\tb" -> a<TAB>b) from a git path; `in` starts
// with '"'. Returns the number of characters consumed, 0 on a bad quote.
size_t unquote_c_style(std::string_view in, std::string* out);

}  // namespace kmeta::tree
