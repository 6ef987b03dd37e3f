#include "hl7/escape.h"

#include <doctest/doctest.h>

#include "hl7/message.h"

using namespace hearth::hl7;

namespace {
std::string decode(std::string_view raw, Delimiters d = {}, Charset c = Charset::kAscii) {
  std::string out;
  decode_value(raw, d, c, out);
  return out;
}
Delimiters with_truncation() {
  Delimiters d;
  d.truncation = '#';
  return d;
}
}  // namespace

TEST_CASE("escape: every delimiter sequence decodes and encodes") {
  CHECK(decode("a\\F\\b") == "a|b");
  CHECK(decode("a\\S\\b") == "a^b");
  CHECK(decode("a\\T\\b") == "a&b");
  CHECK(decode("a\\R\\b") == "a~b");
  CHECK(decode("a\\E\\b") == "a\\b");
  CHECK(decode("a\\P\\b", with_truncation()) == "a#b");
  CHECK(decode("a\\P\\b") == "a\\P\\b");  // no truncation character before 2.7
  Delimiters d;
  CHECK(encode_value("|^&~\\", d) == "\\F\\\\S\\\\T\\\\R\\\\E\\");
  CHECK(encode_value("a#b", with_truncation()) == "a\\P\\b");
  CHECK(encode_value("a#b", d) == "a#b");
  std::string all = "x|y^z&w~v\\u";
  CHECK(decode(encode_value(all, d)) == all);
}

TEST_CASE("escape: hex, formatting and local sequences") {
  CHECK(decode("\\X41424344\\") == "ABCD");
  CHECK(decode("\\X0d\\") == "\r");
  CHECK(decode("\\XZZ\\") == "\\XZZ\\");
  CHECK(encode_value(std::string("a\rb"), Delimiters{}) == "a\\X0D\\b");
  CHECK(decode("line1\\.br\\line2") == "line1\nline2");
  CHECK(encode_value("line1\nline2", Delimiters{}) == "line1\\.br\\line2");
  CHECK(decode("a\\.sp\\b") == "a\nb");
  CHECK(decode("a\\.sp 3\\b") == "a\n\n\nb");
  // \.sp n\ is capped: a hostile message cannot make decoding grow much.
  CHECK(decode("\\.sp1000\\") == std::string(kMaxSkipLines, '\n'));
  CHECK(decode("\\.sp 99999999999999999999\\") == std::string(kMaxSkipLines, '\n'));
  CHECK(decode("\\.sp -3\\") == "\n");
  CHECK(decode("\\.sp x\\") == "\n");
  std::string hostile;
  for (int i = 0; i < 10000; ++i) hostile += i % 2 ? "\\.sp1000\\" : "\\.sp99\\";
  CHECK(decode(hostile).size() <= 2 * hostile.size());
  CHECK(decode("\\H\\bold\\N\\ text") == "bold text");
  CHECK(decode("\\.in 4\\x\\.ti -2\\y") == "xy");
  CHECK(decode("\\Zlocal\\") == "\\Zlocal\\");
  CHECK(decode("unterminated \\F") == "unterminated \\F");
  CHECK(decode("\\Q\\") == "\\Q\\");
}

TEST_CASE("escape: FormattedText produces the sequences without a plain-text form") {
  FormattedText t{Delimiters{}};
  t.highlight_on()
      .text("A|B")
      .highlight_off()
      .line_break()
      .skip_lines(2)
      .indent(4)
      .temporary_indent(-2)
      .hex("\x01")
      .local("ABC");
  CHECK(t.raw() == "\\H\\A\\F\\B\\N\\\\.br\\\\.sp 2\\\\.in 4\\\\.ti -2\\\\X01\\\\ZABC\\");
  CHECK(decode(t.raw()) == "A|B\n\n\n\x01\\ZABC\\");
}

TEST_CASE("escape: 8859/1 values decode to UTF-8, \\X bytes too") {
  CHECK(decode("Jos\xE9", Delimiters{}, Charset::kLatin1) == "Jos\xC3\xA9");
  CHECK(decode("Jos\\XE9\\", Delimiters{}, Charset::kLatin1) == "Jos\xC3\xA9");
  CHECK(decode("Jos\xC3\xA9", Delimiters{}, Charset::kUtf8) == "Jos\xC3\xA9");
  auto m = Message::parse(
      "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.3|||||DE|8859/1\r"
      "PID|1||1||M\xFCller^J\\S\\r\r");
  REQUIRE(m.is_ok());
  CHECK(m->charset() == Charset::kLatin1);
  CHECK(*m->get_text("PID-5.1") == "M\xC3\xBCller");
  CHECK(*m->get_text("PID-5") == "M\xC3\xBCller^J^r");
}

TEST_CASE("escape: decoded reads copy only when something changes") {
  auto m = Message::parse("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5\rNTE|1||plain|a\\T\\b\r");
  REQUIRE(m.is_ok());
  std::string buffer;
  auto plain = m->get_decoded(*parse_path("NTE-3"), buffer);
  REQUIRE(plain.is_ok());
  CHECK(*plain == "plain");
  CHECK(buffer.empty());
  auto escaped = m->get_decoded(*parse_path("NTE-4"), buffer);
  CHECK(*escaped == "a&b");
  CHECK(escaped->data() == buffer.data());
}

TEST_CASE("escape: MSH-18 names map to character sets") {
  CHECK(charset_from_msh18("") == Charset::kAscii);
  CHECK(charset_from_msh18("ASCII") == Charset::kAscii);
  CHECK(charset_from_msh18("8859/1") == Charset::kLatin1);
  CHECK(charset_from_msh18("UNICODE UTF-8") == Charset::kUtf8);
  CHECK(charset_from_msh18("ISO IR87") == Charset::kOther);
  auto m = Message::parse(
      "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5.1|||||DE|UNICODE UTF-8~8859/1\r"
      "PID|1||1||M\xC3\xBCller\r");
  REQUIRE(m.is_ok());
  CHECK(m->charset() == Charset::kUtf8);
  std::string buffer;
  auto name = m->get_decoded(*parse_path("PID-5"), buffer);
  CHECK(*name == "M\xC3\xBCller");
  CHECK(buffer.empty());  // UTF-8 needs no conversion
}

TEST_CASE("escape: with '.' as a delimiter a line break is written as \\X0A\\") {
  Delimiters d;
  d.subcomponent = '.';
  CHECK(encode_value("a\nb", d) == "a\\X0A\\b");
  CHECK(decode(encode_value("a\nb.c", d), d) == "a\nb.c");
}
