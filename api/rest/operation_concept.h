// The concept a terminology operation names by a system and a code (or a Coding), found among
// the built-in code systems (fhir/terminology/code_system.h): what $lookup, $subsumes and
// CodeSystem/$validate-code share.
#pragma once

#include <string_view>
#include <utility>

#include "api/rest/operation_parameters.h"
#include "fhir/terminology/code_system.h"

namespace hearth::api {

using ConceptRef =
    std::pair<const fhir::terminology::CodeSystem*, const fhir::terminology::Concept*>;

// The code system and concept `params` names by `system_key` and `code_key`, or else by the
// Coding `coding_key` ("<coding_key>.system", "<coding_key>.code"). Errors: kInvalidArgument
// when either is missing or the code is not in the system ("code-invalid"), kNotFound when the
// system is not built in ("not-found").
Result<ConceptRef> find_operation_concept(const OperationParams& params,
                                          std::string_view system_key, std::string_view code_key,
                                          std::string_view coding_key);

}  // namespace hearth::api
