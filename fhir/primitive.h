// Lexical checks for the 20 R4 primitive types (https://hl7.org/fhir/R4/datatypes.html), hand
// written for speed (no std::regex). Each agrees with the official regex of the type's `value`
// element (TypeDef::regex; proven by tests/unit/fhir/primitive_test.cpp), plus these rules the
// regexes do not express:
//   - every value is non-empty (ele-1: an element has a value or children), so "" is never a
//     valid uri/url/canonical either;
//   - integer is a 32-bit signed value, positiveInt 1..2^31-1, unsignedInt 0..2^31-1;
//   - date, dateTime and instant name a real calendar day (no 2021-02-30);
//   - string and markdown contain no control character below U+0020 except TAB, CR and LF;
//   - xhtml (Narrative.div) starts with "<div" (the XHTML itself is not parsed here).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth::fhir {

enum class Primitive : std::uint8_t {
  kBase64Binary,
  kBoolean,
  kCanonical,
  kCode,
  kDate,
  kDateTime,
  kDecimal,
  kId,
  kInstant,
  kInteger,
  kMarkdown,
  kOid,
  kPositiveInt,
  kString,
  kTime,
  kUnsignedInt,
  kUri,
  kUrl,
  kUuid,
  kXhtml,
};

// The JSON representation of a primitive in R4 JSON.
enum class JsonShape : std::uint8_t { kBoolean, kNumber, kString };

// The primitive named by a FHIR type code ("dateTime"), or nullopt for any other type.
std::optional<Primitive> primitive_from_name(std::string_view type_code);
std::string_view primitive_name(Primitive p);
JsonShape json_shape(Primitive p);

// Is `text` a valid lexical value of `p`? For booleans pass "true"/"false"; for numbers the JSON
// number text as kept by fhir/json.h.
bool is_valid_primitive(Primitive p, std::string_view text);

}  // namespace hearth::fhir
