#include "base/json_bytes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <vector>

namespace kmeta {
namespace {

TEST(JsonBytes, TextIsUnchanged) {
  for (const std::string& s : std::vector<std::string>{"", "CONFIG_X=y", "caf\xc3\xa9", "\xe2\x82\xac 100",
                                                       "\xf0\x9f\x90\xa7", std::string("a\0b", 3)})
    EXPECT_EQ(encode_json_bytes(s), s);
  nlohmann::json j = {{"value", "\"-caf\xc3\xa9\""}, {"n", 3}};
  EXPECT_EQ(json_dump(j, 1), j.dump(1));
}

TEST(JsonBytes, Latin1AndBinaryRoundTripThroughJson) {
  const std::string latin1 = "\"-caf\xe9\"";
  EXPECT_EQ(encode_json_bytes(latin1), "\"-caf\xee\xbf\xa9\"");  // U+EFE9
  std::string binary;
  for (int b = 0; b < 256; ++b) binary += static_cast<char>(b);
  binary +=
      "\xc3\xa9\xee\xbf\xa9\xed\xa0\x80\xc0\xaf\xf4\x90\x80\x80\xe2\x82";  // é, U+EFE9 itself, surrogate,
                                                                           // overlong, > U+10FFFF, cut
  for (const std::string& s : {latin1, binary}) {
    nlohmann::json j = {{"value", s}, {s, {s, 1}}};
    std::string text = json_dump(j, 1);                 // nlohmann's dump would throw type_error 316
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;  // valid UTF-8 JSON for any reader
    nlohmann::json back = json_parse(text);
    EXPECT_EQ(back["value"].get<std::string>(), s);
    ASSERT_TRUE(back.contains(s));
    EXPECT_EQ(back[s][0].get<std::string>(), s);
  }
}

TEST(JsonBytes, OrderedJsonKeepsOrderAndCarriesBytes) {
  const std::string latin1 = "caf\xe9.patch";
  nlohmann::ordered_json j;
  j["z"] = latin1;
  j["a"] = nlohmann::ordered_json::array({latin1, 1});
  j[latin1] = true;
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what the commands used to call
  std::string text = json_dump(j);
  EXPECT_TRUE(nlohmann::json::accept(text)) << text;
  EXPECT_LT(text.find("\"z\""), text.find("\"a\""));  // insertion order kept
  nlohmann::json back = json_parse(text);
  EXPECT_EQ(back["z"].get<std::string>(), latin1);
  EXPECT_EQ(back["a"][0].get<std::string>(), latin1);
  EXPECT_TRUE(back.contains(latin1));
  nlohmann::ordered_json plain = {{"b", 1}, {"a", "text"}};
  EXPECT_EQ(json_dump(plain, 2), plain.dump(2));
}

TEST(JsonBytes, RandomBytesRoundTrip) {
  std::mt19937 rng(9);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 24, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 4 == 0 ? 0xee + rng() % 2 : rng());
    std::string e = encode_json_bytes(s);
    EXPECT_EQ(decode_json_bytes(e), s);
    EXPECT_NO_THROW((void)nlohmann::json(e).dump());  // e is valid UTF-8
  }
}

}  // namespace
}  // namespace kmeta
