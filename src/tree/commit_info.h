// The metadata of the commit made for one patch, chosen as the reference
// (kgit-s2q under do_patch, git >= 2.40, `--commit-sha author`) chooses it:
//
// - a mail `git am` accepts (mail headers and an author address): author and
//   date from the mail, committer from the policy (OpenEmbedded
//   <kernel-yocto@oe> as the bbclass exports), committer date = the author
//   date with the author's timezone, message = subject, blank line, body,
//   through git's stripspace;
// - anything else takes kgit-s2q's fallback (mailinfo + apply + commit-tree):
//   author from the mail or "invalid_git config <unknown@unknown>", committer
//   date = the source date (+0000), message = subject, blank line, body,
//   byte for byte.
//
// Deliberate difference: where the reference uses the current time (a
// patch without a Date: header), kmeta uses the policy's source date
// (SOURCE_DATE_EPOCH, else the date of the commit the series starts from), so
// the same inputs give the same commit ids.
#pragma once

#include <string>

#include "tree/ident.h"
#include "tree/mailinfo.h"

namespace kmeta::tree {

struct Signature {
  std::string name, email;
  GitTime when;
  friend bool operator==(const Signature&, const Signature&) = default;
};

struct CommitPolicy {
  std::string committer_name = "OpenEmbedded";
  std::string committer_email = "kernel-yocto@oe";
  GitTime source_date;                        // see above
  bool committer_date_is_author_date = true;  // `--commit-sha author`
  // The author of a fallback-path patch whose mail names none (kgit-s2q's
  // default, or its --author).
  std::string fallback_author_name = "invalid_git config";
  std::string fallback_author_email = "<unknown@unknown>";
};

struct CommitMeta {
  Signature author, committer;
  std::string message;
  bool am_path = true;            // false: the reference's fallback path
  bool date_from_policy = false;  // the mail had no date
};

// False (with `error`) when the mail's date cannot be parsed, as git am and
// git commit-tree refuse it.
bool commit_meta(const MailInfo& mi, const CommitPolicy& policy, CommitMeta* out, std::string* error);

}  // namespace kmeta::tree
