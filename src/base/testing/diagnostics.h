// Reading a Diagnostics sink in tests (header-only; not part of the
// library): the messages of its errors, for comparing with what an entry
// point used to report as text.
#pragma once

#include <string>

#include "base/diagnostic.h"

namespace kmeta::testing {

// Every error's message, joined by '\n' ("" when there is none).
inline std::string error_text(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds.items()) {
    if (d.severity != Severity::error) continue;
    if (!out.empty()) out += '\n';
    out += d.message;
  }
  return out;
}

}  // namespace kmeta::testing
