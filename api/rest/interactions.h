// The FHIR REST interactions, one function each, all of the same shape: a routed request in, a
// response out. rest_handler.cpp dispatches to them. An error comes back as a Status, which
// rest_handler.cpp turns into an OperationOutcome in the negotiated format; an error response
// that needs more than that (410 with the deleted version's ETag) comes back as a Response.
#pragma once

#include "api/request.h"
#include "api/rest/format.h"
#include "api/rest/rest_limits.h"
#include "api/rest/route.h"
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
};

Result<Response> read_interaction(const InteractionContext& ctx);     // read.cpp
Result<Response> vread_interaction(const InteractionContext& ctx);    // read.cpp
Result<Response> create_interaction(const InteractionContext& ctx);   // write.cpp
Result<Response> update_interaction(const InteractionContext& ctx);   // write.cpp
Result<Response> delete_interaction(const InteractionContext& ctx);   // transaction.cpp
Result<Response> patch_interaction(const InteractionContext& ctx);    // patch.cpp
Result<Response> history_interaction(const InteractionContext& ctx);  // history.cpp (all 3 levels)
Result<Response> search_interaction(const InteractionContext& ctx);   // search.cpp
Result<Response> capabilities_interaction(const InteractionContext& ctx);  // capabilities.cpp
// POST [base]: a transaction or batch Bundle (transaction.cpp).
Result<Response> transaction_interaction(const InteractionContext& ctx);
// PUT [type]?criteria (transaction.cpp, through the entry runner; DELETE [type]?criteria is
// delete_interaction's).
Result<Response> conditional_update_interaction(const InteractionContext& ctx);
// POST [type] with If-None-Exist (transaction.cpp, through the entry runner).
Result<Response> conditional_create_interaction(const InteractionContext& ctx);

// The interaction ctx.route names, run (rest_handler.cpp); what GET entries of a Bundle use.
Result<Response> run_interaction(const InteractionContext& ctx);

}  // namespace hearth::api
