// `hearth import` of FHIR files: a file whose text opens (after whitespace) with '{' or '<' is
// a FHIR resource in JSON or XML, handed to the REST core in-process as a POST to [base] - the
// same path as over HTTP: a transaction Bundle is all-or-nothing in one store transaction, a batch
// Bundle is applied entry by entry, anything else is refused as the REST core refuses it.
//
// Thread-safety: as the REST handler's (any thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/rest/rest_handler.h"

namespace hearth::server {

// "application/fhir+json" or "application/fhir+xml" by the first character that is not
// whitespace; nullopt for anything else (HL7 v2, X12).
std::optional<std::string_view> fhir_content_type(std::string_view text);

struct BundleImport {
  int status = 0;           // the REST core's HTTP status: 200 when the Bundle was processed
  std::size_t written = 0;  // entries answered 201, or 200 to a PUT or PATCH (a new version)
  std::size_t failed = 0;   // batch entries answered with a status outside 2xx
  std::string error;        // status not 200: the OperationOutcome's first diagnostics
};

// POSTs `text` to the REST core's base as `content_type` and reads the answer.
BundleImport import_bundle(const api::RestHandler& rest, std::string text,
                           std::string_view content_type);

}  // namespace hearth::server
