// The FHIRPath-style location of an element being walked, as issues carry it
// (`Patient.name[1].given[0]`, STYLE 5): the one builder the validator and the codecs share.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hearth::fhir {

// One step of a walk: an element (or the resource type, first), and its index when the element
// repeats. Walkers keep a stack of these, pushing on the way down and popping on the way up.
struct PathStep {
  std::string_view name;
  std::int32_t index = -1;  // -1: no [i]
  // For a choice element: its chosen type ("Quantity"), and `name` is the JSON name
  // ("valueQuantity"); the step is written as the official validator does,
  // "value.ofType(Quantity)". Empty otherwise.
  std::string_view choice_type = {};
};

// The steps joined by '.', each with its "[index]", then `last`, when not empty, as one more
// step: {Patient, name[1], given[0]} -> "Patient.name[1].given[0]"; no steps and no `last`: "".
// A choice step: {Observation, valueQuantity (Quantity)} -> "Observation.value.ofType(Quantity)".
std::string element_path(std::span<const PathStep> steps, std::string_view last = {});

}  // namespace hearth::fhir
