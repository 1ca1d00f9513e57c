// Front-end internals shared by lexer, preprocessor, parser and finalizer.
// Not part of the public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kmeta::kconfig {

// Thrown (after the message has been logged) where lkc would exit(1): macro
// errors, missing or recursively sourced files. parse_kconfig catches it.
struct FatalError {};

// C-locale character classes (lkc runs its ctype calls in the C locale).
inline bool c_isspace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool c_isalnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
inline bool c_isxdigit(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
inline bool c_isdigit(unsigned char c) { return c >= '0' && c <= '9'; }

// lkc keeps strings NUL-terminated, so an embedded NUL ends them.
inline std::string c_str(std::string s) {
  size_t z = s.find('\0');
  if (z != std::string::npos) s.resize(z);
  return s;
}
inline std::string_view c_str_view(std::string_view s) {
  size_t z = s.find('\0');
  return z == std::string_view::npos ? s : s.substr(0, z);
}

// Recursion budgets. lkc recurses without limit and can overflow its stack on
// pathological input; the library must not, so deep recursions stop with an
// error instead. The limits are far above anything real trees use (menu
// depth ~10, expressions ~30 levels, dependency chains ~100).
inline constexpr int kMaxExpansionDepth = 3000;  // nested $(...) evaluations
inline constexpr int kMaxExprDepth = 12000;      // expression depth in algorithms (the parser
                                                 // cannot build more than ~5000 levels)
inline constexpr int kMaxDepChain = 20000;       // dependency checker stack
// Whatever the depth counts say, no recursion may use more stack than this;
// in normal builds the counts are reached first on anything the parser can
// produce, under sanitizers (much larger frames) this guard may stop earlier.
inline constexpr size_t kMaxStackBytes = size_t{3} << 20;

// Measures the stack used since it was constructed (stacks grow down here).
class StackGuard {
 public:
  StackGuard() : base_(here()) {}
  bool exceeded() const {
    uintptr_t h = here();
    return h < base_ && base_ - h > kMaxStackBytes;
  }

 private:
  [[gnu::always_inline]] static inline uintptr_t here() {
    return reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  }
  uintptr_t base_;
};

}  // namespace kmeta::kconfig
