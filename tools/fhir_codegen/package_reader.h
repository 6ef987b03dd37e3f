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

// One include or exclude of a ValueSet's compose: a whole code system (`system` alone), listed
// concepts, or other value sets. A filter is not expanded: `has_filter` marks it.
struct RawInclude {
  std::string system;
  std::vector<std::string> concepts;
  std::vector<std::string> value_sets;  // canonicals, "|version" removed
  bool has_filter = false;
};

struct RawValueSet {
  std::string url;
  std::vector<RawInclude> include, exclude;
};

// A CodeSystem's codes, the nested concept hierarchy flattened in document order.
struct RawCodeSystem {
  std::string url;
  std::string content;  // "complete", "fragment", "example", "not-present", "supplement"
  std::vector<std::string> codes;
};

struct Package {
  std::vector<RawType> types;
  std::vector<RawSearchParam> search_params;
  std::vector<RawCompartment> compartments;
  std::vector<RawValueSet> value_sets;
  std::vector<RawCodeSystem> code_systems;
};

// Reads every StructureDefinition-, SearchParameter-, CompartmentDefinition-, ValueSet- and
// CodeSystem- file of `dir`.
// Keeps StructureDefinitions of kind primitive-type, complex-type and resource that are
// specializations or roots (no derivation); skips constraint profiles and logical models.
// Errors: kNotFound when `dir` is missing, kMalformed for a file that is not the JSON expected.
Result<Package> read_package(const std::filesystem::path& dir);

}  // namespace hearth::codegen
