// The generated R4 tables (build/fhir/generated/*_tables.gen.cpp, written by
// tools/fhir_codegen from the official package). Private to fhir/: use model.h instead.
#pragma once

#include <span>
#include <string_view>

#include "fhir/constraint.h"
#include "fhir/model.h"
#include "fhir/value_set.h"

namespace hearth::fhir::detail {

extern const std::span<const TypeDef> kTypes;                      // sorted by name
extern const std::span<const std::string_view> kResourceTypes;     // concrete, sorted
extern const std::span<const SearchParamDef> kSearchParams;        // sorted by id
extern const std::span<const SearchParamEntry> kSearchParamIndex;  // sorted by (type, code)
extern const std::span<const CompartmentEntry> kCompartments;      // sorted by (compartment, type)
// value_set_tables.gen.cpp
extern const std::span<const std::string_view> kCodeTexts;    // sorted, unique
extern const std::span<const std::string_view> kCodeSystems;  // sorted, unique
extern const std::span<const ValueSetDef> kValueSets;         // sorted by url
// constraint_tables.gen.cpp
extern const std::span<const ConstraintDef> kConstraints;
extern const std::span<const ElementConstraints> kElementConstraints;  // by (type, element)

}  // namespace hearth::fhir::detail
