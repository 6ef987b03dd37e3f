// Semantic JSON equality (RFC 6902 section 4.6, the `test` operation): objects equal when they
// have the same member names with equal values in any order, arrays when their elements are
// equal pairwise, strings by their bytes, numbers by their value ("1", "1.0" and "1e0" are equal;
// numbers are kept as text, fhir/json.h), and a number never equals a string. Reentrant.
#pragma once

#include "fhir/json.h"

namespace hearth::fhir::patch {

// Recursion follows the values' nesting, which parse_json bounds (256 levels).
bool json_equal(const JsonValue& a, const JsonValue& b);

}  // namespace hearth::fhir::patch
