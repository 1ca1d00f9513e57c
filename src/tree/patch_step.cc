#include "tree/patch_step.h"

#include <fmt/format.h>

#include "tree/mailinfo.h"
#include "tree/patch_parse.h"

namespace kmeta::tree {

const char* kind_name(PatchOutcome::Kind k) {
  switch (k) {
    case PatchOutcome::applied: return "applied";
    case PatchOutcome::applied_offset: return "applied-offset";
    case PatchOutcome::applied_reduced: return "applied-reduced-context";
    case PatchOutcome::already_applied: return "already-applied";
    case PatchOutcome::conflict: return "conflict";
    case PatchOutcome::missing: return "file-missing";
    case PatchOutcome::bad_patch: return "bad-patch";
    case PatchOutcome::skipped: return "skipped";
  }
  return "?";
}

StepResult apply_mail(std::string_view mail, const Location& where, const FileSource& src,
                      const CommitPolicy& policy) {
  StepResult r;
  PatchOutcome& o = r.outcome;
  Diagnostics diags;
  MailInfo mi;
  if (!mailinfo(mail, MailInfoOptions{}, where, &mi, &diags)) {
    o.kind = PatchOutcome::bad_patch;
    o.error = diags.render();
    return r;
  }
  o.subject = mi.subject;
  if (mi.patch.empty()) {
    o.kind = PatchOutcome::bad_patch;
    o.error = where.str() + ": error: Patch is empty. Was it split wrong?\n";
    return r;
  }
  Patch patch;
  Location pw = where;
  pw.line = mi.patch_line;
  if (!parse_patch(mi.patch, pw, &patch, &diags)) {
    o.kind = PatchOutcome::bad_patch;
    o.error = diags.render();
    return r;
  }
  ApplyResult plain = apply_patch(patch, src, ApplyOptions{-1});
  ApplyResult used;
  if (plain.ok) {
    used = std::move(plain);
    o.kind = PatchOutcome::applied;
    for (const FileResult& f : used.files)
      for (const HunkResult& h : f.hunks)
        if (h.offset != 0) o.kind = PatchOutcome::applied_offset;
  } else {
    ApplyResult c1 = apply_patch(patch, src, ApplyOptions{1});
    used = std::move(c1);
    if (used.ok) {
      o.kind = PatchOutcome::applied_reduced;
    } else {
      ApplyResult rev = apply_patch(reverse_patch(patch), src, ApplyOptions{1});
      bool missing = false;
      for (const FileResult& f : used.files)
        if (f.status == FileResult::missing) missing = true;
      if (rev.ok)
        o.kind = PatchOutcome::already_applied;
      else if (missing)
        o.kind = PatchOutcome::missing;
      else
        o.kind = PatchOutcome::conflict;
      if (o.kind == PatchOutcome::conflict)
        o.zero_context_applies = apply_patch(patch, src, ApplyOptions{0}).ok;
    }
  }
  o.files = std::move(used.files);
  if (!o.ok()) return r;
  std::string err;
  if (!commit_meta(mi, policy, &r.meta, &err)) {
    o.kind = PatchOutcome::bad_patch;
    o.error = where.str() + ": error: " + err + "\n";
    return r;
  }
  o.am_path = r.meta.am_path;
  o.date_from_policy = r.meta.date_from_policy;
  r.changes = std::move(used.changes);
  return r;
}

std::string explain(const PatchOutcome& o) {
  std::string out;
  auto add = [&](const std::string& s) {
    if (!out.empty()) out += '\n';
    out += s;
  };
  if (o.kind == PatchOutcome::bad_patch) {
    std::string e = o.error;
    while (!e.empty() && e.back() == '\n') e.pop_back();
    add(e);
    return out;
  }
  if (o.kind == PatchOutcome::already_applied) {
    add("  already applied: the patch does not apply but its reverse does");
    return out;
  }
  for (const FileResult& f : o.files) {
    for (const HunkResult& h : f.hunks) {
      if (h.applied) {
        if (h.offset != 0)
          add(fmt::format("  {}: hunk #{} applied at line {} (offset {})", f.path, h.number, h.at, h.offset));
        if (h.context_reduced)
          add(fmt::format("  {}: hunk #{} needed reduced context ({} leading/{} trailing lines) at line {}",
                          f.path, h.number, h.leading, h.trailing, h.at));
        else if (h.anchor_dropped)
          add(fmt::format("  {}: hunk #{} applied at line {} without its {} anchoring", f.path, h.number,
                          h.at, "start/end-of-file"));
        continue;
      }
      add(fmt::format("  {}: hunk #{} (expected at line {}) does not apply", f.path, h.number, h.expected));
      if (h.nearest_at) {
        add(fmt::format("    nearest match: line {}, {} of {} lines equal", h.nearest_at, h.nearest_matched,
                        h.preimage_lines));
        auto show = [](std::string s) {
          if (!s.empty() && s.back() == '\n') s.pop_back();
          return s;
        };
        add("    patch expects: " + show(h.expected_line));
        add(h.found_line.empty() ? std::string("    tree has:      (end of file)")
                                 : "    tree has:      " + show(h.found_line));
      } else {
        add("    nothing similar in the file");
      }
    }
    if (f.status == FileResult::missing || f.status == FileResult::already_exists ||
        f.status == FileResult::not_empty || f.status == FileResult::binary_error)
      add("  " + f.message);
  }
  if (o.zero_context_applies)
    add("  it would apply ignoring all context (-C0): only the context lines differ");
  return out;
}

}  // namespace kmeta::tree
