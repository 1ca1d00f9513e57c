// Located diagnostics rendered for people, the one way every command shows
// them: "file:line:col: error: message", then the source line with a caret
// under the column (when the file can be read through the given FileSystem and
// the location has a line), then the include chain, innermost first. Returns
// text; the CLI prints it.
#pragma once

#include <string>

#include "base/diagnostic.h"
#include "base/file_system.h"

namespace kmeta {

// Source lines are shown for absolute file names (a FileSystem takes absolute
// paths); others render as Diagnostic::render() does, plus a newline.
std::string render_with_source(const Diagnostic& d, FileSystem& sources);
// Every error, and every warning and note unless `with_warnings` is false.
std::string render_with_source(const Diagnostics& ds, FileSystem& sources, bool with_warnings = true);

}  // namespace kmeta
