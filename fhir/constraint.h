// The invariants of the base definitions (ElementDefinition.constraint with severity error),
// generated at build time from the official package by tools/fhir_codegen into constant tables,
// by the (type, element) they are declared on. A constraint on a type's root applies to every
// value of that type (DomainResource's dom-* to every resource, Quantity's qty-3 to every
// Quantity); one on a backbone or other element to each value of that element.
//
// Constraints a datatype declares are listed on that datatype only, not again on each element
// of that type (the snapshots repeat them, with their source; the generator drops the repeats).
// Everything points into static constant data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "fhir/model.h"

namespace hearth::fhir {

struct ConstraintDef {
  std::string_view key;         // "pat-1"
  std::string_view human;       // the definition's sentence
  std::string_view expression;  // FHIRPath, evaluated with the element's value as $this
};

// One (type, element) that declares constraints. Sorted by type index, then element index.
struct ElementConstraints {
  std::uint16_t type_index;  // in all_types()
  std::uint16_t element;     // in TypeDef::elements
  std::span<const ConstraintDef> constraints;
};

// Every distinct constraint (a few hundred; ele-1 and ext-1 once each).
std::span<const ConstraintDef> all_constraints();
// The constraints declared on element `element` of `type`; empty when none.
std::span<const ConstraintDef> constraints_of(const TypeDef& type, std::uint32_t element);

}  // namespace hearth::fhir
