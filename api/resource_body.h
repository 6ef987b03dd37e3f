// The body of a create or update: decoded, checked against the URL, validated against the R4
// definitions, then stamped with the server's id and meta and serialised for storage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/request.h"
#include "core/status.h"
#include "fhir/json.h"

namespace hearth::api {

// Decodes and validates a request body as a resource of `type`.
// Errors: kUnsupportedMediaType (Content-Type), kMalformed (not JSON, not an object, no or
// wrong resourceType), kUnprocessable (invalid FHIR content, all issues listed).
Result<fhir::JsonDocument> decode_resource(const Request& request, std::string_view type);

// Sets `id` and meta.versionId / meta.lastUpdated (keeping the client's other meta elements)
// and returns the compact JSON to store. Element order: resourceType, id, meta, then the rest.
std::string stamp_resource(fhir::JsonDocument& resource, std::string_view id,
                           std::int64_t version, std::int64_t last_updated_micros);

}  // namespace hearth::api
