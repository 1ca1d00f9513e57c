// The part of `git mailinfo` (and `git am`'s use of it) that turns a patch
// mail into commit metadata: headers (folded lines, RFC 2047 words, the
// From/Subject/Date fields), the subject clean-up of `--keep-non-patch`
// (mailinfo -b), in-body From/Subject/Date headers, quoted-printable and
// base64 bodies, and the split between the message and the patch at git's
// "patch break" (a line starting "diff -", "Index: ", "--- <name>" or "---"
// and blanks). MIME multipart mails are rejected with a located error.
//
// Like `git mailsplit` ahead of `git am`, a leading mbox "From " line is
// dropped and CR before LF is removed from every line.
#pragma once

#include <string>
#include <string_view>

#include "base/diagnostic.h"

namespace kmeta::tree {

struct MailInfo {
  std::string author_name;   // "Author:" of git mailinfo
  std::string author_email;  // "Email:"
  std::string date;          // "Date:" as written (whitespace normalised); empty if none
  std::string subject;       // cleaned subject
  std::string message;       // the log message (mailinfo's "msg" file)
  std::string patch;         // the diff part (mailinfo's "patch" file)
  int patch_line = 0;        // 1-based line of the patch part in the mail
  bool is_mail = false;      // `git am` would read this as a mail (mbox / headers)
};

struct MailInfoOptions {
  bool keep_non_patch = true;  // -b: keep "[foo]" groups that do not say PATCH
  bool mailsplit = true;       // drop CR before LF as git mailsplit does
};

// Reads `mail`. Errors (a MIME multipart mail, an undecodable charset, more
// than one mail in the file) go to `diags` located at `where`.
bool mailinfo(std::string_view mail, const MailInfoOptions& opts, const Location& where, MailInfo* out,
              Diagnostics* diags);

// `git am`'s commit message: subject, blank line, message, then git's
// stripspace (trailing blanks, blank-line runs, leading/trailing blank lines).
std::string am_message(const MailInfo& mi);

// git's stripspace without comment stripping (what `git am` applies).
std::string stripspace(std::string_view text);

// The subject clean-up of `git mailinfo` (-b when keep_non_patch).
std::string cleanup_subject(std::string_view subject, bool keep_non_patch);

}  // namespace kmeta::tree
