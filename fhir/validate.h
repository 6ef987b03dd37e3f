// Structural validation of a resource in R4 JSON (https://hl7.org/fhir/R4/json.html) against the
// generated model (fhir/model.h): resourceType, known properties only, no duplicates,
// cardinality and array-ness, no empty objects or arrays, nulls only where a primitive array is
// aligned with its "_name" extension array, primitive lexical rules (fhir/primitive.h),
// primitive extensions ("_birthDate"), choice types, and nested complex types, backbone
// elements and resources (contained, Bundle.entry.resource, Parameters.parameter.resource), and
// the required bindings of code, Coding and CodeableConcept elements (binding_check.h).
// Then, when the structure has no error (a code outside its value set aside; for $validate,
// always: ValidationScope), the invariants of the
// base definitions (invariants.h: IssueType "invariant", diagnostics starting with the constraint's
// key, "pat-1: ..."). Not checked here: the invariants invariants.h lists as skipped, extensible
// and preferred bindings (validation_issues checks them on request), profiles, reference targets,
// XHTML content beyond "starts with <div".
//
// Reentrant and thread-safe; allocates only for the issues it reports (and a small path stack).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir {

// At most this many issues are collected; validation stops once the cap is reached.
inline constexpr std::size_t kMaxValidationIssues = 100;

// Which invariants validation_issues checks.
enum class Invariants : std::uint8_t {
  kNone,       // the structure alone
  kChecked,    // every invariant; one decided by an absent child is not evaluated (invariants.h)
  kUnguarded,  // every invariant evaluated through FHIRPath (same issues as kChecked, slower)
  // kChecked, except the invariants of the root's own type and its backbone elements (a
  // Bundle's bdl-*: unique fullUrls, request only in a batch or transaction, ...): for an
  // envelope Hearth assembled itself (a message's mapped transaction), whose rules hold by
  // construction and whose entries' resources are what is stored. A resource nested in it is
  // checked as kChecked.
  kBelowEnvelope,
};

// Ok when `resource` is a valid R4 resource (of `expected_type` when not empty). Otherwise
// Code::kUnprocessable carrying every issue found (up to kMaxValidationIssues), each with
// a severity, a FHIR IssueType ("structure": shape of the JSON, unknown or duplicate property,
// cardinality; "required": a missing mandatory element; "value": a bad primitive; "invalid":
// unknown or unexpected resourceType; "code-invalid": a required binding), diagnostics, and a
// FHIRPath expression naming the place ("Patient.name[1].given[0]"). Choice elements appear as
// the official validator writes them ("Observation.value.ofType(Quantity)"), primitive
// extensions under the primitive's name ("Patient.birthDate.extension[0].url"), nested
// resources continue the path of the element holding them ("Bundle.entry[0].resource.name[0]").
// A code outside a required binding's value set is an
// error of IssueType "code-invalid"; one Hearth cannot check (an external code system) is a
// warning, which alone does not make the resource invalid but is carried with any error.
// `invariants`: which of the base definitions' invariants are checked (see above).
Status validate_resource(const JsonValue& resource, std::string_view expected_type = {},
                         Invariants invariants = Invariants::kChecked);

// What $validate adds to the checks of a write (kOperation), never a reason to refuse a write:
// the extensible and preferred bindings whose value sets Hearth can expand (binding_check.h),
// each code outside an issue of severity information, IssueType "code-invalid"; and the
// invariants evaluated even when the structure has errors, so that every issue is listed (one
// that cannot be evaluated over the broken structure is a warning, as always).
enum class ValidationScope : std::uint8_t { kWrite, kOperation };

// Every issue validate_resource finds, warnings included, in the order found.
std::vector<Issue> validation_issues(const JsonValue& resource, std::string_view expected_type = {},
                                     Invariants invariants = Invariants::kChecked,
                                     ValidationScope scope = ValidationScope::kWrite);

}  // namespace hearth::fhir
