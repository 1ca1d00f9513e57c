#include "kconfig/cnum.h"

namespace kmeta::kconfig {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// The shared scanner of strtoll/strtoull: skips blanks, reads the sign and the
// base prefix, accumulates the magnitude with overflow detection.
struct Scan {
  bool negative = false;
  uint64_t magnitude = 0;
  bool overflow = false;  // magnitude exceeded UINT64_MAX
  size_t end = 0;         // 0 when no digit was consumed
};

Scan scan(std::string_view s, int base) {
  Scan r;
  size_t i = 0;
  while (i < s.size() && c_isspace(s[i])) ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    r.negative = s[i] == '-';
    ++i;
  }
  auto hex_prefix = [&](size_t at) {
    return at + 2 < s.size() + 0 && s[at] == '0' && (s[at + 1] == 'x' || s[at + 1] == 'X') &&
           c_isxdigit(s[at + 2]);
  };
  if (base == 0) {
    if (hex_prefix(i)) {
      base = 16;
      i += 2;
    } else if (i < s.size() && s[i] == '0') {
      base = 8;
    } else {
      base = 10;
    }
  } else if (base == 16 && hex_prefix(i)) {
    i += 2;
  }
  size_t start = i;
  for (; i < s.size(); ++i) {
    int d = digit_value(s[i]);
    if (d >= base) break;
    if (!r.overflow) {
      if (r.magnitude > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
        r.overflow = true;
      else
        r.magnitude = r.magnitude * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    }
  }
  r.end = i == start ? 0 : i;
  return r;
}

}  // namespace

CNumber c_strtoll(std::string_view s, int base) {
  Scan sc = scan(s, base);
  CNumber r;
  r.end = sc.end;
  if (sc.end == 0) return r;
  constexpr uint64_t kMaxPos = static_cast<uint64_t>(INT64_MAX);
  if (sc.negative) {
    if (sc.overflow || sc.magnitude > kMaxPos + 1) {
      r.value = INT64_MIN;
      r.overflow = true;
    } else {
      r.value = sc.magnitude == kMaxPos + 1 ? INT64_MIN : -static_cast<int64_t>(sc.magnitude);
    }
  } else if (sc.overflow || sc.magnitude > kMaxPos) {
    r.value = INT64_MAX;
    r.overflow = true;
  } else {
    r.value = static_cast<int64_t>(sc.magnitude);
  }
  return r;
}

CNumber c_strtoull(std::string_view s, int base) {
  Scan sc = scan(s, base);
  CNumber r;
  r.end = sc.end;
  if (sc.end == 0) return r;
  if (sc.overflow) {
    r.uvalue = UINT64_MAX;
    r.overflow = true;
  } else {
    r.uvalue = sc.negative ? (~sc.magnitude + 1) : sc.magnitude;
  }
  r.value = static_cast<int64_t>(r.uvalue);
  return r;
}

bool string_valid_for(SymbolType type, std::string_view s) {
  switch (type) {
    case SymbolType::string: return true;
    case SymbolType::integer: {
      size_t i = 0;
      if (i < s.size() && s[i] == '-') ++i;
      if (i >= s.size() || !c_isdigit(s[i])) return false;
      if (s[i] == '0' && i + 1 < s.size()) return false;
      for (++i; i < s.size(); ++i)
        if (!c_isdigit(s[i])) return false;
      return true;
    }
    case SymbolType::hex: {
      size_t i = 0;
      if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) i = 2;
      if (i >= s.size()) return false;
      for (; i < s.size(); ++i)
        if (!c_isxdigit(s[i])) return false;
      return true;
    }
    case SymbolType::boolean:
    case SymbolType::tristate:
      if (s.empty()) return false;
      switch (s[0]) {
        case 'y':
        case 'Y':
        case 'm':
        case 'M':
        case 'n':
        case 'N': return true;
      }
      return false;
    case SymbolType::unknown: return false;
  }
  return false;
}

}  // namespace kmeta::kconfig
