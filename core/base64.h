// Base64 (RFC 4648, standard alphabet, '=' padding) decoding, for FHIR base64Binary values such
// as Binary.data; base64url without padding (RFC 7515 2), for the parts of a JWT and the
// numbers of a JWK. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hearth {

// The bytes `text` encodes; whitespace is skipped. nullopt for any other character outside the
// alphabet, misplaced padding or a length that is not a whole number of quanta.
std::optional<std::string> decode_base64(std::string_view text);

// The bytes `text` encodes in the URL-safe alphabet ('-', '_') without padding, strictly: no
// '=', no whitespace, no '+' or '/', and no length that leaves a lone character. nullopt
// otherwise.
std::optional<std::string> decode_base64url(std::string_view text);

// `bytes` in the URL-safe alphabet, unpadded.
std::string encode_base64url(std::string_view bytes);

// `bytes` in the standard alphabet with '=' padding (a FHIR base64Binary).
std::string encode_base64(std::string_view bytes);

}  // namespace hearth
