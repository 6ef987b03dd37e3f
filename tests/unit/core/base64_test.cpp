// core/base64.h: base64url without padding, as JWTs and JWKs use it.
#include "core/base64.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth {
namespace {

TEST_CASE("base64url: round trip of every length, the URL-safe alphabet, strict decoding") {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    const std::string encoded = encode_base64url(bytes);
    CHECK(encoded.find_first_of("+/=") == std::string::npos);
    CHECK(decode_base64url(encoded) == bytes);
    bytes.push_back(static_cast<char>(0xf0 + i * 7));
  }
  CHECK(encode_base64url("\xfb\xff") == "-_8");
  CHECK(decode_base64url("-_8") == std::string("\xfb\xff"));
  CHECK(encode_base64url("{\"alg\":\"RS256\"}") == "eyJhbGciOiJSUzI1NiJ9");
  for (const char* bad : {"-_8=", "+/8", "ab cd", "a", "abcde", "ab\n", "ab.c"}) {
    CAPTURE(bad);
    CHECK_FALSE(decode_base64url(bad).has_value());
  }
}

}  // namespace
}  // namespace hearth

TEST_CASE("base64: standard alphabet with padding, decoded back") {
  CHECK(hearth::encode_base64("") == "");
  CHECK(hearth::encode_base64("f") == "Zg==");
  CHECK(hearth::encode_base64("fo") == "Zm8=");
  CHECK(hearth::encode_base64("foo") == "Zm9v");
  CHECK(hearth::encode_base64("\xfb\xff") == "+/8=");
  const std::string text = "line one\nline two";
  CHECK(hearth::decode_base64(hearth::encode_base64(text)) == text);
}
