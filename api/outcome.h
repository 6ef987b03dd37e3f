// OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html) from a Status, and the
// response that carries it. Every error at the REST edge goes through here.
#pragma once

#include <string>
#include <string_view>

#include "api/format.h"
#include "api/request.h"
#include "core/status.h"

namespace hearth::api {

// The OperationOutcome JSON for `status`: one issue per Status issue (severity, code from the
// issue or the code table's default, diagnostics, expression).
std::string operation_outcome_json(const Status& status, bool pretty);

// A one-issue informational OperationOutcome (delete confirmations, Prefer: OperationOutcome).
std::string information_outcome_json(std::string_view diagnostics, bool pretty);

// The error response for a non-ok status: HTTP status from the code table, OperationOutcome body.
Response outcome_response(const Status& status, const ResponseFormat& format);

}  // namespace hearth::api
