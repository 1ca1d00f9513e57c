// Byte strings in JSON. Kernel configuration is bytes, not UTF-8: a fragment
// value, a file name or a whole .config may hold any byte. JSON strings are
// Unicode, so every JSON kmeta writes goes through json_dump(), which encodes
// each string and object key with encode_json_bytes(), and every JSON it
// reads back through json_parse(), which decodes them.
//
// The encoding (documented in docs/base.md) is lossless and the identity on
// ordinary text: a string that is valid UTF-8 and holds no code point in
// U+EF80..U+EFFF is written unchanged. Any other byte b >= 0x80 (a byte of an
// invalid UTF-8 sequence, or of a U+EF80..U+EFFF character already in the
// input) is written as the private-use character U+EF00 + b (MirBSD's OPTU-8
// mapping), so decode_json_bytes(encode_json_bytes(s)) == s for every s, and
// the JSON stays valid UTF-8 that any parser accepts.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace kmeta {

std::string encode_json_bytes(std::string_view bytes);
std::string decode_json_bytes(std::string_view text);

// j.dump(indent) with every string and key encoded (never throws on bytes).
std::string json_dump(const nlohmann::json& j, int indent = -1);
std::string json_dump(const nlohmann::ordered_json& j, int indent = -1);
// nlohmann::json::parse with every string and key decoded (throws
// nlohmann::json::parse_error on malformed text, as parse does).
nlohmann::json json_parse(std::string_view text);

}  // namespace kmeta
