// core/utf8.h: well-formed UTF-8 per RFC 3629.
#include "core/utf8.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth {
namespace {

TEST_CASE("is_valid_utf8: well-formed text passes, every kind of malformed sequence fails") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("M\xc3\xbcller"));                // ü
  CHECK(is_valid_utf8("\xe2\x82\xac"));                 // €
  CHECK(is_valid_utf8("\xf0\x9f\x98\x80"));             // U+1F600
  CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));             // U+10FFFF
  CHECK_FALSE(is_valid_utf8("M\xfcller"));              // 8859/1 ü
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));               // overlong /
  CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));           // overlong, 3 bytes
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));           // surrogate D800
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));       // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));               // truncated
  CHECK_FALSE(is_valid_utf8("\x80"));                   // lone continuation
  CHECK_FALSE(is_valid_utf8(std::string("\xc3\x28")));  // bad continuation
}

TEST_CASE("xml_text: what JSON and XML both carry; the rest becomes U+FFFD") {
  CHECK(is_xml_text("tab\tCR\rLF\n M\xc3\xbcller \xe2\x82\xac"));
  CHECK_FALSE(is_xml_text(std::string("nul\0", 4)));
  CHECK_FALSE(is_xml_text("bell\x07"));
  CHECK_FALSE(is_xml_text("\xef\xbf\xbe"));  // U+FFFE
  CHECK_FALSE(is_xml_text("M\xfcller"));     // not UTF-8 at all
  const std::string control = std::string("a") + '\x01' + "b";
  CHECK(xml_text(control) == std::string("a\xef\xbf\xbd") + "b");
  CHECK(xml_text("\xef\xbf\xbfx") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
  CHECK(xml_text("M\xfcller") == "M\xef\xbf\xbdller");
  CHECK(valid_utf8(control) == control);  // control characters are valid UTF-8
  CHECK(xml_text("fine") == "fine");
}

TEST_CASE("is_valid_utf8: the ASCII blocks and the sequences between them agree at every offset") {
  // Each sequence at each offset of ASCII runs around the 8-byte blocks: the verdict is the one
  // the sequence walk of valid_utf8 gives (it changes exactly the text that is not UTF-8).
  const std::string sequences[] = {"\xc3\xbc",     "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                   "\xc3",         "\xe2\x82",     "\x80",
                                   "\xed\xa0\x80", "\xff",         "\xf4\x90\x80\x80"};
  for (const std::string& sequence : sequences) {
    for (std::size_t before = 0; before <= 17; ++before) {
      for (std::size_t after : {0, 1, 7, 8, 9}) {
        const std::string text = std::string(before, 'a') + sequence + std::string(after, 'b');
        CAPTURE(before);
        CAPTURE(after);
        CHECK(is_valid_utf8(text) == (valid_utf8(text) == text));
      }
    }
  }
}

}  // namespace
}  // namespace hearth
