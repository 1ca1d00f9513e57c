// Integrity checksums for kmeta's own cache files: XXH3-64 (libxxhash).
//
// These guard against damage (a torn write, a flipped bit, a truncated or
// concatenated file), not against an adversary: the caches live in private
// directories (base/private_dir.h, docs/threat-model.md). XXH3 is 64 bits
// wide (a random corruption goes unnoticed with probability 2^-64, against
// CRC-32's 2^-32) and much cheaper than zlib's CRC-32 was: the checksums of
// a warm 6.12 olddefconfig went from 45M + 16M instructions to ~10M
// (docs/kconfig-toolchain.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kmeta {

// XXH3-64 of `data` (seed 0).
uint64_t checksum64(std::string_view data);

// 128 bits of XXH3 as 32 lowercase hex digits: a file name for a cache key.
std::string digest_hex128(std::string_view data);

// checksum64 of everything update()d, in pieces: the same value as one call
// over the concatenation.
class Checksum {
 public:
  Checksum();
  ~Checksum();
  Checksum(Checksum&&) noexcept;
  Checksum& operator=(Checksum&&) noexcept;
  void reset();
  void update(const void* data, size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  uint64_t value() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kmeta
