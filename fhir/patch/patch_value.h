// The values of a FHIRPath Patch (https://hl7.org/fhir/R4/fhirpatch.html): a `value` part of a
// Parameters operation carries a value[x] (with its `_value[x]` id/extensions), a resource, or
// nested `part`s, one per child element, for an anonymous (backbone) or complex type. This file
// turns such a part into the JSON of the element it describes, naming and shaping children from
// the generated model (choice elements get their typed JSON name, repeating ones an array).
//
// Thread-safety: reentrant; model tables are static constants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/patch/element_slot.h"
#include "fhir/patch/json_edit.h"

namespace hearth::fhir::patch {

// The element whose children apply to a value, as fhirpath::Item carries it (owner type and
// element index); owner nullptr when the model says nothing (untyped JSON).
struct ElementContext {
  const TypeDef* owner = nullptr;
  std::uint32_t element = 0;
};

// One child element of a context, found by its FHIRPath name ("value" for "value[x]").
struct ChildElement {
  const ElementDef* def = nullptr;  // nullptr when the context is unknown
  ElementContext context;           // where the child's own children are defined
  bool repeating = false;
  bool choice = false;
};

// The child of `context` called `name`. Errors: kUnprocessable when the model defines no such
// child. An unknown context gives a non-repeating, untyped child.
Result<ChildElement> find_child_element(const ElementContext& context, std::string_view name);

// The JSON member name of `child` (called `name`) holding a value whose value[x] suffix is
// `type_suffix` ("Quantity", "String"; "" for parts or a resource). Errors: kUnprocessable for a
// choice element without a typed value.
Result<std::string> child_json_key(const ChildElement& child, std::string_view name,
                                   std::string_view type_suffix);

// An element built from a part.
struct PartValue {
  ElementValue element;
  std::string type_suffix;  // of value[x]: "Date", "HumanName"; "" for parts or a resource
};

// The element `part` describes, its nested parts resolved against `context` (the element the
// value will become). Values are copied into `allocator` and counted against `budget`.
// Errors: kInvalidArgument for a part with no value, several values, or a nested part without a
// name; kUnprocessable for a nested part naming an element the context does not define, a
// non-repeating element given twice, a choice element given by parts, or the budget exceeded.
Result<PartValue> part_value(const JsonValue& part, const ElementContext& context,
                             NodeBudget& budget, JsonAllocator& allocator);

}  // namespace hearth::fhir::patch
