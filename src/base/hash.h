// Small hashing helpers shared by the modules.
#pragma once

#include <cstdint>

namespace kmeta {

// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace kmeta
