// Writes the package's terminology as C++ constant data (terminology_tables.gen.cpp) defining
// the arrays fhir/terminology/tables.h declares: every CodeSystem held in full (content
// "complete") with its concepts in document order (code, display, parent, subtree end, flags)
// and an index by code, and the hierarchy links its concepts' parent/child properties name
// (kCodeSystemLinks: (parent, child) pairs, the graph built at run time); every ValueSet's compose
// (includes, excludes, listed concepts, filters, other value sets), expanded at run time by
// fhir/terminology/expansion.h; every ConceptMap's groups. Definitions, designations and other
// properties are left out to keep the binary small. Deterministic text: everything is sorted.
#pragma once

#include <string>

#include "tools/fhir_codegen/package_reader.h"

namespace hearth::codegen {

// The full text of terminology_tables.gen.cpp; `source` names the package in the header line.
std::string write_terminology_tables(const Package& package, const std::string& source);

}  // namespace hearth::codegen
