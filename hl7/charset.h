// MSH-18 character sets the parser understands. ER7 structure is ASCII in all of them, so only
// decoded values need conversion: ISO 8859/1 bytes become UTF-8 on read.
#pragma once

#include <string>
#include <string_view>

namespace hearth::hl7 {

enum class Charset {
  kAscii,   // MSH-18 empty or "ASCII"
  kLatin1,  // "8859/1"
  kUtf8,    // "UNICODE UTF-8" (and the pre-2.5 "UNICODE")
  kOther,   // anything else: values are passed through unchanged
};

// Maps the first repetition of MSH-18 to a Charset.
Charset charset_from_msh18(std::string_view value);

// True when values in `charset` need converting to UTF-8 (a byte >= 0x80 in Latin-1 text).
bool needs_utf8_conversion(Charset charset, std::string_view text);

// Appends `latin1` to `out` as UTF-8.
void append_latin1_as_utf8(std::string_view latin1, std::string& out);

// `text` (bytes of a message in `charset`) as valid UTF-8, for metadata kept beside the raw
// message (sender, control id, notes): 8859/1 is converted; otherwise valid UTF-8 sequences are
// kept and every other byte is read as 8859/1 (the common case of an undeclared charset).
std::string to_utf8(std::string_view text, Charset charset);

}  // namespace hearth::hl7
