// OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html) from a Status, and the
// response that carries it. Every error at the REST edge goes through here.
#pragma once

#include <string>
#include <string_view>

#include "api/request.h"
#include "api/rest/format.h"
#include "core/status.h"

namespace hearth::api {

// The OperationOutcome JSON for `status`: one issue per Status issue (severity, code from the
// issue or the code table's default, diagnostics, expression). Text that is not valid UTF-8 or
// holds a control character other than tab/CR/LF (client input quoted back) has those bytes
// replaced by U+FFFD, so the document is always valid JSON and writable as XML. The text is
// written as it is: errors go through outcome_response, which hides 5xx details.
std::string operation_outcome_json(const Status& status, bool pretty);

// A one-issue informational OperationOutcome (delete confirmations, Prefer: OperationOutcome).
std::string information_outcome_json(std::string_view diagnostics, bool pretty);

// True for the codes whose text never reaches a client: kInternal (500) and kUnavailable (503).
bool hides_details(Code code);

// The error response for a non-ok status: HTTP status from the code table, OperationOutcome body.
// For hides_details() codes the body holds one generic issue, "internal error; reference <id>"
// or "service unavailable; reference <id>" (id: 16 random hex digits), and the status's own
// text (SQL, database or exception message) goes to Response::error_detail with the same id in
// Response::error_reference, for server/ to log; it is never sent.
Response outcome_response(const Status& status, const ResponseFormat& format);

}  // namespace hearth::api
