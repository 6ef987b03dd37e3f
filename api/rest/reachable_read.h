// Reads an operation makes beside the resource it was asked for (the outbound $hl7v2 and $x12
// render a resource with those it references): each held to the token's grant as a read of that
// resource would be.
//
// Thread-safety: as the InteractionContext's store. Errors: kNotFound / kGone for a resource the
// store does not have, kForbidden when the grant does not reach it, the store's.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "api/rest/interactions.h"
#include "core/status.h"

namespace hearth::api {

// The stored body of type/id.
Result<std::string> read_reachable(const InteractionContext& ctx, std::string_view type,
                                   std::string_view id);

// "Patient/12", ".../fhir/Patient/12", "Patient/12/_history/3" -> ("Patient", "12"); empty
// strings for text without a slash.
std::pair<std::string, std::string> type_and_id(std::string_view reference);

}  // namespace hearth::api
