// A PATCH body applied to a stored resource version (https://hl7.org/fhir/R4/http.html#patch),
// as one function that the PATCH interaction and, later, transaction Bundle entries share. The
// Content-Type picks the patch format:
//   application/json-patch+json                     JSON Patch (RFC 6902, fhir/patch/json_patch.h)
//   application/fhir+json, application/fhir+xml     FHIRPath Patch: a Parameters resource
//   (and the other JSON/XML types format.h accepts)  (fhir/patch/fhirpath_patch.h)
// The patch is applied to a fresh parse of the stored body, so the stored version is never
// touched; the result must keep the resource's type and id and be a valid resource.
//
// Thread-safety: reentrant.
#pragma once

#include <string_view>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "storage/resource_store.h"

namespace hearth::api {

inline constexpr std::string_view kJsonPatchContentType = "application/json-patch+json";

// The patched resource, checked by check_resource (resource_body.h), ready for make_write.
// meta.versionId and meta.lastUpdated are left as the patch made them: the store's stamp
// replaces them. XML bodies are read within `xml_limits`.
// Errors:
//  - kUnsupportedMediaType for an absent Content-Type or one that is none of the above;
//  - kMalformed for a body that is not well-formed JSON/XML, or a FHIRPath Patch body that is
//    not a Parameters resource;
//  - kInvalidArgument / kUnprocessable from the patch engines (a malformed patch / one that does
//    not apply; the message names the operation);
//  - kUnprocessable when the patch changes resourceType or id, or the result is not a valid
//    resource (every validation issue listed, with its location);
//  - kInternal when the stored body does not parse (a store bug).
Result<fhir::JsonDocument> apply_patch_body(const storage::ResourceVersion& current,
                                            std::string_view content_type, std::string_view body,
                                            const fhir::XmlLimits& xml_limits = {});

}  // namespace hearth::api
