#include "base/json_bytes.h"

#include <cstdint>
#include <nlohmann/json.hpp>

namespace kmeta {

namespace {

constexpr uint32_t kEscapeBase = 0xEF00;  // byte b -> U+EF00 + b, b in 0x80..0xFF

// Length of the valid UTF-8 sequence at s[i] and its code point, or 0 when
// the bytes there are not one (overlong, surrogate, beyond U+10FFFF, cut).
size_t utf8_sequence(std::string_view s, size_t i, uint32_t* cp) {
  auto c = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = c(i);
  size_t n;
  uint32_t v, min;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 2, v = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, v = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, v = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((c(i + k) & 0xC0) != 0x80) return 0;
    v = v << 6 | (c(i + k) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

bool reserved(uint32_t cp) { return cp >= kEscapeBase + 0x80 && cp <= kEscapeBase + 0xFF; }

void put_escape(std::string& out, unsigned char b) {
  uint32_t cp = kEscapeBase + b;  // three UTF-8 bytes
  out += static_cast<char>(0xE0 | (cp >> 12));
  out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

bool needs_encoding(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp;
    size_t n = utf8_sequence(s, i, &cp);
    if (n == 0 || reserved(cp)) return true;
    i += n;
  }
  return false;
}

bool needs_decoding(std::string_view s) {
  // U+EF80..U+EFFF is EE BE 80 .. EE BF BF.
  for (size_t i = 0; i + 2 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) == 0xEE && (static_cast<unsigned char>(s[i + 1]) & 0xFE) == 0xBE)
      return true;
  return false;
}

// Templates over the JSON type: nlohmann::json and nlohmann::ordered_json.
template <typename Json, typename F>
Json map_strings(const Json& j, bool (*needs)(std::string_view), F f) {
  switch (j.type()) {
    case nlohmann::json::value_t::string: {
      const std::string& s = j.template get_ref<const std::string&>();
      return needs(s) ? Json(f(s)) : j;
    }
    case nlohmann::json::value_t::array: {
      Json out = Json::array();
      for (const auto& e : j) out.push_back(map_strings(e, needs, f));
      return out;
    }
    case nlohmann::json::value_t::object: {
      Json out = Json::object();
      for (auto it = j.begin(); it != j.end(); ++it)
        out[needs(it.key()) ? f(it.key()) : it.key()] = map_strings(it.value(), needs, f);
      return out;
    }
    default: return j;
  }
}

template <typename Json>
bool any_string(const Json& j, bool (*needs)(std::string_view)) {
  switch (j.type()) {
    case nlohmann::json::value_t::string: return needs(j.template get_ref<const std::string&>());
    case nlohmann::json::value_t::array:
      for (const auto& e : j)
        if (any_string(e, needs)) return true;
      return false;
    case nlohmann::json::value_t::object:
      for (auto it = j.begin(); it != j.end(); ++it)
        if (needs(it.key()) || any_string(it.value(), needs)) return true;
      return false;
    default: return false;
  }
}

}  // namespace

std::string encode_json_bytes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t n = utf8_sequence(s, i, &cp);
    if (n == 0) {
      put_escape(out, static_cast<unsigned char>(s[i]));
      ++i;
    } else if (reserved(cp)) {
      for (size_t k = 0; k < n; ++k) put_escape(out, static_cast<unsigned char>(s[i + k]));
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string decode_json_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    size_t n = utf8_sequence(text, i, &cp);
    if (n == 3 && reserved(cp)) {
      out += static_cast<char>(cp - kEscapeBase);
      i += 3;
    } else {
      size_t k = n == 0 ? 1 : n;  // not UTF-8 (not from json_parse): kept as it is
      out.append(text.substr(i, k));
      i += k;
    }
  }
  return out;
}

namespace {

template <typename Json>
std::string dump_encoded(const Json& j, int indent) {
  if (!any_string(j, needs_encoding)) return j.dump(indent);
  return map_strings(j, needs_encoding, encode_json_bytes).dump(indent);
}

}  // namespace

std::string json_dump(const nlohmann::json& j, int indent) { return dump_encoded(j, indent); }
std::string json_dump(const nlohmann::ordered_json& j, int indent) { return dump_encoded(j, indent); }

nlohmann::json json_parse(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text);
  if (!any_string(j, needs_decoding)) return j;
  return map_strings(j, needs_decoding, decode_json_bytes);
}

}  // namespace kmeta
