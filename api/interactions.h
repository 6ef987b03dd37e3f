// The FHIR REST interactions, one function each, all of the same shape: a routed request in, a
// response out. rest_handler.cpp dispatches to them; errors come back as OperationOutcomes.
#pragma once

#include "api/format.h"
#include "api/request.h"
#include "api/rest_limits.h"
#include "api/route.h"
#include "core/clock.h"
#include "storage/resource_store.h"

namespace hearth::api {

struct InteractionContext {
  storage::ResourceStore& store;
  Clock& clock;
  IdGenerator& ids;
  const Request& request;
  const Route& route;
  ResponseFormat format;
  const RestLimits& limits;
};

Response read_interaction(const InteractionContext& ctx);          // read.cpp
Response vread_interaction(const InteractionContext& ctx);         // read.cpp
Response create_interaction(const InteractionContext& ctx);        // write.cpp
Response update_interaction(const InteractionContext& ctx);        // write.cpp
Response delete_interaction(const InteractionContext& ctx);        // write.cpp
Response history_interaction(const InteractionContext& ctx);       // history.cpp (all 3 levels)
Response search_interaction(const InteractionContext& ctx);        // search.cpp
Response capabilities_interaction(const InteractionContext& ctx);  // capabilities.cpp

}  // namespace hearth::api
