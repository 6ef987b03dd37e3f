// Element shapes for the XML codec, derived from the generated model tables.
#include "fhir/xml/xml_model.h"

namespace hearth::fhir::detail {

XmlTarget xml_target(const TypeDef& type, std::uint32_t index, const TypeRef* chosen) {
  const ElementDef& e = type.elements[index];
  // The R4 definitions type Narrative.div as "xhtml" but carry no xhtml representation, so the
  // generated kElementXhtml flag is never set: the type code decides.
  bool xhtml = (e.flags & kElementXhtml) != 0 || (!e.types.empty() && e.types[0].code == "xhtml");
  if (xhtml) return XmlTarget{&type, index, XmlShape::kXhtml};
  if (!e.content_reference.empty()) {
    return XmlTarget{&type, resolve_content_reference(type, index), XmlShape::kComplex};
  }
  if (e.is_backbone()) return XmlTarget{&type, index, XmlShape::kComplex};
  if (chosen == nullptr && !e.types.empty()) chosen = &e.types[0];
  if (chosen == nullptr || chosen->type_index < 0) return XmlTarget{};
  const TypeDef& target = all_types()[static_cast<std::size_t>(chosen->type_index)];
  switch (target.kind) {
    case TypeKind::kPrimitive: return XmlTarget{&target, 0, XmlShape::kPrimitive};
    case TypeKind::kResource: return XmlTarget{&target, 0, XmlShape::kResource};
    case TypeKind::kComplex: break;
  }
  return XmlTarget{&target, 0, XmlShape::kComplex};
}

JsonKind json_kind_of_primitive(std::string_view type_name) {
  if (type_name == "boolean") return JsonKind::kBoolean;
  if (type_name == "integer" || type_name == "decimal" || type_name == "positiveInt" ||
      type_name == "unsignedInt") {
    return JsonKind::kNumber;
  }
  return JsonKind::kString;
}

bool is_json_number_syntax(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i >= text.size()) return false;
  if (text[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

}  // namespace hearth::fhir::detail
