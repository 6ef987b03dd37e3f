// What the XML codec needs to know about one element of the generated model: which XML shape
// its values take (primitive with a `value` attribute, complex element, wrapped resource, XHTML
// div) and where its children are defined. Shared by the reader and the writer so both walk the
// tables the same way. Pure functions over static tables: thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "fhir/model.h"

namespace hearth::fhir::detail {

inline constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";
inline constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

enum class XmlShape : std::uint8_t { kPrimitive, kComplex, kResource, kXhtml };

// Where the content of one element lives: its children are children(*type, element) (for a
// primitive: the primitive type's root, whose children are id, extension, value).
struct XmlTarget {
  const TypeDef* type = nullptr;  // nullptr when the tables name no usable type
  std::uint32_t element = 0;
  XmlShape shape = XmlShape::kComplex;
};

// The target of child `index` of `type`, `chosen` being the matched type (find_child) or null.
XmlTarget xml_target(const TypeDef& type, std::uint32_t index, const TypeRef* chosen);

// How a primitive's value is written in JSON.
enum class JsonKind : std::uint8_t { kString, kNumber, kBoolean };
JsonKind json_kind_of_primitive(std::string_view type_name);

// Is `text` a JSON number ("-0", "1.50", "1e2")? Guards make_json_number against XML values.
bool is_json_number_syntax(std::string_view text);

}  // namespace hearth::fhir::detail
