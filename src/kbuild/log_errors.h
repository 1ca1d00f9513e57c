// What failed in a kernel build log: the compiler's located errors
// (`file:line:col: error: ...`, as kmeta's own Diagnostics), the target make
// was building when it gave up, the kernel's own "***" messages, and the
// last lines of the log. Runs on the text make printed; nothing is re-run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace kmeta::kbuild {

struct LogErrors {
  Diagnostics errors;                        // compiler / assembler / linker errors, in log order
  std::string failing_target;                // innermost "make: *** [...: target] Error N" ("" when none)
  std::string failing_rule;                  // "scripts/Makefile.build:243" for that target
  std::vector<std::string> kbuild_messages;  // lines starting with "***" (kbuild's own explanations)
  bool disk_full = false;                    // "No space left on device" appeared
  std::vector<std::string> tail;             // the last lines of the log
};

// `tail_lines`: how many of the last lines to keep.
LogErrors extract_errors(std::string_view log, size_t tail_lines = 20);

// The report kmeta prints on failure: errors, failing target, explanations, tail.
std::string render_errors(const LogErrors& e, const std::string& log_path);

}  // namespace kmeta::kbuild
