// The prefer-modules fixup scc applies to a fragment: `sed s/^OPT=./OPT=VAL/`
// on every line (an `# OVERRIDE:$MODULE_OR_Y` line turns OPT=y into OPT=m).
#pragma once

#include <string>

namespace kmeta::scc {

std::string apply_fixup(const std::string& content, const std::string& opt, const std::string& val);

}  // namespace kmeta::scc
