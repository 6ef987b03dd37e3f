// TestScript operations (setup/test/teardown `operation`): turning one into an HTTP request
// against the base URL, and recording its response into the run's state.
//
// Supported types (testscript-operation-codes): read, vread, create, update, updateCreate,
// patch, delete, deleteCondSingle, deleteCondMultiple, history, search, transaction, batch,
// capabilities, validate; any other code (a `$` operation such as "expand") runs when the
// operation gives `url`, or `params` naming the `$` operation. `url` always wins over the type:
// an absolute URL is sent as is, one starting with '/' goes to the server root of the base
// ("/hl7/messages" -> http://host:port/hl7/messages), any other is relative to the base.
#pragma once

#include <string>

#include "conformance/http_transport.h"
#include "conformance/script_state.h"
#include "core/status.h"
#include "fhir/json.h"

namespace hearth::conformance {

struct RequestContext {
  std::string base_url;  // without a trailing '/'
  std::string token;     // sent as "Authorization: Bearer TOKEN" unless the script sets one
};

// Builds the request of `operation`. Errors: kNotImplemented for an unsupported type or
// element (the message says which); kInvalidArgument when the operation lacks what its type
// needs (a body fixture, an id), names a fixture that does not exist, or a variable fails.
Result<HttpRequest> build_request(const fhir::JsonValue& operation, ScriptState& state,
                                  const RequestContext& context);

// Records the exchange: becomes the last response, is stored under responseId/requestId, and
// a successful create/update from `sourceId` remembers the server id of that fixture.
void record_exchange(const fhir::JsonValue& operation, const HttpRequest& request,
                     const HttpResponse& response, ScriptState& state);

// The operation's type code ("read"), or "" when it has none.
std::string operation_code(const fhir::JsonValue& operation);
// A short text for reports: "GET http://host/fhir/Patient/1".
std::string request_line(const HttpRequest& request);
// The first `limit` bytes of a body (cut on a UTF-8 character boundary, invalid UTF-8 replaced
// by U+FFFD), with a marker when cut.
std::string excerpt(const std::string& body, std::size_t limit = 300);

}  // namespace hearth::conformance
