// Reads the parts of the official FHIR package the model needs (StructureDefinitions,
// SearchParameters, CompartmentDefinitions) into plain structs, as they are in the files: no
// sorting or indexing here (model_builder.h does that).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace hearth::codegen {

struct RawTypeRef {
  std::string code;  // FHIR type code, the fhir-type extension applied (see fhir/model.h)
  std::vector<std::string> targets;  // last URL segment of each targetProfile
};

// An invariant of an element (ElementDefinition.constraint).
struct RawConstraint {
  std::string key, severity, human, expression;
  std::string source;  // the StructureDefinition that declares it ("" when this one)
};

struct RawElement {
  std::string path;  // full path, "Patient.contact.name"
  std::uint32_t min = 0;
  std::uint32_t max = 0;  // 0xFFFFFFFF for "*"
  std::vector<RawTypeRef> types;
  std::string content_reference;
  bool summary = false;
  bool modifier = false;
  bool xml_attr = false;
  bool xhtml = false;
  std::string binding_strength;  // "", "required", "extensible", "preferred", "example"
  std::string value_set;
  std::vector<RawConstraint> constraints;
};

struct RawType {
  std::string name;
  std::string kind;  // "primitive-type", "complex-type", "resource"
  bool is_abstract = false;
  std::string base;  // type name, "" when none
  std::string url;
  std::string regex;                 // primitives only
  std::vector<RawElement> elements;  // snapshot order
};

struct RawSearchParam {
  std::string id, url, name, code, type, expression, xpath, xpath_usage;
  std::vector<std::string> base, target;
  std::vector<std::pair<std::string, std::string>> components;  // definition, expression
};

struct RawCompartment {
  std::string code;                                                         // "Patient"
  std::vector<std::pair<std::string, std::vector<std::string>>> resources;  // type, params
};

struct RawFilter {
  std::string property, op, value;
};

// One include or exclude of a ValueSet's compose: a whole code system (`system` alone), listed
// concepts, or other value sets. The required-binding expander does not expand filters:
// `has_filter` marks them.
struct RawInclude {
  std::string system;
  std::vector<std::string> concepts;
  std::vector<std::string> concept_displays;  // aligned with `concepts`, "" when none
  std::vector<std::string> value_sets;        // canonicals, "|version" removed
  std::vector<RawFilter> filters;
  bool has_filter = false;
};

struct RawValueSet {
  std::string url, name, title, version, status;
  std::vector<RawInclude> include, exclude;
};

// One concept of a CodeSystem, in document order (depth first): its nested concepts follow it,
// up to `subtree_end` (exclusive), so the concepts it subsumes are one range.
struct RawConcept {
  std::string code, display;
  std::int32_t parent = -1;  // index of the enclosing concept, -1 at the top
  std::uint32_t subtree_end = 0;
  bool not_selectable = false;  // property notSelectable or abstract = true
  bool inactive = false;        // property status deprecated or retired
};

// A CodeSystem's codes, the nested concept hierarchy flattened in document order.
struct RawCodeSystem {
  std::string url, name, title, version;
  std::string content;  // "complete", "fragment", "example", "not-present", "supplement"
  bool case_sensitive = true;
  std::vector<std::string> codes;
  std::vector<RawConcept> concepts;  // aligned with `codes`
  // The hierarchy links the concepts' `parent`/`child` properties name (codesystem.html#hierarchy;
  // the codes `parent`, `child` or any declared with the concept-properties #parent/#child uri),
  // as (parent, child) concept indices, in document order; a valueCode the system does not define
  // is left out. The nesting's links are not repeated here.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
};

// One source -> target mapping of a ConceptMap group.
struct RawMapping {
  std::string source_code, target_code, target_display, equivalence;
};

struct RawConceptMapGroup {
  std::string source, target;  // code system URLs ("|version" removed)
  std::vector<RawMapping> mappings;
};

struct RawConceptMap {
  std::string url, name, version, source, target;  // source/target: value set canonicals
  std::vector<RawConceptMapGroup> groups;
};

struct Package {
  std::vector<RawType> types;
  std::vector<RawSearchParam> search_params;
  std::vector<RawCompartment> compartments;
  std::vector<RawValueSet> value_sets;
  std::vector<RawCodeSystem> code_systems;
  std::vector<RawConceptMap> concept_maps;
};

// Reads every StructureDefinition-, SearchParameter-, CompartmentDefinition-, ValueSet-,
// CodeSystem- and ConceptMap- file of `dir`.
// Keeps StructureDefinitions of kind primitive-type, complex-type and resource that are
// specializations or roots (no derivation); skips constraint profiles and logical models.
// Errors: kNotFound when `dir` is missing, kMalformed for a file that is not the JSON expected.
Result<Package> read_package(const std::filesystem::path& dir);

}  // namespace hearth::codegen
