// glibc's rand()/srand(), reproduced as a value type.
//
// `conf --randconfig` draws with rand() after srand(KCONFIG_SEED), so its
// output is only reproducible with glibc's generator: the TYPE_3 additive
// feedback generator (r[i] = r[i-3] + r[i-31], 34-word state seeded with a
// Park-Miller LCG, the first 310 outputs discarded). This class holds that
// state itself, so several generators can run side by side and nothing global
// is touched.
#pragma once

#include <array>
#include <cstdint>

namespace kmeta::kconfig {

class GlibcRand {
 public:
  explicit GlibcRand(uint32_t seed = 1) { seed_with(seed); }
  void seed_with(uint32_t seed);  // srand(seed)
  int next();                     // rand(): 0 .. 2^31-1

 private:
  std::array<uint32_t, 31> r_{};
  int front_ = 0;  // index of r[i-31] ... ring buffer over the 31-word table
  int rear_ = 0;
};

}  // namespace kmeta::kconfig
