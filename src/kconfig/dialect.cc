#include "kconfig/dialect.h"

#include <algorithm>

namespace kmeta::kconfig {

namespace {

// The value of the first `NAME = <digits>` in a Makefile (blanks, newlines
// included, around the '='), saturated at 999999. A plain scan: a hostile
// Makefile (a megabyte of blanks, a number past int) costs linear time.
std::optional<int> makefile_number(std::string_view text, std::string_view name) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  for (size_t at = 0; at < text.size();) {
    size_t i = at;
    size_t eol = text.find('\n', at);
    at = eol == std::string_view::npos ? text.size() : eol + 1;
    if (text.substr(i, name.size()) != name) continue;
    i += name.size();
    while (i < text.size() && space(text[i])) ++i;
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    while (i < text.size() && space(text[i])) ++i;
    if (i >= text.size() || text[i] < '0' || text[i] > '9') continue;
    int v = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      v = std::min(999999, v * 10 + (text[i] - '0'));
    return v;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Dialect> dialect_from_makefile(std::string_view text) {
  std::optional<int> v = makefile_number(text, "VERSION"), p = makefile_number(text, "PATCHLEVEL");
  if (!v || !p) return std::nullopt;
  return (*v > 6 || (*v == 6 && *p >= 11)) ? Dialect::v6_12 : Dialect::v6_1;
}

}  // namespace kmeta::kconfig
