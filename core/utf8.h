// UTF-8 well-formedness (RFC 3629: no overlongs, surrogates or code points past U+10FFFF),
// shared by every layer that must turn foreign bytes into valid text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hearth {

// The length (1-4) of the well-formed UTF-8 sequence starting at text[i], or 0 when none does.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

bool is_valid_utf8(std::string_view text);

// `text` with every byte that does not start a well-formed sequence replaced by U+FFFD, so
// foreign bytes quoted back (diagnostics, logs) can never make a JSON document invalid.
std::string valid_utf8(std::string_view text);

// As utf8_sequence_length, and 0 also for what XML 1.0 cannot carry: a control character
// other than tab, CR and LF, and U+FFFE/U+FFFF.
std::size_t xml_char_length(std::string_view text, std::size_t i);

// True when every sequence of `text` has an xml_char_length.
bool is_xml_text(std::string_view text);

// `text` with every byte that starts no xml_char_length sequence replaced by U+FFFD: text that
// both JSON and XML carry, whatever bytes a client sent.
std::string xml_text(std::string_view text);

}  // namespace hearth
