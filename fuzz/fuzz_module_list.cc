// Fuzz target for bundle module lists (bundle/module_list.h): the first line
// is matched as a list entry against the module names and paths of the other
// lines; every line also goes through the list-line parser. Checks: a parsed
// line has a pattern of its kind, and matching stays polynomial (libFuzzer's
// per-input timeout catches a backtracking blow-up).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "bundle/module_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kmeta;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= in.size();) {
    size_t nl = in.find('\n', at);
    if (nl == std::string_view::npos) nl = in.size();
    lines.push_back(in.substr(at, nl - at));
    at = nl + 1;
  }
  std::vector<bundle::ListEntry> entries;
  for (size_t i = 0; i < lines.size(); ++i) {
    Diagnostics d;
    bundle::ListEntry e;
    bool ok = bundle::parse_list_line(lines[i], Location{"fuzz.list", static_cast<int>(i + 1), 0}, &e, &d);
    if (!ok && d.items().empty()) std::abort();  // a refusal always says why
    if (ok && !e.pattern.empty()) entries.push_back(e);
  }
  for (const bundle::ListEntry& e : entries)
    for (size_t i = 1; i < lines.size() && i < 64; ++i) {
      std::string name = bundle::normalize_module_name(lines[i]);
      (void)bundle::entry_matches(e, name, lines[i]);
    }
  if (lines.size() >= 2) (void)bundle::glob_match(lines[0], lines[1]);
  return 0;
}
