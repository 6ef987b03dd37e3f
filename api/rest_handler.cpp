// The REST core's stages: negotiate the response format, route, execute the interaction.
#include "api/rest_handler.h"

#include "api/interactions.h"
#include "api/outcome.h"

namespace hearth::api {

RestHandler::RestHandler(storage::ResourceStore& store, storage::StoreTraits traits, Clock& clock,
                         IdGenerator& ids, RestLimits limits)
    : store_(store), traits_(traits), clock_(clock), ids_(ids), limits_(limits) {}

Response RestHandler::handle(const Request& request) const {
  Result<ResponseFormat> format = negotiate_response_format(request);
  if (!format.is_ok()) return error_response(format.status(), request);
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";
  Result<Route> route = route_request(method, request.path);
  if (!route.is_ok()) return outcome_response(route.status(), *format);

  InteractionContext ctx{store_, clock_, ids_, request, *route, *format, limits_};
  switch (route->interaction) {
    case Interaction::kCapabilities: return capabilities_interaction(ctx);
    case Interaction::kRead: return read_interaction(ctx);
    case Interaction::kVread: return vread_interaction(ctx);
    case Interaction::kCreate: return create_interaction(ctx);
    case Interaction::kUpdate: return update_interaction(ctx);
    case Interaction::kDelete: return delete_interaction(ctx);
    case Interaction::kHistoryInstance:
    case Interaction::kHistoryType:
    case Interaction::kHistorySystem: return history_interaction(ctx);
    case Interaction::kSearchType: return search_interaction(ctx);
  }
  return outcome_response(Status(Code::kInternal, "unrouted interaction"), *format);
}

bool RestHandler::answers_quickly(const Request& request) const {
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";
  Result<Route> route = route_request(method, request.path);
  if (!route.is_ok()) return true;  // an error answer, no store
  switch (route->interaction) {
    case Interaction::kCapabilities: return true;  // no store
    case Interaction::kRead:
    case Interaction::kVread: return traits_.cheap_reads;
    default: return false;
  }
}

Response error_response(const Status& status, const Request& request) {
  return outcome_response(status, response_format_or_default(request));
}

}  // namespace hearth::api
