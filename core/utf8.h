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
// foreign bytes quoted back (diagnostics, logs) can never make a JSON or XML document invalid.
std::string valid_utf8(std::string_view text);

}  // namespace hearth
