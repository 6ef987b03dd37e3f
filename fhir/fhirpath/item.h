// One value of a FHIRPath collection. An item is either a node of the evaluated FHIR JSON document
// (a pointer into the document plus its FHIR type, never a copy) or a value computed by the
// expression (System.Boolean, Integer, Decimal, String, Date, DateTime, Time, Quantity).
// Items are small and copyable; a Collection is an ordered vector of them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"

namespace hearth::fhir::fhirpath {

enum class ItemKind : std::uint8_t {
  kNode,  // an element or resource of the document (primitive or complex)
  kBoolean,
  kInteger,
  kDecimal,
  kString,
  kDate,
  kDateTime,
  kTime,
  kQuantity,
};

struct Item {
  ItemKind kind = ItemKind::kNode;
  bool boolean = false;
  std::int64_t integer = 0;
  // kDecimal: canonical decimal text; kString: the string; kDate/kDateTime/kTime: the literal
  // without '@'/'T' prefix ("2014-01", "T10:00" is kept as "10:00"); kQuantity: the value text.
  std::string text;
  std::string unit;  // kQuantity: UCUM code or calendar word ("mg", "day")

  // kNode: the JSON value (object for complex types and resources; string/number/bool for a
  // primitive, or nullptr when a primitive has only an id/extension) and the `_name` sibling
  // holding a primitive's id and extensions (or nullptr).
  const JsonValue* json = nullptr;
  const JsonValue* json_ext = nullptr;
  // kNode: the FHIR type, and the element whose children apply (owner type + element index;
  // for a complex type or resource: the type itself and 0; for a BackboneElement: the
  // resource type and the element's index).
  const TypeDef* type = nullptr;
  const TypeDef* owner = nullptr;
  std::uint32_t element = 0;
  // kNode: the JSON property name the node was reached by (for FHIR path names and debugging).
  std::string_view name;
  // kNode reached by navigation: the JSON object holding the property (`name`, or `_name` for a
  // primitive with only an id/extension) whose value, or one element of whose array value, is
  // this node. nullptr for the evaluated resource, %rootResource and resolved references. Lets
  // an editor (fhir/patch/fhirpath_patch.h) find the node's place in a document it owns.
  const JsonValue* parent = nullptr;

  bool is_node() const { return kind == ItemKind::kNode; }
};

using Collection = std::vector<Item>;

}  // namespace hearth::fhir::fhirpath
