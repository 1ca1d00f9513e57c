// A patch applier compatible with `git apply` (and hence `git am`).
//
// The hunk search is git's (apply.c find_pos / match_fragment /
// apply_one_fragment): each hunk is looked for at its "+new" line, then one
// line after, one before, two after, ... over the whole file; lines match
// byte for byte; a hunk starting at old line 0/1 must match at the start of
// the file, a hunk without trailing context at its end; lines written by an
// earlier hunk of the same file are never matched again. With a context
// limit (`git apply -C1` = context 1) a failing hunk first drops its
// anchoring, then loses leading/trailing context lines one at a time (the
// longer side first, both when equal) while either side is longer than the
// limit. New, deleted, renamed and copied files, mode changes and
// `GIT binary patch` data (literal and delta) are handled as git does; the
// whole patch applies or nothing does.
//
// Every hunk's outcome is recorded as data (where it applied, the offset,
// the context it needed), and a failing hunk carries the nearest place in
// the file that resembles it, so callers can explain a failure.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tree/patch_parse.h"

namespace kmeta::tree {

struct ApplyOptions {
  int context = -1;  // -1: all context required (git's default); 1 = `-C1`
};

struct HunkResult {
  int number = 0;  // 1-based within its file
  bool applied = false;
  long expected = 0;              // 1-based line git searched from (after context reduction)
  long at = 0;                    // 1-based line it applied at
  long offset = 0;                // at - expected
  int leading = 0, trailing = 0;  // context lines finally used
  bool context_reduced = false;   // fewer than the hunk's own context lines
  bool anchor_dropped = false;    // start/end-of-file anchoring was relaxed
  // Failure only: the most similar place in the file.
  long nearest_at = 0;        // 1-based line, 0 = nothing similar
  int nearest_matched = 0;    // preimage lines equal there
  int preimage_lines = 0;     // lines the hunk expects (context + removed)
  std::string expected_line;  // first line that differs there: the patch's
  std::string found_line;     // ... and the file's (empty at end of file)
};

// What happened to one file patch.
struct FileResult {
  enum Status {
    ok,
    missing,         // the file to patch does not exist
    already_exists,  // a new file (or rename/copy target) exists
    conflict,        // a hunk does not apply
    not_empty,       // a deletion leaves content behind
    binary_error,    // binary patch without data, or preimage mismatch
  };
  Status status = ok;
  std::string path;
  std::vector<HunkResult> hunks;
  std::string message;  // git's words for a failure ("patch failed: f:12" ...)
};

struct FileEntry {
  std::string content;
  uint32_t mode = 0100644;
};

// One change to the tree, in patch order; nullopt content = deleted.
struct FileChange {
  std::string path;
  std::optional<FileEntry> entry;
};

struct ApplyResult {
  bool ok = false;
  std::vector<FileResult> files;
  std::vector<FileChange> changes;  // only meaningful when ok
};

// Where the applier reads files from. `blob` (optional) returns an object's
// content by its full hex id, for binary patches whose result is already known.
struct FileSource {
  std::function<std::optional<FileEntry>(const std::string& path)> read;
  std::function<std::optional<std::string>(const std::string& hex)> blob;
};

// Applies the hunks of `fp` to `content` (one file). False when a hunk does
// not apply; `results` gets one entry per hunk tried.
bool apply_hunks(std::string_view content, const FilePatch& fp, const ApplyOptions& opts, std::string* out,
                 std::vector<HunkResult>* results);

// Applies a whole patch against `src`. All or nothing.
ApplyResult apply_patch(const Patch& patch, const FileSource& src, const ApplyOptions& opts);

// Applies a git binary delta to `base`. False on a corrupt delta.
bool apply_delta(std::string_view base, std::string_view delta, std::string* out);

// git's object id (SHA-1 hex) of a blob with this content.
std::string blob_id(std::string_view content);

// The messages `git apply -v` prints for the hunks of a file that applied:
// "Hunk #N succeeded at L (offset K lines)." and
// "Context reduced to (l/t) to apply fragment at L", in git's order.
std::vector<std::string> verbose_lines(const FileResult& fr);

// Normalises a mode as git stores it in a tree (100644, 100755, 120000, 160000).
uint32_t canonical_mode(uint32_t mode);

}  // namespace kmeta::tree
