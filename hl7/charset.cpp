// MSH-18 names per HL7 table 0211.
#include "hl7/charset.h"

#include <cstring>

#include "core/utf8.h"

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
    const std::size_t length = utf8_sequence_length(text, i);
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
