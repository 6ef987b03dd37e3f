// The R4 model as data: every type, element, search parameter and compartment of the official
// package (hl7.fhir.r4 4.0.1), generated into constant tables by tools/fhir_codegen and read
// here through a few lookup functions. There is no per-resource code anywhere (STYLE 12): the
// JSON/XML codecs, validation and search walk these tables.
//
// Everything returned points into static constant data: it lives for the whole program, is never
// freed, and may be used from any thread without synchronisation.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hearth::fhir {

enum class TypeKind : std::uint8_t { kPrimitive, kComplex, kResource };
enum class BindingStrength : std::uint8_t { kNone, kRequired, kExtensible, kPreferred, kExample };

// ElementDef::max for "*".
inline constexpr std::uint32_t kUnbounded = 0xFFFFFFFFu;

// One allowed type of an element. `code` is the FHIR type code ("string", "Quantity",
// "Reference", "BackboneElement", "Resource"). Elements typed in the definitions with a FHIRPath
// system type carry the FHIR type from their structuredefinition-fhir-type extension instead
// (Element.id -> "string", Extension.url -> "uri"), except the `value` element of a primitive
// type, which keeps the system URL ("http://hl7.org/fhirpath/System.String").
struct TypeRef {
  std::string_view code;
  // Target type names for Reference/canonical (from targetProfile, last URL segment, e.g.
  // "Patient"); empty when any target is allowed or the type is not a reference.
  std::span<const std::string_view> targets;
  // Index of the type in all_types(), or -1 for a system type URL.
  std::int16_t type_index;
};

// ElementDef::flags bits.
enum ElementFlag : std::uint8_t {
  kElementBackbone = 1,  // children are defined inline (BackboneElement or Element with kids)
  kElementChoice = 2,    // name ends in "[x]"; JSON name is the prefix + capitalised type
  kElementSummary = 4,   // isSummary
  kElementModifier = 8,  // isModifier
  kElementXmlAttr = 16,  // written as an XML attribute (id, value)
  kElementXhtml = 32,    // the XHTML div (Narrative.div)
};

// One element of a type's snapshot. Elements of a type are stored in definition order, depth
// first; index 0 is the type's root. Indices below are relative to TypeDef::elements.
struct ElementDef {
  std::string_view path;  // relative to the type: "" for the root, "contact.name"
  std::string_view name;  // last path segment: "name", "value[x]"; the type name for the root
  std::uint32_t min;
  std::uint32_t max;  // kUnbounded for "*"
  std::span<const TypeRef> types;
  std::string_view content_reference;  // "#Questionnaire.item" or ""
  std::int32_t content_ref_index;      // element the reference names, or -1
  std::uint32_t subtree_end;           // first index after this element's descendants
  std::uint8_t flags;                  // ElementFlag bits
  BindingStrength binding_strength;
  std::string_view value_set;  // binding valueSet canonical (may carry "|4.0.1"), or ""
  // For a required binding: the expanded value set's index in value_sets() (fhir/value_set.h);
  // -1 otherwise.
  std::int16_t value_set_index;

  bool is_backbone() const { return (flags & kElementBackbone) != 0; }
  bool is_choice() const { return (flags & kElementChoice) != 0; }
  bool is_repeating() const { return max > 1; }
};

struct TypeDef {
  std::string_view name;  // "Patient", "HumanName", "dateTime"
  TypeKind kind;
  bool is_abstract;
  std::string_view base;  // base type name ("DomainResource"), "" for Element and Resource
  std::string_view url;
  std::span<const ElementDef> elements;  // definition order; elements[0] is the root
  std::string_view regex;  // primitives: the official regex of `value` ("" when none, xhtml)
};

enum class SearchParamType : std::uint8_t {
  kNumber,
  kDate,
  kString,
  kToken,
  kReference,
  kComposite,
  kQuantity,
  kUri,
  kSpecial
};

struct SearchParamComponent {
  std::string_view definition;  // canonical URL of the component's SearchParameter
  std::string_view expression;  // FHIRPath relative to the composite's expression
};

struct SearchParamDef {
  std::string_view id;  // "Patient-name", "clinical-patient"
  std::string_view url;
  std::string_view name;
  std::string_view code;  // the name used in a query string
  SearchParamType type;
  std::span<const std::string_view> base;  // resource types it applies to
  std::string_view expression;             // FHIRPath, may be "" (e.g. _text)
  std::string_view xpath;
  std::string_view xpath_usage;              // "normal", "phonetic", ...
  std::span<const std::string_view> target;  // reference targets
  std::span<const SearchParamComponent> components;
};

