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

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    int length = 0;
    unsigned min_second = 0x80, max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) min_second = 0xA0;  // overlong
      if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) min_second = 0x90;  // overlong
      if (lead == 0xF4) max_second = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < min_second || p[1] > max_second) return false;
    for (int i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

std::string to_utf8(std::string_view text, Charset charset) {
  if (charset != Charset::kLatin1 && is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_latin1_as_utf8(text, out);
  return out;
}

}  // namespace hearth::hl7
