// The FHIR REST interactions, one function each, all of the same shape: a routed request in, a
// response out. rest_handler.cpp dispatches to them. An error comes back as a Status, which
// rest_handler.cpp turns into an OperationOutcome in the negotiated format; an error response
// that needs more than that (410 with the deleted version's ETag) comes back as a Response.
//
// The writes are completion-based, written once: the work before the store (decode, validate,
// index extraction, planning) runs on the calling thread, the store's completion form
// (storage/resource_store.h) is handed a continuation that calls `respond` with the Answer,
// which builds the response when called (the store's committer thread, on SQLite, only hands it
// over); RestHandler::handle() waits for it. What an Answer uses of the context stays alive
// until it has been called: the request (the caller's), the route (RestHandler's call state,
// owned by `respond`'s caller), the store, clock and id generator (RestHandler's).
#pragma once

#include <functional>

#include "api/request.h"
#include "api/rest/format.h"
#include "api/rest/rest_limits.h"
#include "api/rest/route.h"
#include "api/rest/security_description.h"
#include "core/clock.h"
#include "storage/resource_store.h"

namespace hearth::api {

struct InteractionContext {
  storage::ResourceStore& store;
  // What read, vread and search read through: the store, or the store transaction of the
  // Bundle whose GET entry this is (it sees the transaction's writes).
  storage::ResourceReader& reader;
  Clock& clock;
  IdGenerator& ids;
  const Request& request;
  const Route& route;
  ResponseFormat format;
  const RestLimits& limits;
  const SecurityDescription& security;
};

// A write interaction's answer, built when called: the continuation hands it over on the
// thread that completed the store call (SQLite: the committer, which must stay free for the
// next batch), and the caller builds it where it likes (the server: its io thread), once.
using Answer = std::function<Result<Response>()>;
// Called exactly once with the answer, from whichever thread completed the interaction.
using Respond = std::function<void(Answer)>;

// The answer to an interaction that failed with `status`.
inline Answer failed(Status status) {
  return [status = std::move(status)]() -> Result<Response> { return status; };
}

Result<Response> read_interaction(const InteractionContext& ctx);         // read.cpp
Result<Response> vread_interaction(const InteractionContext& ctx);        // read.cpp
void create_interaction(const InteractionContext& ctx, Respond respond);  // write.cpp
void update_interaction(const InteractionContext& ctx, Respond respond);  // write.cpp
void delete_interaction(const InteractionContext& ctx, Respond respond);  // transaction.cpp
void patch_interaction(const InteractionContext& ctx, Respond respond);   // patch.cpp
Result<Response> history_interaction(const InteractionContext& ctx);  // history.cpp (all 3 levels)
Result<Response> search_interaction(const InteractionContext& ctx);   // search.cpp
Result<Response> capabilities_interaction(const InteractionContext& ctx);  // capabilities.cpp
Result<Response> smart_configuration_interaction(const InteractionContext& ctx);  // smart_*.cpp
// POST [base]/$validate, [type]/$validate, [type]/[id]/$validate: always 200 with an
// OperationOutcome of every issue, unless the body's media type is unsupported (415) or it is
// too large (413) (validate_operation.cpp).
Result<Response> validate_operation(const InteractionContext& ctx);
// The terminology operations over the built-in code systems, value sets and concept maps of the
// official package (fhir/terminology/), GET or POST; each answers 200 with a Parameters (a
// ValueSet for $expand). Errors: kInvalidArgument for a missing or malformed input
// (operation_parameters.h) or a code not in the named system, kNotFound for a code system, value
// set or concept map that is not built in, kUnprocessable for an expansion Hearth cannot make
// (fhir/terminology/expansion.h).
// ValueSet/$validate-code and CodeSystem/$validate-code: result, message, display.
Result<Response> validate_code_operation(const InteractionContext& ctx);
Result<Response> lookup_operation(const InteractionContext& ctx);     // CodeSystem/$lookup
Result<Response> expand_operation(const InteractionContext& ctx);     // ValueSet/$expand
Result<Response> subsumes_operation(const InteractionContext& ctx);   // CodeSystem/$subsumes
Result<Response> translate_operation(const InteractionContext& ctx);  // ConceptMap/$translate
// GET Patient/[id]/$everything: the patient's compartment as a paged searchset Bundle
// (everything_operation.cpp). Errors: kNotFound / kGone for the patient, kInvalidArgument for a
// malformed or unsupported parameter, the store's.
Result<Response> everything_operation(const InteractionContext& ctx);
// GET Patient/[id]/$hl7v2?event=A08 and DiagnosticReport/[id]/$hl7v2: the resource (with its
// current Encounter; with its Patient and Observations) as an outbound HL7 v2 message,
// x-application/hl7-v2+er7 (hl7v2_operation.cpp). Errors: kNotFound / kGone for the resource,
// kInvalidArgument for an unknown event or parameter, kForbidden as read, the store's.
Result<Response> hl7v2_operation(const InteractionContext& ctx);
// GET Claim/[id]/$x12 and CoverageEligibilityRequest/[id]/$x12: the resource and the resources it
// references as an outbound 837P or 270 interchange, application/edi-x12 (x12_operation.cpp).
// Errors: kNotFound / kGone for the resource, kInvalidArgument for a parameter other than
// _format / _pretty or a resource that cannot make the interchange (naming what is missing),
// kForbidden as read, the store's.
Result<Response> x12_operation(const InteractionContext& ctx);
// POST [base]: a transaction or batch Bundle (transaction.cpp).
void transaction_interaction(const InteractionContext& ctx, Respond respond);
// PUT [type]?criteria (transaction.cpp, through the entry runner; DELETE [type]?criteria is
// delete_interaction's).
void conditional_update_interaction(const InteractionContext& ctx, Respond respond);
// POST [type] with If-None-Exist (transaction.cpp, through the entry runner).
void conditional_create_interaction(const InteractionContext& ctx, Respond respond);

// kForbidden unless ctx.route's resource (type/id) is reachable by the request's grant: under
// patient/ scopes, in the patient's compartment (compartment_access.h); read.cpp. What read,
// vread and instance history check before they look.
Status require_reachable(const InteractionContext& ctx);

// The interaction ctx.route names, run (rest_handler.cpp); what GET entries of a Bundle use.
// A write interaction is waited for.
Result<Response> run_interaction(const InteractionContext& ctx);

// The write interaction ctx.route names, or null for a route that does not write.
using WriteInteraction = void (*)(const InteractionContext&, Respond);
WriteInteraction write_interaction(Interaction interaction);

}  // namespace hearth::api
