#include "base/checksum.h"

#include <gtest/gtest.h>

#include <string>

namespace kmeta {
namespace {

TEST(Checksum, KnownValues) {
  // XXH3-64 with seed 0 (xxhsum -H3).
  EXPECT_EQ(checksum64(""), 0x2d06800538d394c2ull);
  EXPECT_NE(checksum64("a"), checksum64("b"));
  EXPECT_EQ(digest_hex128("").size(), 32u);
  EXPECT_NE(digest_hex128("abc"), digest_hex128("abd"));
  EXPECT_EQ(digest_hex128("abc"), digest_hex128("abc"));
}

TEST(Checksum, PiecesEqualTheWhole) {
  std::string data;
  for (int i = 0; i < 100000; ++i) data += static_cast<char>(i * 131 + (i >> 7));
  for (size_t step : {1u, 7u, 64u, 255u, 4096u, 70000u}) {
    Checksum c;
    for (size_t at = 0; at < data.size(); at += step) c.update(std::string_view(data).substr(at, step));
    EXPECT_EQ(c.value(), checksum64(data)) << step;
  }
  Checksum c;
  c.update("junk");
  c.reset();
  EXPECT_EQ(c.value(), checksum64(""));
}

TEST(Checksum, EveryFlippedBitIsSeen) {
  std::string data(3000, 'x');
  const uint64_t good = checksum64(data);
  for (size_t i = 0; i < data.size(); i += 97)
    for (int b = 0; b < 8; ++b) {
      std::string bad = data;
      bad[i] = static_cast<char>(bad[i] ^ (1 << b));
      EXPECT_NE(checksum64(bad), good) << i << ":" << b;
    }
}

}  // namespace
}  // namespace kmeta
