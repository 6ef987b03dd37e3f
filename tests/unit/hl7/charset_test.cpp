// charset.h: UTF-8 validation and the metadata conversion (8859/1, undeclared bytes).
#include "hl7/charset.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::hl7 {
namespace {

TEST_CASE("is_valid_utf8: well-formed text passes, every kind of malformed sequence fails") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("M\xc3\xbcller"));                  // ü
  CHECK(is_valid_utf8("\xe2\x82\xac"));                   // €
  CHECK(is_valid_utf8("\xf0\x9f\x98\x80"));               // U+1F600
  CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));               // U+10FFFF
  CHECK_FALSE(is_valid_utf8("M\xfcller"));                // 8859/1 ü
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));                 // overlong /
  CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));             // overlong, 3 bytes
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));             // surrogate D800
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));         // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));                 // truncated
  CHECK_FALSE(is_valid_utf8("\x80"));                     // lone continuation
  CHECK_FALSE(is_valid_utf8(std::string("\xc3\x28")));    // bad continuation
}

TEST_CASE("to_utf8: 8859/1 converted, valid UTF-8 kept, undeclared bytes read as 8859/1") {
  CHECK(to_utf8("M\xfcller", Charset::kLatin1) == "M\xc3\xbcller");
  CHECK(to_utf8("M\xc3\xbcller", Charset::kUtf8) == "M\xc3\xbcller");
  CHECK(to_utf8("M\xc3\xbcller", Charset::kAscii) == "M\xc3\xbcller");
  CHECK(to_utf8("M\xfcller", Charset::kAscii) == "M\xc3\xbcller");
  CHECK(to_utf8("M\xfcller", Charset::kOther) == "M\xc3\xbcller");
  CHECK(is_valid_utf8(to_utf8("\xff\xfe\x80", Charset::kUtf8)));
}

}  // namespace
}  // namespace hearth::hl7
