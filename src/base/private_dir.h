// Directories whose content kmeta believes without re-deriving it: the probe
// cache and the model cache. Another user able to write there could change
// what a probe "printed" and so root's .config, so such a directory must be
// private to the user, as ssh requires of ~/.ssh:
//
//   the directory itself   owned by the effective user, not writable by
//                          group or others;
//   every ancestor         owned by the user or by root, and not writable by
//                          group or others unless sticky (/tmp: others cannot
//                          rename or remove what is not theirs).
//
// Symlinks in the path are resolved first and the real path is checked.
#pragma once

#include <string>

namespace kmeta {

// True when `dir` may be trusted; a missing `dir` is trusted when its nearest
// existing ancestor passes the ancestor rule (make_private_dirs creates the
// rest). False + *why ("/x/probes is owned by uid 65534, not by the current
// user", "... is writable by group or others") otherwise.
bool check_private_dir(const std::string& dir, std::string* why);

// mkdir -p `dir`, each directory it creates with mode 0700. True when `dir`
// exists as a directory afterwards.
bool make_private_dirs(const std::string& dir, std::string* error = nullptr);

}  // namespace kmeta
