// Module selection lists: which kernel modules a bundle ships.
//
// The grammar is kernel-wedge's module-list grammar plus dracut's subtree
// form, one entry per line:
//
//   virtio_rng            a module name ('-' and '_' are the same)
//   virtio*               a glob on module names ('*' and '?' as in sh)
//   kernel/drivers/net/virtio*   a glob on module paths (has a '/'): '*' and
//                         '?' stop at '/', '**' crosses it; the leading
//                         "kernel/" may be left out
//   =drivers/net          every module under kernel/drivers/net (dracut)
//   NAME ?                optional: no error when nothing matches
//   NAME -                exclude: drop what NAME matches from the set so far
//   #include <file>       the entries of another list ("file" or <file>,
//                         relative to the including list's directory)
//   # comment, blank lines
//
// Entries apply in order: an exclusion drops what was selected before it, a
// later entry may select it again. The parse is located: every entry keeps
// its file:line and the chain of #include lines that reached it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::bundle {

struct ListEntry {
  enum class Kind { name, name_glob, path_glob, subtree };
  Kind kind = Kind::name;
  std::string pattern;  // as written (names normalised to '_'; subtree without '=')
  bool optional = false;
  bool exclude = false;
  Location where;
  std::vector<Location> chain;  // #include lines, innermost first
};

// Parses one line of list text (also used for names given on the command
// line). Returns false (and reports) for a malformed line; blank lines and
// comments return true and leave *out untouched with an empty pattern.
bool parse_list_line(std::string_view line, const Location& where, ListEntry* out, Diagnostics* diags);

// Reads a list file and its #includes. Errors (unreadable file, include
// cycle, malformed line) are reported; the entries read so far are returned.
std::vector<ListEntry> read_list_file(const std::string& path, Diagnostics* diags);

// Module name as the kernel spells it internally: '-' becomes '_'.
std::string normalize_module_name(std::string_view name);

// Glob match: '*' and '?' do not cross '/', '**' matches any run of
// characters including '/'. `[...]` is not special.
bool glob_match(std::string_view pattern, std::string_view text);

// Whether `entry` selects the module `name` (normalised) at `relpath`
// (relative to lib/modules/<release>/, e.g. kernel/drivers/virtio/virtio.ko).
bool entry_matches(const ListEntry& entry, std::string_view name, std::string_view relpath);

}  // namespace kmeta::bundle
