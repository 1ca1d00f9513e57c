// `kmeta diffconfig`: the kernel's scripts/diffconfig, byte for byte.
//
// diffconfig reads each .config as a map name -> value: a line starting with
// "CONFIG_" is split at its first '=' (the value is everything after it,
// comments included), a line ending in " is not set" gives the name between
// its 9th character and that suffix the value "n" (whatever the first nine
// characters are); the later line of a name wins. It then prints the names
// only in A ("-NAME value"), those whose values differ (" NAME a -> b") and
// those only in B ("+NAME value"), each group sorted by name. With -m it
// prints B's values of the changed and added names as .config lines (a value
// "n" as "# CONFIG_NAME is not set"; an empty value prints nothing).
//
// Quirks kept on purpose, because the script has them: the last character of
// every line is dropped (the newline, or the last character of a final line
// without one); "\r" and "\r\n" end lines (Python's universal newlines);
// positions count characters, not bytes. A "CONFIG_" line without '=' makes
// the script fail (a Python traceback, nothing on stdout), and so does text
// that is not UTF-8: read_values() returns an error for them, with the line.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::uprev {

using ConfigValues = std::map<std::string, std::string>;  // byte order = Python's code point order

// False + an error located at `name`:N (N the 1-based line) when the script
// would fail on `text` (invalid UTF-8, a CONFIG_ line without '=').
bool read_values(std::string_view text, const std::string& name, ConfigValues* out, Diagnostics* diags);

struct ConfigDelta {
  std::vector<std::pair<std::string, std::string>> removed;                // name, A's value
  std::vector<std::tuple<std::string, std::string, std::string>> changed;  // name, A's, B's
  std::vector<std::pair<std::string, std::string>> added;                  // name, B's value
};
ConfigDelta diff_values(const ConfigValues& a, const ConfigValues& b);

// What the script prints (merge_style = -m).
std::string render_diffconfig(const ConfigDelta& d, bool merge_style);

}  // namespace kmeta::uprev
