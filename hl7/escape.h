// ER7 escape sequences (v2.x chapter 2.7): decoding a raw value to text and encoding text so it
// can sit between delimiters. Decoding rules:
//   \F\ \S\ \T\ \R\ \E\ \P\  -> the field, component, subcomponent, repetition, escape and
//                              truncation characters of the message
//   \Xhh..\                  -> the bytes given in hex (in the message's character set)
//   \.br\                    -> "\n";  \.sp\ or \.sp n\ -> n line breaks (default 1, at most
//                              kMaxSkipLines, so decoding never grows a value much)
//   \H\ \N\ \.in n\ \.ti n\ \.fi\ \.nf\ \.ce\ \.sk n\ \Cxxyy\ \Mxxyyzz\ -> removed (display hints)
//   \Zxx..\                  -> kept verbatim (locally defined, meaning unknown here)
// An escape character without a closing one, or an unknown sequence, is kept as it is.
#pragma once

#include <string>
#include <string_view>

#include "hl7/charset.h"
#include "hl7/delimiters.h"

namespace hearth::hl7 {

// The most line breaks one \.sp n\ decodes to.
inline constexpr int kMaxSkipLines = 12;

// True when `raw` holds the escape character (so decoding may change it).
inline bool has_escapes(std::string_view raw, const Delimiters& d) {
  return raw.find(d.escape) != std::string_view::npos;
}

// Appends the decoded form of `raw` to `out`, converting from `charset` to UTF-8.
void decode_value(std::string_view raw, const Delimiters& d, Charset charset, std::string& out);

// Appends `text` to `out` with every delimiter escaped, line breaks as \.br\ (as \X0A\ when '.'
// is itself a delimiter) and other control bytes as \Xhh\.
void encode_value(std::string_view text, const Delimiters& d, std::string& out);
std::string encode_value(std::string_view text, const Delimiters& d);

// Builds a formatted-text (FT/TX) raw value, producing the sequences that have no plain-text
// equivalent: highlighting, indents, hex bytes and local escapes. A message whose delimiters
// include '.' (or '-', for a negative indent) cannot carry the formatting commands (.br, .sp,
// .in, .ti): check Delimiters::is_delimiter before using them.
class FormattedText {
 public:
  explicit FormattedText(const Delimiters& d) : d_(d) {}
  FormattedText& text(std::string_view plain) {
    encode_value(plain, d_, raw_);
    return *this;
  }
  FormattedText& highlight_on() { return command("H"); }
  FormattedText& highlight_off() { return command("N"); }
  FormattedText& line_break() { return command(".br"); }
  FormattedText& skip_lines(int n) { return command(".sp " + std::to_string(n)); }
  FormattedText& indent(int n) { return command(".in " + std::to_string(n)); }
  FormattedText& temporary_indent(int n) { return command(".ti " + std::to_string(n)); }
  FormattedText& hex(std::string_view bytes);
  FormattedText& local(std::string_view z_payload) { return command("Z" + std::string(z_payload)); }
  const std::string& raw() const { return raw_; }

 private:
  FormattedText& command(const std::string& body);
  Delimiters d_;
  std::string raw_;
};

}  // namespace hearth::hl7
