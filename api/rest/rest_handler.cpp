// The REST core's stages: negotiate the response format, route, execute the interaction.
#include "api/rest/rest_handler.h"

#include "api/rest/interactions.h"
#include "api/rest/outcome.h"

namespace hearth::api {

Result<Response> run_interaction(const InteractionContext& ctx) {
  switch (ctx.route.interaction) {
    case Interaction::kCapabilities: return capabilities_interaction(ctx);
    case Interaction::kRead: return read_interaction(ctx);
    case Interaction::kVread: return vread_interaction(ctx);
    case Interaction::kCreate: return create_interaction(ctx);
    case Interaction::kUpdate: return update_interaction(ctx);
    case Interaction::kDelete: return delete_interaction(ctx);
    case Interaction::kPatch: return patch_interaction(ctx);
    case Interaction::kHistoryInstance:
    case Interaction::kHistoryType:
    case Interaction::kHistorySystem: return history_interaction(ctx);
    case Interaction::kSearchType: return search_interaction(ctx);
    case Interaction::kTransaction: return transaction_interaction(ctx);
    case Interaction::kConditionalUpdate: return conditional_update_interaction(ctx);
    case Interaction::kConditionalDelete: return delete_interaction(ctx);
    case Interaction::kConditionalPatch: return patch_interaction(ctx);
  }
  return Status(Code::kInternal, "unrouted interaction");
}

RestHandler::RestHandler(storage::ResourceStore& store, Clock& clock, IdGenerator& ids,
                         RestLimits limits)
    : store_(store), clock_(clock), ids_(ids), limits_(limits) {}

Response RestHandler::handle(const Request& request) const {
  Result<ResponseFormat> format = negotiate_response_format(request);
  if (!format.is_ok()) return error_response(format.status(), request);
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";
  Result<Route> route = route_request(method, request.path);
  if (!route.is_ok()) return outcome_response(route.status(), *format);

  InteractionContext ctx{store_, store_, clock_, ids_, request, *route, *format, limits_};
  Result<Response> response = run_interaction(ctx);
  if (!response.is_ok()) return outcome_response(response.status(), *format);
  return std::move(response).value();
}

StoreUse RestHandler::store_use(const Request& request) const {
  Result<Route> route =
      route_request(request.method == "HEAD" ? "GET" : request.method, request.path);
  return route.is_ok() ? route->store_use : StoreUse::kNone;
}

Response error_response(const Status& status, const Request& request) {
  return outcome_response(status, response_format_or_default(request));
}

}  // namespace hearth::api
