#include "base/checksum.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace kmeta {

uint64_t checksum64(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

std::string digest_hex128(std::string_view data) {
  XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
  static const char* hex = "0123456789abcdef";
  std::string r(32, '0');
  for (int i = 0; i < 16; ++i) {
    r[15 - i] = hex[(h.high64 >> (4 * i)) & 15];
    r[31 - i] = hex[(h.low64 >> (4 * i)) & 15];
  }
  return r;
}

struct Checksum::State {
  XXH3_state_t s;
};

Checksum::Checksum() : state_(std::make_unique<State>()) { reset(); }
Checksum::~Checksum() = default;
Checksum::Checksum(Checksum&&) noexcept = default;
Checksum& Checksum::operator=(Checksum&&) noexcept = default;
void Checksum::reset() { XXH3_64bits_reset(&state_->s); }
void Checksum::update(const void* data, size_t size) {
  if (size > 0) XXH3_64bits_update(&state_->s, data, size);
}
uint64_t Checksum::value() const { return XXH3_64bits_digest(&state_->s); }

}  // namespace kmeta
