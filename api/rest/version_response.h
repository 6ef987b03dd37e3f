// Responses that carry one stored resource version: the HTTP headers every FHIR read and write
// returns (ETag, Last-Modified, Location) and the body chosen by Prefer: return=.
#pragma once

#include <string_view>

#include "api/request.h"
#include "api/rest/format.h"
#include "storage/resource_store.h"

namespace hearth::api {

enum class PreferReturn { kRepresentation, kMinimal, kOperationOutcome };

// Prefer: return=minimal | representation | OperationOutcome (default representation).
PreferReturn prefer_return(const Request& request);

// W/"3"
std::string etag_for(std::int64_t version);

// If-Match: W/"3" or "3" -> 3. Errors: kInvalidArgument for anything else.
Result<std::int64_t> parse_if_match(std::string_view header);

// 200 with the stored body (re-indented when pretty), ETag, Last-Modified.
Response version_response(const storage::ResourceVersion& version, const ResponseFormat& format);

// The response to a write: `status` (200 or 201), ETag, Last-Modified, Location (always
// .../Type/id/_history/n, as FHIR asks on create and harmless on update), body per Prefer.
Response write_response(int status, const storage::ResourceVersion& version, const Request& request,
                        const ResponseFormat& format);

}  // namespace hearth::api
