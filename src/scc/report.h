// Rendering of located diagnostics for people: "file:line:col: error: …",
// the source line with a caret, then the include chain. Returns text; the
// CLI prints it.
#pragma once

#include <string>

#include "base/diagnostic.h"
#include "scc/fs.h"

namespace kmeta::scc {

std::string render_diagnostic(const Diagnostic& d, FileSystem& fs);
// Every diagnostic of the given severities (errors and warnings by default).
std::string render_diagnostics(const Diagnostics& ds, FileSystem& fs, bool with_warnings = true);

}  // namespace kmeta::scc
