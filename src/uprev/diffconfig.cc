#include "uprev/diffconfig.h"

#include <fmt/format.h>

namespace kmeta::uprev {

namespace {

// Length of the UTF-8 sequence starting with byte `c` (0 = invalid lead byte).
size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return c >= 0xC2 ? 2 : 0;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return c <= 0xF4 ? 4 : 0;
  return 0;
}

// Byte offsets of every code point of `s` (plus s.size() at the end), or
// nullopt when `s` is not valid UTF-8 (Python's strict decoder).
std::optional<std::vector<size_t>> code_points(std::string_view s) {
  std::vector<size_t> at;
  at.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = utf8_len(c);
    if (n == 0 || i + n > s.size()) return std::nullopt;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    if (n == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return std::nullopt;  // overlong, surrogates
    } else if (n == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return std::nullopt;
    }
    at.push_back(i);
    i += n;
  }
  at.push_back(s.size());
  return at;
}

}  // namespace

bool read_values(std::string_view text, const std::string& name, ConfigValues* out, Diagnostics* diags) {
  // Python's universal newlines: "\n", "\r\n" and "\r" end a line, and each is
  // read as one "\n".
  int number = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find_first_of("\r\n", i);
    std::string line;
    if (end == std::string_view::npos) {
      line = std::string(text.substr(i));
      i = text.size();
    } else {
      line = std::string(text.substr(i, end - i)) + "\n";
      i = end + 1;
      if (text[end] == '\r' && i < text.size() && text[i] == '\n') ++i;
    }
    ++number;
    auto cp = code_points(line);
    if (!cp) {
      diags->error({FileName(name), number, 0},
                   "not valid UTF-8 (the script stops with a UnicodeDecodeError)");
      return false;
    }
    size_t chars = cp->size() - 1;
    // line = line[:-1]
    if (chars > 0) {
      line.resize((*cp)[chars - 1]);
      cp->pop_back();
      (*cp)[chars - 1] = line.size();
      --chars;
    }
    if (line.compare(0, 7, "CONFIG_") == 0 && line.size() >= 7) {
      size_t eq = line.find('=', 7);
      if (eq == std::string::npos) {
        diags->error({FileName(name), number, 0},
                     "a CONFIG_ line without '=' (the script stops with a ValueError)");
        return false;
      }
      (*out)[line.substr(7, eq - 7)] = line.substr(eq + 1);
    }
    static constexpr std::string_view kNotSet = " is not set";
    if (line.size() >= kNotSet.size() &&
        line.compare(line.size() - kNotSet.size(), kNotSet.size(), kNotSet) == 0) {
      // line[9:-11], in characters.
      size_t lo = 9, hi = chars >= 11 ? chars - 11 : 0;
      std::string name = lo < hi ? line.substr((*cp)[lo], (*cp)[hi] - (*cp)[lo]) : std::string();
      (*out)[name] = "n";
    }
  }
  return true;
}

ConfigDelta diff_values(const ConfigValues& a, const ConfigValues& b) {
  ConfigDelta d;
  for (const auto& [n, v] : a) {
    auto it = b.find(n);
    if (it == b.end())
      d.removed.emplace_back(n, v);
    else if (it->second != v)
      d.changed.emplace_back(n, v, it->second);
  }
  for (const auto& [n, v] : b)
    if (!a.count(n)) d.added.emplace_back(n, v);
  return d;
}

std::string render_diffconfig(const ConfigDelta& d, bool merge_style) {
  std::string out;
  auto merged = [&](const std::string& n, const std::string& v) {
    if (v.empty()) return;
    if (v == "n")
      out += fmt::format("# CONFIG_{} is not set\n", n);
    else
      out += fmt::format("CONFIG_{}={}\n", n, v);
  };
  for (const auto& [n, v] : d.removed)
    if (!merge_style) out += fmt::format("-{} {}\n", n, v);
  for (const auto& [n, a, b] : d.changed) {
    if (merge_style)
      merged(n, b);
    else
      out += fmt::format(" {} {} -> {}\n", n, a, b);
  }
  for (const auto& [n, v] : d.added) {
    if (merge_style)
      merged(n, v);
    else
      out += fmt::format("+{} {}\n", n, v);
  }
  return out;
}

}  // namespace kmeta::uprev
