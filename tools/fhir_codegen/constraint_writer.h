// Writes the base definitions' invariants (ElementDefinition.constraint of severity error) as C++
// constant data (constraint_tables.gen.cpp) defining the arrays fhir/model_tables.h declares for
// fhir/constraint.h: each distinct constraint once, and per (type, element) a span of them;
// identical lists (ele-1 alone on most roots) are stored once. Deterministic text.
#pragma once

#include <string>

#include "tools/fhir_codegen/model_builder.h"

namespace hearth::codegen {

// The full text of constraint_tables.gen.cpp; `source` names the package in the header line.
std::string write_constraint_tables(const Tables& tables, const std::string& source);

}  // namespace hearth::codegen
