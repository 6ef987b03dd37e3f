// FHIR JSON on RapidJSON, with numbers kept exactly as sent (STYLE 11): a JSON number is parsed
// as its original text ("1.50", "1e2") and written back byte for byte, never through double.
//
// Representation: a JSON number is stored as a RapidJSON string value whose first byte is NUL
// followed by the number's text. The parser rejects any real string containing U+0000 (FHIR
// forbids it anyway), so the marker is unambiguous. Always use the helpers below to tell numbers
// from strings; never read a RapidJSON string value directly for a FHIR primitive.
//
// Thread-safety: values are not synchronised; the functions are reentrant.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::fhir {

using JsonDocument = rapidjson::Document;
using JsonValue = rapidjson::Value;
using JsonAllocator = rapidjson::Document::AllocatorType;

// Parses UTF-8 JSON text. Errors: kMalformed with the byte offset and RapidJSON's reason, when
// a string contains U+0000, or when arrays/objects nest deeper than 256 levels. Parsing copies
// strings into the document's allocator, so the document does not refer to `text` afterwards.
Result<JsonDocument> parse_json(std::string_view text);

// A JSON number (kept as text)?
bool is_json_number(const JsonValue& value);
// The number's original text; precondition: is_json_number(value).
std::string_view json_number_text(const JsonValue& value);
// A real JSON string (not a number)?
bool is_json_string(const JsonValue& value);
// The string's UTF-8 bytes; precondition: is_json_string(value).
std::string_view json_string(const JsonValue& value);

// Makes a number value holding `text` (which must be valid JSON number syntax).
JsonValue make_json_number(std::string_view text, JsonAllocator& allocator);
// Makes a string value (copied).
JsonValue make_json_string(std::string_view text, JsonAllocator& allocator);

// Serialises `value`, numbers written as their kept text. Compact by default; pretty uses two
// spaces of indentation. Appends to `out`.
void write_json(const JsonValue& value, bool pretty, std::string& out);
std::string write_json(const JsonValue& value, bool pretty = false);

}  // namespace hearth::fhir
