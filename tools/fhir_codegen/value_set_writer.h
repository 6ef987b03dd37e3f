// Writes the expanded required value sets as C++ constant data (value_set_tables.gen.cpp)
// defining the arrays fhir/model_tables.h declares for fhir/value_set.h. Code texts and system
// URLs are interned once, sorted, and each value set lists (code, system) index pairs, so the
// file stays small although many value sets repeat whole code systems. Deterministic text.
#pragma once

#include <string>
#include <vector>

#include "tools/fhir_codegen/value_set_expander.h"

namespace hearth::codegen {

// The full text of value_set_tables.gen.cpp; `source` names the package in the header line.
std::string write_value_set_tables(const std::vector<ExpandedValueSet>& value_sets,
                                   const std::string& source);

}  // namespace hearth::codegen
