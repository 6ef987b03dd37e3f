// Where one FHIR element sits in a resource's JSON, and edits of it as one unit. A FHIR JSON
// element is up to two values: the value at `key` and, for a primitive, its id/extensions at
// `_key` (https://hl7.org/fhir/R4/json.html#primitive); in a repeating element both are arrays
// kept aligned by index (null-padded). FHIRPath Patch (fhirpath_patch.h) finds elements with
// FHIRPath and edits them through this file so the two halves never drift apart.
//
// Thread-safety: reentrant; documents are not synchronised.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fhir/fhirpath/item.h"
#include "fhir/json.h"

namespace hearth::fhir::patch {

// Member `key` (never starting with the `_` of the extension half) of `object`, and the position
// within it when the element repeats.
struct ElementSlot {
  JsonValue* object = nullptr;
  std::string key;
  std::optional<std::size_t> index;
};

// An element out of its document: `value` and `ext` (the `_key` half); either may be null.
struct ElementValue {
  JsonValue value;
  JsonValue ext;
};

// The slot of FHIRPath node `item`. Precondition: the item comes from evaluating an expression,
// with no resolver and no variables, over a document the caller owns and may modify (the slot
// points into it). Errors:
// kUnprocessable for an item that is not a node of the document's tree reached by navigation
// (a computed value, the resource itself, a resolved reference).
Result<ElementSlot> locate_element(const fhirpath::Item& item);

// Removes the element at `slot` and returns it; a repeating element's arrays shrink, and an
// array left empty (or an extension array left all null) is removed.
ElementValue take_element(const ElementSlot& slot);

// Replaces the element at `slot` with `element` (moved from); null halves erase what was there.
void put_element(const ElementSlot& slot, ElementValue& element, JsonAllocator& allocator);

// Inserts `element` (moved from) into the repeating element `key` of `object` before `index`
// (index == current size appends), creating the arrays when absent.
// Precondition: index <= the current number of entries.
void insert_element(JsonValue& object, std::string_view key, std::size_t index,
                    ElementValue& element, JsonAllocator& allocator);

// The `_key` object (id and extensions) of the element at `slot`, created (and a repeating
// element's `_key` array null-padded) when absent.
JsonValue& ext_object(const ElementSlot& slot, JsonAllocator& allocator);

// The number of entries of repeating element `key` of `object` (0 when absent, 1 when it is not
// an array).
std::size_t element_count(const JsonValue& object, std::string_view key);

// Removes, bottom up, members and array entries left empty by edits: empty objects, empty
// arrays, arrays holding only nulls. An empty object inside an aligned `_key` array becomes
// null instead. `root` itself is kept. Precondition: check_patched_depth(root) passed.
void prune_empty(JsonValue& root);

}  // namespace hearth::fhir::patch
