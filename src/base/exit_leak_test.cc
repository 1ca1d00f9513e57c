#include "base/exit_leak.h"

#include <gtest/gtest.h>

namespace kmeta {
namespace {

struct Counted {
  explicit Counted(int* n) : n_(n) {}
  ~Counted() { ++*n_; }
  int* n_;
};

TEST(ExitLeak, FreedExactlyWhenASanitizerWatches) {
  int destroyed = 0;
  auto p = std::make_unique<Counted>(&destroyed);
  Counted* raw = p.get();
  leak_at_exit(p);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(destroyed, kLeakAtExit ? 0 : 1);
  if (kLeakAtExit) delete raw;  // this test is not the process's exit
  EXPECT_EQ(destroyed, 1);
}

// GCC names AddressSanitizer with a macro, clang with __has_feature.
#if defined(__SANITIZE_ADDRESS__)
TEST(ExitLeak, NeverUnderAddressSanitizer) { EXPECT_FALSE(kLeakAtExit); }
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
TEST(ExitLeak, NeverUnderAddressSanitizer) { EXPECT_FALSE(kLeakAtExit); }
#endif
#endif

}  // namespace
}  // namespace kmeta
