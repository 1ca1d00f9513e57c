// Leaving big structures for the process's exit to reclaim.
//
// A command's results (a parsed Kconfig model, a resolved configuration,
// the audit) are ~10^5 heap blocks; freeing them one by one just before the
// process ends costs more than some of the work did (clang's -disable-free
// does the same for its AST). Under AddressSanitizer/LeakSanitizer they are
// freed as usual, so that the leak checker keeps seeing real leaks.
#pragma once

#include <memory>

namespace kmeta {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kLeakAtExit = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
inline constexpr bool kLeakAtExit = false;
#else
inline constexpr bool kLeakAtExit = true;
#endif
#else
inline constexpr bool kLeakAtExit = true;
#endif

// Call only on the way out of the process (a command's last step): `p` is
// never freed unless a sanitizer is watching.
template <class T>
void leak_at_exit(std::unique_ptr<T>& p) {
  if constexpr (kLeakAtExit)
    (void)p.release();
  else
    p.reset();
}

}  // namespace kmeta
