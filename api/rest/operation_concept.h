// The concept a terminology operation names by a system and a code (or a Coding), found among
// the code systems `source` holds (stored in Hearth, then built in: terminology_source.h): what
// $lookup and $subsumes share.
#pragma once

#include <string_view>
#include <utility>

#include "api/rest/operation_parameters.h"
#include "api/rest/terminology_source.h"
#include "fhir/terminology/code_system.h"

namespace hearth::api {

using ConceptRef =
    std::pair<const fhir::terminology::CodeSystem*, const fhir::terminology::Concept*>;

// The code system and concept `params` names by `system_key` and `code_key`, or else by the
// Coding `coding_key` ("<coding_key>.system", "<coding_key>.code"). Errors: kInvalidArgument
// when either is missing or the code is not in the system ("code-invalid"), kNotFound when the
// system is neither stored nor built in, or stored but not compilable, which it says
// ("not-found").
Result<ConceptRef> find_operation_concept(StoredTerminology& source, const OperationParams& params,
                                          std::string_view system_key, std::string_view code_key,
                                          std::string_view coding_key);

}  // namespace hearth::api
