// The value half of search request parsing (search.html#escaping, #prefix, and the per-type
// sections): splitting a parameter value into its OR-ed parts and reading each part for its
// parameter type. Private to fhir/search/search_query.cpp; split out so that each piece stays
// small and testable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/model.h"
#include "fhir/search/search_query.h"

namespace hearth::fhir::search::detail {

// Splits `text` on each `sep` that is not escaped by a backslash. The parts keep their escapes
// (so a later split on another separator still sees them); unescape() removes them. Stops after
// max_parts + 1 parts (the last one then ends at the separator that follows it): a result with
// more than max_parts entries means "too many", found without splitting (or copying) the rest,
// so a million separators cost no more than max_parts + 1 strings.
std::vector<std::string> split_unescaped(std::string_view text, char sep,
                                         std::size_t max_parts = static_cast<std::size_t>(-1));

// Removes the escapes of search.html#escaping: "\," "\$" "\|" "\\" become the character. A
// backslash before anything else, or at the end, is kept as written.
std::string unescape(std::string_view text);

// A decimal read with its implied precision (search.html#number): half a unit of the last
// significant digit written on either side. "100" -> [99.5, 100.5), "100.00" -> [99.995,
// 100.005), "1e2" -> [50, 150) (one significant figure; R4's table prints [95 ... 105) for this
// example, which contradicts its own "to 1 significant figure" text and was corrected in R5).
struct Decimal {
  double value = 0;
  double low = 0;
  double high = 0;
};
// FHIR decimal syntax: [-]digits[.digits][(e|E)[+|-]digits]. Errors: kInvalidArgument naming
// `param` when malformed or out of double range.
Result<Decimal> parse_decimal(std::string_view text, std::string_view param);

// The longest :contains value (bytes, unescaped): it becomes a LIKE pattern, and engines bound
// those (SQLite: 50,000 bytes, escapes included).
inline constexpr std::size_t kMaxContainsBytes = 4096;

// Reads one value (escapes still in place) of `param` used with `modifier` (kType with
// `target_type`). `base_url` has no trailing slash. Errors: kInvalidArgument naming the
// parameter and the value; a :contains value over kMaxContainsBytes.
Result<SearchValue> parse_value(const SearchParamDef& param, Modifier modifier,
                                std::string_view target_type, std::string_view text,
                                std::string_view base_url);

}  // namespace hearth::fhir::search::detail
