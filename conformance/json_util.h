// Small readers over TestScript JSON (fhir/json.h values) used across the runner: missing or
// mistyped members read as empty, which the callers report where it matters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fhir/fhirpath/item.h"
#include "fhir/json.h"

namespace hearth::conformance {

// A string member's text ("" when absent or not a string); numbers give their text and
// booleans "true"/"false".
std::string string_member(const fhir::JsonValue& object, std::string_view name);
// A boolean member (false when absent or not a boolean).
bool bool_member(const fhir::JsonValue& object, std::string_view name);
// An object member, or nullptr.
const fhir::JsonValue* object_member(const fhir::JsonValue& object, std::string_view name);
// The elements of an array member (empty when absent); objects only.
std::vector<const fhir::JsonValue*> object_array(const fhir::JsonValue& object,
                                                 std::string_view name);
// Iterable over an array member; an empty array when absent or not an array.
const fhir::JsonValue::ConstArray array_member(const fhir::JsonValue& object,
                                               std::string_view name);
// Members of `object` whose names are not in `known` (extension-like "_name" siblings of known
// names are accepted).
std::vector<std::string> unknown_members(const fhir::JsonValue& object,
                                         const std::vector<std::string_view>& known);
// `text` with NUL and every byte that does not start a valid UTF-8 sequence (no overlongs,
// surrogates or code points over U+10FFFF) replaced by U+FFFD: response bodies go into JSON and XML
// reports.
std::string valid_utf8(std::string_view text);
// A FHIRPath result item as text: primitives by their FHIRPath string form, complex nodes as
// compact JSON.
std::string item_text(const fhir::fhirpath::Item& item);

}  // namespace hearth::conformance
