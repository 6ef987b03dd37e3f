// Structural validation of a resource in R4 JSON (https://hl7.org/fhir/R4/json.html) against the
// generated model (fhir/model.h): resourceType, known properties only, no duplicates,
// cardinality and array-ness, no empty objects or arrays, nulls only where a primitive array is
// aligned with its "_name" extension array, primitive lexical rules (fhir/primitive.h),
// primitive extensions ("_birthDate"), choice types, and nested complex types, backbone
// elements and resources (contained, Bundle.entry.resource, Parameters.parameter.resource).
// Not checked here: invariants (FHIRPath constraints), terminology bindings, profiles,
// reference targets, XHTML content beyond "starts with <div".
//
// Reentrant and thread-safe; allocates only for the issues it reports (and a small path stack).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir {

// At most this many issues are collected; validation stops once the cap is reached.
inline constexpr std::size_t kMaxValidationIssues = 100;

// Ok when `resource` is a valid R4 resource (of `expected_type` when not empty). Otherwise
// Code::kUnprocessable carrying every issue found (up to kMaxValidationIssues), each with
// severity error, a FHIR IssueType ("structure": shape of the JSON, unknown or duplicate
// property, cardinality; "required": a missing mandatory element; "value": a bad primitive;
// "invalid": unknown or unexpected resourceType), diagnostics, and a FHIRPath-like expression
// naming the place ("Patient.name[1].given[0]"). Choice elements appear under their JSON name
// ("Observation.valueQuantity"), primitive extensions under the primitive's name
// ("Patient.birthDate.extension[0].url"), nested resources continue the path of the element
// holding them ("Bundle.entry[0].resource.name[0]").
Status validate_resource(const JsonValue& resource, std::string_view expected_type = {});

}  // namespace hearth::fhir