// A (resource type, code) pair of the search-parameter index, sorted by type then code.
struct SearchParamEntry {
  std::string_view resource_type;
  std::string_view code;
  const SearchParamDef* param;
};

// How a resource type belongs to a compartment: the search parameters linking it
// ("{def}" marks the compartment's own type). Sorted by compartment then resource type.
struct CompartmentEntry {
  std::string_view
      compartment;  // "Patient", "Encounter", "RelatedPerson", "Practitioner", "Device"
  std::string_view resource_type;
  std::span<const std::string_view> params;
};

// --- Types ---------------------------------------------------------------------------------

// All generated types (primitive, complex, resource incl. abstract ones), sorted by name.
std::span<const TypeDef> all_types();
// The type named `name` (case-sensitive), or nullptr.
const TypeDef* find_type(std::string_view name);
// Whether `type` is the type named `base` or derives from it through its base chain ("Age"
// derives from "Quantity", "Patient" from "DomainResource" and "Resource"). False for nullptr.
bool derives_from(const TypeDef* type, std::string_view base);
// The 146 concrete (non-abstract) resource types, sorted.
std::span<const std::string_view> resource_types();
bool is_resource_type(std::string_view name);

// --- Elements ------------------------------------------------------------------------------

// Does `suffix`, what follows a choice element's prefix in a JSON name, name type `code` (its
// first letter upper-cased: "String" for "string", "Quantity" for "Quantity")?
bool is_capitalised(std::string_view suffix, std::string_view code);

// Iterates the direct children of one element (by index into type.elements).
class ChildRange {
 public:
  class Iterator {
   public:
    Iterator(const TypeDef* type, std::uint32_t index) : type_(type), index_(index) {}
    std::uint32_t operator*() const { return index_; }
    Iterator& operator++() {
      index_ = type_->elements[index_].subtree_end;
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const TypeDef* type_;
    std::uint32_t index_;
  };
  ChildRange(const TypeDef& type, std::uint32_t parent)
      : type_(&type), begin_(parent + 1), end_(type.elements[parent].subtree_end) {}
  Iterator begin() const { return Iterator(type_, begin_); }
  Iterator end() const { return Iterator(type_, end_); }

 private:
  const TypeDef* type_;
  std::uint32_t begin_;
  std::uint32_t end_;
};

// Direct children of `parent`. For an element with a contentReference, pass
// resolve_content_reference(type, parent) to get the referenced element's children.
inline ChildRange children(const TypeDef& type, std::uint32_t parent) {
  return ChildRange(type, parent);
}

// The element whose children apply to `index`: the contentReference target, else itself.
std::uint32_t resolve_content_reference(const TypeDef& type, std::uint32_t index);

// The result of matching a JSON property name against the children of an element.
struct ChildMatch {
  std::int32_t index = -1;        // element index in the type, -1 when no child matches
  const TypeRef* type = nullptr;  // the chosen type of a choice element, else its first type
                                  // (nullptr for a contentReference element, which has none)
  bool found() const { return index >= 0; }
};

// Matches the JSON property `json_name` (without any leading '_') against the direct children
// of `parent`: "name" matches element "name"; for a choice element "value[x]", "valueQuantity"
// matches with type "Quantity" and "valueString" with type "string". Returns not-found for a
// choice suffix that is not one of the element's types. `type` is one of all_types(). One hash
// lookup (a table of every type's child names, built on first use); thread-safe.
ChildMatch find_child(const TypeDef& type, std::uint32_t parent, std::string_view json_name);

// The element at a full path such as "Patient.contact.name" or "Observation.value[x]"
// (following contentReferences: "Questionnaire.item.item.text"); nullptr when unknown.
const ElementDef* find_element(std::string_view full_path);

// --- Search parameters and compartments ----------------------------------------------------

// All SearchParameters of the package, sorted by id.
std::span<const SearchParamDef> search_params();
// The (type, code) index, sorted; types are the SearchParameter bases ("Resource" and
// "DomainResource" for the common ones).
std::span<const SearchParamEntry> search_param_index();
// The parameters declared for exactly `resource_type` (not inherited ones).
std::span<const SearchParamEntry> search_params_for(std::string_view resource_type);
// The parameter `code` that applies to `resource_type`, looking at the type and then its bases
// (DomainResource, Resource), so find_search_param("Patient", "_id") works. nullptr if none.
const SearchParamDef* find_search_param(std::string_view resource_type, std::string_view code);
const SearchParamDef* find_search_param_by_url(std::string_view url);

std::span<const CompartmentEntry> compartment_entries();
// The params linking `resource_type` to `compartment` ("Patient"); empty when it is not in it.
std::span<const std::string_view> compartment_params(std::string_view compartment,
                                                     std::string_view resource_type);

}  // namespace hearth::fhir
