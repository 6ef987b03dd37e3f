// Small edits and measurements on RapidJSON values that both patch engines need: inserting into
// an array at an index, removing an object member in place (keeping member order), and the
// budgets of patch_limits.h (values created, nesting depth). Reentrant.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir::patch {

// Moves `value` into `array` before position `index` (index == Size() appends).
// Precondition: array.IsArray() and index <= array.Size().
void insert_array_element(JsonValue& array, std::size_t index, JsonValue& value,
                          JsonAllocator& allocator);

// Erases member `name` of `object` if present, keeping the other members' order.
void erase_member(JsonValue& object, std::string_view name);

// The values created by one patch, counted against kMaxPatchNewNodes.
class NodeBudget {
 public:
  // Counts the values in `value` (itself included). Errors: kUnprocessable when the patch's total
  // goes beyond kMaxPatchNewNodes.
  Status spend(const JsonValue& value);

 private:
  std::size_t spent_ = 0;
};

// Errors: kUnprocessable when `value` nests deeper than kMaxPatchedDepth levels (the walk stops
// there, so its recursion is bounded whatever the value).
Status check_patched_depth(const JsonValue& value);

}  // namespace hearth::fhir::patch
