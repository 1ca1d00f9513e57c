#include "base/ref_name.h"

#include <fmt/format.h>

namespace kmeta {

namespace {

std::string component_problem(std::string_view c) {
  if (c.empty()) return "has an empty path component ('//', or a '/' at either end)";
  if (c.front() == '.') return fmt::format("has a component starting with '.' ('{}')", c);
  if (c.size() >= 5 && c.substr(c.size() - 5) == ".lock")
    return fmt::format("has a component ending in '.lock' ('{}')", c);
  return {};
}

}  // namespace

std::string branch_name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.front() == '-') return "starts with '-'";
  if (name == "HEAD") return "is 'HEAD'";
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return fmt::format("contains the control character 0x{:02x}", c);
    switch (c) {
      case ' ':
      case '~':
      case '^':
      case ':':
      case '?':
      case '*':
      case '[':
      case '\\': return fmt::format("contains '{}'", static_cast<char>(c));
      default: break;
    }
    if (c == '.' && i + 1 < name.size() && name[i + 1] == '.') return "contains '..'";
    if (c == '@' && i + 1 < name.size() && name[i + 1] == '{') return "contains '@{'";
  }
  size_t b = 0;
  while (true) {
    size_t e = name.find('/', b);
    std::string p = component_problem(name.substr(b, e == std::string_view::npos ? e : e - b));
    if (!p.empty()) return p;
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  if (name.back() == '.') return "ends with '.'";
  return {};
}

bool shell_safe_word(std::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '/' || c == '+' || c == '-' || c == ',' || c == '@' || c == '%' || c == '=';
    if (!ok) return false;
  }
  return true;
}

}  // namespace kmeta
