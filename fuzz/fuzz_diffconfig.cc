// Fuzz target for `kmeta diffconfig`'s reader (uprev/diffconfig.h): the input
// is split at its first NUL (or its middle) into two .config texts, read as
// the kernel's scripts/diffconfig reads them, diffed and printed both ways.
// Besides "no crash, no hang, no sanitizer report": a refusal says why; a
// config differs from itself in nothing; the diff of A and B names only
// names of A (removed, changed) and of B (added, changed).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "uprev/diffconfig.h"

using namespace kmeta::uprev;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\0');
  if (cut == std::string::npos) cut = in.size() / 2;
  std::string ta = in.substr(0, cut), tb = cut < in.size() ? in.substr(cut + 1) : std::string();
  ConfigValues a, b;
  kmeta::Diagnostics ea, eb;
  bool oka = read_values(ta, "a", &a, &ea), okb = read_values(tb, "b", &b, &eb);
  if ((!oka && !ea.has_errors()) || (!okb && !eb.has_errors())) std::abort();
  if (!oka || !okb) return 0;
  ConfigDelta same = diff_values(a, a);
  if (!same.removed.empty() || !same.changed.empty() || !same.added.empty()) std::abort();
  if (!render_diffconfig(same, false).empty() || !render_diffconfig(same, true).empty()) std::abort();
  ConfigDelta d = diff_values(a, b);
  for (const auto& r : d.removed)
    if (!a.count(r.first) || b.count(r.first)) std::abort();
  for (const auto& c : d.changed)
    if (!a.count(std::get<0>(c)) || !b.count(std::get<0>(c)) || std::get<1>(c) == std::get<2>(c))
      std::abort();
  for (const auto& r : d.added)
    if (a.count(r.first) || !b.count(r.first)) std::abort();
  (void)render_diffconfig(d, false);
  (void)render_diffconfig(d, true);
  return 0;
}
