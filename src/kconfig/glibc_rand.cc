#include "kconfig/glibc_rand.h"

namespace kmeta::kconfig {

// State layout follows the published description of glibc's random_r.c for
// TYPE_3 (degree 31, separation 3): a 31-word table filled by
// x[i] = 16807 * x[i-1] mod (2^31 - 1), then 310 steps discarded. Each step
// adds the word 3 places back (mod 31) into the current one and returns the
// sum shifted right by one.
void GlibcRand::seed_with(uint32_t seed) {
  if (seed == 0) seed = 1;
  std::array<int32_t, 31> x{};
  x[0] = static_cast<int32_t>(seed);
  for (int i = 1; i < 31; ++i) {
    // Schrage's method, as glibc does it (signed 32-bit arithmetic).
    int32_t hi = x[i - 1] / 127773;
    int32_t lo = x[i - 1] % 127773;
    int32_t word = 16807 * lo - 2836 * hi;
    if (word < 0) word += 2147483647;
    x[i] = word;
  }
  for (int i = 0; i < 31; ++i) r_[i] = static_cast<uint32_t>(x[i]);
  front_ = 3;  // "fptr" starts SEP_3 words ahead of "rptr"
  rear_ = 0;
  for (int i = 0; i < 310; ++i) next();
}

int GlibcRand::next() {
  r_[front_] += r_[rear_];
  uint32_t result = r_[front_] >> 1;
  if (++front_ >= 31) front_ = 0;
  if (++rear_ >= 31) rear_ = 0;
  return static_cast<int>(result);
}

}  // namespace kmeta::kconfig
