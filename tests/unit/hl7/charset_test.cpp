// charset.h: the metadata conversion to UTF-8 (8859/1, undeclared bytes).
#include "hl7/charset.h"

#include <doctest/doctest.h>

#include <string>

#include "core/utf8.h"

namespace hearth::hl7 {
namespace {

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
