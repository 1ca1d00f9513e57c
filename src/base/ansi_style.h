// ANSI SGR styling for text reports (header-only): each helper wraps its text
// in an escape sequence when `on`, and returns it unchanged otherwise. The
// caller decides `on` (a terminal, NO_COLOR unset: the CLI's use_colour()).
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace kmeta {

struct AnsiStyle {
  bool on = false;
  std::string wrap(std::string_view code, std::string_view s) const {
    if (!on) return std::string(s);
    return fmt::format("\033[{}m{}\033[0m", code, s);
  }
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string red(std::string_view s) const { return wrap("1;31", s); }
  std::string yellow(std::string_view s) const { return wrap("1;33", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
};

}  // namespace kmeta
