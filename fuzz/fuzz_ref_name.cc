// Fuzz target for the names kmeta hands to git and to a shell
// (base/ref_name.h). Checks the properties the compiler relies on: a name
// that passes both checks holds no byte a shell or git would interpret.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/ref_name.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view name(reinterpret_cast<const char*>(data), size);
  bool git_ok = kmeta::branch_name_problem(name).empty();
  bool shell_ok = kmeta::shell_safe_word(name);
  if (git_ok && (name.empty() || name.find("..") != std::string_view::npos || name.find("@{") != name.npos ||
                 name.front() == '-' || name.front() == '/' || name.back() == '/' || name.back() == '.'))
    std::abort();
  if (shell_ok)
    for (char c : name)
      if (std::string_view(" \t\n'\"`$;&|<>(){}[]*?~#!\\").find(c) != std::string_view::npos) std::abort();
  return 0;
}
