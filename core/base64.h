// Base64 (RFC 4648, standard alphabet, '=' padding) decoding, for FHIR base64Binary values such
// as Binary.data. Pure function, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hearth {

// The bytes `text` encodes; whitespace is skipped. nullopt for any other character outside the
// alphabet, misplaced padding or a length that is not a whole number of quanta.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace hearth
