// How every command shows the Diagnostics of the library entry points it
// calls: through render_with_source (the located "file:line:col: error: ...",
// the source line with a caret, the include chain), on stderr. A diagnostic
// without a location names the command instead ("kmeta build: error: ...").
#pragma once

#include <string_view>

#include "base/diagnostic.h"

namespace kmeta::cli {

// `command` is "kmeta build", ...; "" = no prefix for unlocated diagnostics.
// Warnings and notes too unless `with_warnings` is false.
void print_errors(std::string_view command, const Diagnostics& ds, bool with_warnings = true);

}  // namespace kmeta::cli
