// Fuzz target for the spp --find matcher (scc/bre.h): the first line of the
// input is a KMACHINE value, spliced into spp's define pattern and also used
// alone as a pattern; the other lines are matched against both. Must never
// crash, hang (matching is linear: the ctest/libFuzzer timeouts are the check)
// or trip a sanitizer; a compiled pattern's program stays within its bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scc/bre.h"
#include "scc/find.h"

using namespace kmeta::scc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view value = in.substr(0, nl);
  std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  BreLimits limits;
  limits.max_program = 4000;  // keeps each run fast; the bound itself is what is tested
  for (const std::string& pattern : {define_pattern(value), std::string(value)}) {
    std::string error;
    auto re = Bre::compile(pattern, &error, limits);
    if (!re) {
      if (error.empty()) std::abort();  // a refusal always says why
      continue;
    }
    if (re->program_size() > limits.max_program) std::abort();
    size_t pos = 0;
    while (pos <= rest.size()) {
      size_t e = rest.find('\n', pos);
      if (e == std::string_view::npos) e = rest.size();
      (void)re->search(rest.substr(pos, e - pos));
      pos = e + 1;
    }
  }
  return 0;
}
