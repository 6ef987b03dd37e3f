// The subset of XPath that TestScripts written for FHIR XML use in `path` (variables, asserts,
// compareToSourcePath), translated to FHIRPath so it evaluates against any response:
// "fhir:Patient/fhir:name/fhir:family/@value" (or "Patient/name/family") -> "Patient.name.family".
// Only plain child steps (fhir: prefix optional) and a final /@value; predicates, axes,
// functions and JSONPath are not translated.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hearth::conformance {

// The FHIRPath for `xpath`, or nullopt when it is outside the subset.
std::optional<std::string> xpath_to_fhirpath(std::string_view xpath);

}  // namespace hearth::conformance
