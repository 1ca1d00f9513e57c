// Fuzz target for the model decoder (model_codec.h), the reader of the
// parsed-model cache: any bytes are decoded; what is accepted must encode
// and decode again to the same bytes. Must never crash, hang, over-allocate
// or trip a sanitizer. The corpus holds encodings of small parsed trees.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kconfig/model_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kmeta::kconfig;
  std::string err;
  auto m = decode_model(std::string_view(reinterpret_cast<const char*>(data), size), &err);
  if (!m) return 0;
  std::string again = encode_model(*m);
  auto m2 = decode_model(again, &err);
  if (!m2 || encode_model(*m2) != again) std::abort();
  return 0;
}
