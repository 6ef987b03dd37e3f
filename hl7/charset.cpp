// MSH-18 names per HL7 table 0211.
#include "hl7/charset.h"

#include <cstring>

namespace hearth::hl7 {

Charset charset_from_msh18(std::string_view value) {
  if (value.empty() || value == "ASCII") return Charset::kAscii;
  if (value == "8859/1") return Charset::kLatin1;
  if (value == "UNICODE UTF-8" || value == "UNICODE") return Charset::kUtf8;
  return Charset::kOther;
}

bool needs_utf8_conversion(Charset charset, std::string_view text) {
  if (charset != Charset::kLatin1) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

void append_latin1_as_utf8(std::string_view latin1, std::string& out) {
  for (char c : latin1) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
}

namespace {

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not a valid one.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  if (lead < 0xC2 || lead > 0xF4) return 0;  // a continuation byte, overlong C0/C1, or F5-FF
  const std::size_t length = lead <= 0xDF ? 2 : lead <= 0xEF ? 3 : 4;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = byte(i + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
  if (lead == 0xED && second > 0x9F) return 0;  // surrogates
  if (lead == 0xF0 && second < 0x90) return 0;  // overlong
  if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
  return length;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string to_utf8(std::string_view text, Charset charset) {
  std::string out;
  if (charset == Charset::kLatin1) {
    out.reserve(text.size() + text.size() / 8);
    append_latin1_as_utf8(text, out);
    return out;
  }
  if (is_valid_utf8(text)) return std::string(text);
  // Valid sequences are kept; each byte that starts none is read as 8859/1.
  out.reserve(text.size() + text.size() / 4);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence(text, i);
    if (length == 0) {
      append_latin1_as_utf8(text.substr(i, 1), out);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace hearth::hl7
