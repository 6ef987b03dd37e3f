// Turns the raw package content into the shape of the generated tables: types sorted by name,
// elements with relative paths, subtree ends and resolved contentReferences, search parameters
// sorted by id with a (type, code) index, and compartment entries. Everything is sorted so the
// generated file is byte-identical on every run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "tools/fhir_codegen/package_reader.h"
#include "tools/fhir_codegen/value_set_expander.h"

namespace hearth::codegen {

struct Element {
  std::string path;  // relative to the type, "" for the root
  std::string name;  // last segment; the type name for the root
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  std::vector<RawTypeRef> types;
  std::string content_reference;
  std::int32_t content_ref_index = -1;
  std::uint32_t subtree_end = 0;
  std::uint8_t flags = 0;  // fhir::ElementFlag bits
  std::string binding_strength;
  std::string value_set;
  std::int32_t value_set_index = -1;  // into Tables::value_sets, for a required binding only
  // Severity error only. On the root, all (inherited ones included: dom-* on a resource); on
  // other elements, those this type declares, not the repeats of its element types' own.
  std::vector<RawConstraint> constraints;
};

struct Type {
  std::string name, kind, base, url, regex;
  bool is_abstract = false;
  std::vector<Element> elements;
};

struct IndexEntry {
  std::string resource_type;
  std::string code;
  std::size_t param = 0;  // index into Tables::search_params
};

struct CompartmentRow {
  std::string compartment;
  std::string resource_type;
  std::vector<std::string> params;
};

struct Tables {
  std::vector<Type> types;                    // sorted by name
  std::vector<std::string> resource_types;    // concrete resources, sorted
  std::vector<RawSearchParam> search_params;  // sorted by id
  std::vector<IndexEntry> search_index;       // sorted by (type, code, id)
  std::vector<CompartmentRow> compartments;   // sorted by (compartment, type)
  std::vector<ExpandedValueSet> value_sets;   // the required bindings' value sets, by url
};

// Errors: kMalformed when an element path does not start with its type's name, or a
// contentReference names no element of the type.
Result<Tables> build_tables(Package package);

}  // namespace hearth::codegen
