#include "tree/commit_info.h"

namespace kmeta::tree {

bool commit_meta(const MailInfo& mi, const CommitPolicy& policy, CommitMeta* out, std::string* error) {
  CommitMeta m;
  m.am_path = mi.is_mail && !mi.author_email.empty();
  GitTime author_date = policy.source_date;
  if (!mi.date.empty()) {
    auto d = parse_git_date(mi.date);
    if (!d) {
      *error = "invalid date format: " + mi.date;
      return false;
    }
    author_date = *d;
  } else {
    m.date_from_policy = true;
  }
  if (m.am_path) {
    m.author = {strip_crud(mi.author_name), strip_crud(mi.author_email), author_date};
    m.committer = {strip_crud(policy.committer_name), strip_crud(policy.committer_email),
                   policy.committer_date_is_author_date ? author_date : policy.source_date};
    m.message = am_message(mi);
  } else {
    std::string name = mi.author_name, email = mi.author_email;
    if (name.empty() && email.empty()) {
      name = policy.fallback_author_name;
      email = policy.fallback_author_email;
    }
    m.author = {strip_crud(name), strip_crud(email), author_date};
    m.committer = {strip_crud(policy.committer_name), strip_crud(policy.committer_email), policy.source_date};
    m.message = mi.subject + "\n\n" + mi.message;
  }
  if (m.author.name.empty() || m.author.email.empty()) {
    *error = "empty ident name (for <" + m.author.email + ">) not allowed";
    return false;
  }
  *out = std::move(m);
  return true;
}

}  // namespace kmeta::tree
