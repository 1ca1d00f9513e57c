// One patch of a series: the mail read (mailinfo), the diff parsed, applied
// the way kgit-s2q's ladder applies it (`git am`, then `git am -C1`; both are
// `git apply` underneath), and, when it does not apply, classified: already
// applied (the reverse applies), a file missing, or a conflict with the
// nearest matching place of the failing hunk. Reads files through a
// FileSource, writes nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "tree/apply.h"
#include "tree/commit_info.h"

namespace kmeta::tree {

struct PatchOutcome {
  enum Kind {
    applied,          // as written, at the stated lines
    applied_offset,   // `git am` applies it, some hunks at other lines
    applied_reduced,  // only `git am -C1` applies it (anchoring or context relaxed)
    already_applied,  // does not apply; its reverse does
    conflict,         // a hunk does not apply
    missing,          // a file it patches does not exist
    bad_patch,        // unreadable mail or corrupt diff
    skipped,          // skipped by --skip
  };
  Kind kind = applied;
  size_t index = 0;   // 0-based position in the series
  std::string entry;  // the series entry
  std::string subject;
  std::vector<FileResult> files;      // per file, from the attempt that decided
  bool zero_context_applies = false;  // failure: it would apply with -C0
  std::string error;                  // bad_patch: the diagnostics
  std::string commit;                 // the commit made (apply mode)
  bool am_path = true;
  bool date_from_policy = false;

  bool ok() const { return kind == applied || kind == applied_offset || kind == applied_reduced; }
};

const char* kind_name(PatchOutcome::Kind k);

struct StepResult {
  PatchOutcome outcome;
  std::vector<FileChange> changes;  // when outcome.ok()
  CommitMeta meta;                  // when outcome.ok()
};

StepResult apply_mail(std::string_view mail, const Location& where, const FileSource& src,
                      const CommitPolicy& policy);

// One line per hunk worth telling (offsets, reduced context) and, for a
// failure, what failed and where the nearest match is. No trailing newline.
std::string explain(const PatchOutcome& o);

}  // namespace kmeta::tree
