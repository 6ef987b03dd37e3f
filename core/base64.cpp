// Base64 decoding.
#include "core/base64.h"

#include <array>
#include <cstdint>

namespace hearth {
namespace {

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr std::array<std::int8_t, 256> kTable = make_table();

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t quantum = 0;
  int filled = 0, padding = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      quantum <<= 6;
      ++filled;
    } else {
      const std::int8_t v = kTable[static_cast<unsigned char>(c)];
      if (v < 0 || padding > 0) return std::nullopt;
      quantum = (quantum << 6) | static_cast<std::uint32_t>(v);
      ++filled;
    }
    if (filled == 4) {
      if (padding > 2) return std::nullopt;
      out.push_back(static_cast<char>((quantum >> 16) & 0xff));
      if (padding < 2) out.push_back(static_cast<char>((quantum >> 8) & 0xff));
      if (padding < 1) out.push_back(static_cast<char>(quantum & 0xff));
      quantum = 0;
      filled = 0;
      if (padding > 0) padding = 3;  // nothing may follow a padded quantum
    }
  }
  if (filled != 0) return std::nullopt;
  return out;
}

std::optional<std::string> decode_base64url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string standard;
  standard.reserve(text.size() + 3);
  for (char c : text) {
    if (c == '-') {
      standard.push_back('+');
    } else if (c == '_') {
      standard.push_back('/');
    } else if (c == '+' || c == '/' || c == '=' || kTable[static_cast<unsigned char>(c)] < 0) {
      return std::nullopt;
    } else {
      standard.push_back(c);
    }
  }
  while (standard.size() % 4 != 0) standard.push_back('=');
  return decode_base64(standard);
}

namespace {

std::string encode_with(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1]))
                                << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(alphabet[(v >> shift) & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

}  // namespace

std::string encode_base64url(std::string_view bytes) {
  return encode_with(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                     false);
}

std::string encode_base64(std::string_view bytes) {
  return encode_with(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                     true);
}

}  // namespace hearth
