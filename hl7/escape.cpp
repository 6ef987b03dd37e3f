// Escape decoding and encoding. Decoding copies runs between escapes in one append each.
#include "hl7/escape.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace hearth::hl7 {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void append_text(std::string_view text, Charset charset, std::string& out) {
  if (needs_utf8_conversion(charset, text)) {
    append_latin1_as_utf8(text, out);
  } else {
    out.append(text);
  }
}

// Appends the meaning of one escape body (between the escape characters); false when the body
// is not a sequence we know, so the caller keeps it verbatim.
bool decode_sequence(std::string_view body, const Delimiters& d, Charset charset,
                     std::string& out) {
  if (body.empty()) return false;
  if (body.size() == 1) {
    switch (body[0]) {
      case 'F': out += d.field; return true;
      case 'S': out += d.component; return true;
      case 'T': out += d.subcomponent; return true;
      case 'R': out += d.repetition; return true;
      case 'E': out += d.escape; return true;
      case 'P':
        if (d.truncation == '\0') return false;
        out += d.truncation;
        return true;
      case 'H':
      case 'N': return true;
      default: return false;
    }
  }
  if (body[0] == 'X') {
    std::string_view hex = body.substr(1);
    if (hex.size() % 2 != 0) return false;
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      int hi = hex_digit(hex[i]);
      int lo = hex_digit(hex[i + 1]);
      if (hi < 0 || lo < 0) return false;
      bytes += static_cast<char>(hi * 16 + lo);
    }
    append_text(bytes, charset, out);
    return true;
  }
  if (body[0] == 'Z') return false;                   // kept verbatim by the caller
  if (body[0] == 'C' || body[0] == 'M') return true;  // charset switches: not supported, dropped
  if (body[0] == '.') {
    std::string_view cmd = body.substr(1, 2);
    std::string_view arg = body.substr(body.size() > 3 ? 3 : body.size());
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    if (cmd == "br") {
      out += '\n';
      return true;
    }
    if (cmd == "sp") {
      // Capped so that no escape expands to more than about twice its own length: a message
      // of \.sp1000\ sequences would otherwise decode to over a hundred times its size.
      int n = 1;
      if (!arg.empty()) {
        auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
        if (ec == std::errc::result_out_of_range) n = kMaxSkipLines;
        if (ec == std::errc::invalid_argument || n < 0) n = 1;
      }
      out.append(static_cast<std::size_t>(std::min(n, kMaxSkipLines)), '\n');
      return true;
    }
    if (cmd == "in" || cmd == "ti" || cmd == "fi" || cmd == "nf" || cmd == "ce" || cmd == "sk") {
      return true;
    }
  }
  return false;
}

}  // namespace

void decode_value(std::string_view raw, const Delimiters& d, Charset charset, std::string& out) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t open = raw.find(d.escape, pos);
    if (open == std::string_view::npos) break;
    std::size_t close = raw.find(d.escape, open + 1);
    if (close == std::string_view::npos) break;
    append_text(raw.substr(pos, open - pos), charset, out);
    std::string_view body = raw.substr(open + 1, close - open - 1);
    if (!decode_sequence(body, d, charset, out)) {
      append_text(raw.substr(open, close - open + 1), charset, out);
    }
    pos = close + 1;
  }
  append_text(raw.substr(pos), charset, out);
}

void encode_value(std::string_view text, const Delimiters& d, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    char code = 0;
    if (c == d.field)
      code = 'F';
    else if (c == d.component)
      code = 'S';
    else if (c == d.subcomponent)
      code = 'T';
    else if (c == d.repetition)
      code = 'R';
    else if (c == d.escape)
      code = 'E';
    else if (d.truncation != '\0' && c == d.truncation)
      code = 'P';
    if (code != 0) {
      out += d.escape;
      out += code;
      out += d.escape;
    } else if (c == '\n' && !d.is_delimiter('.')) {
      // \.br\ would be split apart when '.' is a delimiter; \X0A\ below is safe then.
      out += d.escape;
      out += ".br";
      out += d.escape;
    } else if (byte < 0x20 || byte == 0x7F) {
      out += d.escape;
      out += 'X';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
      out += d.escape;
    } else {
      out += c;
    }
  }
}

std::string encode_value(std::string_view text, const Delimiters& d) {
  std::string out;
  encode_value(text, d, out);
  return out;
}

FormattedText& FormattedText::hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string body = "X";
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    body += kHex[byte >> 4];
    body += kHex[byte & 0xF];
  }
  return command(body);
}

FormattedText& FormattedText::command(const std::string& body) {
  raw_ += d_.escape;
  raw_ += body;
  raw_ += d_.escape;
  return *this;
}

}  // namespace hearth::hl7
