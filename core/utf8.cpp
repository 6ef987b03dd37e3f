// UTF-8 checks: one walk over the sequences, parameterised by what a sequence may be.
#include "core/utf8.h"

#include <cstdint>
#include <cstring>

namespace hearth {

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
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

namespace {

using SequenceLength = std::size_t (*)(std::string_view, std::size_t);

bool all_sequences(std::string_view text, SequenceLength length_at) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = length_at(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string replace_others(std::string_view text, SequenceLength length_at) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = length_at(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text, i, length);
      i += length;
    }
  }
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  // ASCII eight bytes at a time (request bodies and JSON keys are mostly ASCII: this check runs
  // over every body parsed and every string the JSON builder takes), the rest sequence by
  // sequence.
  std::size_t i = 0;
  while (i < text.size()) {
    while (i + 8 <= text.size()) {
      std::uint64_t block = 0;
      std::memcpy(&block, text.data() + i, 8);
      if ((block & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string valid_utf8(std::string_view text) {
  return replace_others(text, utf8_sequence_length);
}

std::size_t xml_char_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') return 0;
  const std::size_t length = utf8_sequence_length(text, i);
  if (length == 3 && c == 0xEF && text[i + 1] == '\xBF' &&
      (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
    return 0;
  }
  return length;
}

bool is_xml_text(std::string_view text) {
  return all_sequences(text, xml_char_length);
}

std::string xml_text(std::string_view text) {
  return replace_others(text, xml_char_length);
}

}  // namespace hearth
