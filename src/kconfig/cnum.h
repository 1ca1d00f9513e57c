// C-library-compatible number parsing for Kconfig values.
//
// lkc parses int/hex values with strtoll/strtoull (range checks, comparisons)
// and validates user input with ctype rules. Byte identity with conf depends
// on the exact corner cases (leading blanks, "0x" without digits, overflow
// saturation, a trailing non-digit), so these functions reproduce glibc's
// behaviour in the "C" locale on string_views (the end of the view plays the
// role of the terminating NUL).
#pragma once

#include <cstdint>
#include <string_view>

#include "kconfig/model.h"

namespace kmeta::kconfig {

struct CNumber {
  int64_t value = 0;      // strtoll result (saturated on overflow)
  uint64_t uvalue = 0;    // strtoull result (only for parse_unsigned)
  size_t end = 0;         // offset of the first unparsed character (0 if no digits)
  bool overflow = false;  // errno would be ERANGE
};

// strtoll(s, &end, base) with base 0, 8, 10 or 16.
CNumber c_strtoll(std::string_view s, int base);
// strtoull(s, &end, base).
CNumber c_strtoull(std::string_view s, int base);

// isspace/isdigit/isxdigit in the "C" locale (signed char semantics: bytes
// >= 0x80 are never digits or blanks).
inline bool c_isspace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool c_isdigit(char c) { return c >= '0' && c <= '9'; }
inline bool c_isxdigit(char c) { return c_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// sym_string_valid(): may `s` be stored as a value of a symbol of `type`?
// (int: optional '-', digits, no leading zero; hex: optional 0x/0X then at
// least one hex digit; bool/tristate: first char in yYmMnN; string: always.)
bool string_valid_for(SymbolType type, std::string_view s);

// strcmp() on views: byte-wise, unsigned char order. Returns <0, 0, >0.
inline int c_strcmp(std::string_view a, std::string_view b) { return a.compare(b); }

}  // namespace kmeta::kconfig
