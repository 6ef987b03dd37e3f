// The FHIRPath type system over the generated R4 model (fhir/model.h): making items for document
// nodes, navigating to children by FHIRPath name (choice elements: `value` reaches valueQuantity,
// valueString, ...; contentReference elements reuse their target's children), type names, the
// `is` test, and the conversion of FHIR primitives to System values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "fhir/fhirpath/ast.h"
#include "fhir/fhirpath/item.h"

namespace hearth::fhir::fhirpath::detail {

// type() returns a node item with this name, no JSON, the namespace in `text` and the type name
// in `unit`; navigation answers its `namespace` and `name`.
inline constexpr std::string_view kTypeInfoName = "$TypeInfo";

// An item for a resource (typed by its resourceType; untyped when unknown).
Item resource_item(const JsonValue& resource);

enum class Navigation : std::uint8_t {
  kOk,
  kUnknown,     // the item's type defines no such element (an error in strict mode)
  kChoiceName,  // a choice element's JSON name ("valueQuantity"): never a FHIRPath name
};
// Appends the children of `item` named `name` (FHIRPath name) to `out`.
Navigation navigate(const Item& item, std::string_view name, Collection& out);

// The child navigate() reaches by FHIRPath name `name` from a node whose owner and element are
// `owner` and `element` (item.h): its element index in `owner`, or -1 when there is none.
std::int32_t find_named_child(const TypeDef& owner, std::uint32_t element, std::string_view name);
// Appends the values of element `child` of typed node `item` (child: what find_named_child gives
// for the item's owner and element): what navigate() appends for that child's name.
void navigate_child(const Item& item, std::uint32_t child, Collection& out);

// Does FHIR type `type_name` (complex or resource) define element `name`? true for unknown
// types and system types, which are not checked.
bool type_has_element(std::string_view type_name, std::string_view name);

// Appends all direct children (children()) of `item`.
void all_children(const Item& item, Collection& out);

// True for an item of a FHIR primitive type (a node whose type kind is primitive).
bool is_fhir_primitive(const Item& item);

// The System value of a primitive node (FHIR boolean -> Boolean, code -> String, instant ->
// DateTime, Quantity -> Quantity, ...), or the item itself when it already is one. nullopt for
// complex nodes and primitives without a value.
std::optional<Item> system_value(const Item& item);

// "System"/"FHIR" and the type name (see fhirpath.h).
std::string_view item_namespace(const Item& item);
std::string_view item_type_name(const Item& item);

// Does `item` have type `spec` or a type derived from it? `is` lets a FHIR primitive match its
// base primitive (a code is a string, a uuid a uri); as() and ofType() want the exact primitive
// type (`exact_primitive`).
bool is_type(const Item& item, const TypeSpec& spec, bool exact_primitive = false);

// Is `spec` a type name FHIRPath knows (System types, FHIR types)? A qualified unknown name
// (System.Patient) is allowed: it is simply never matched.
bool known_type(const TypeSpec& spec);

}  // namespace hearth::fhir::fhirpath::detail
