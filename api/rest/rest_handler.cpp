// The REST core's stages: negotiate the response format, route, execute the interaction.
#include "api/rest/rest_handler.h"

#include <future>
#include <memory>
#include <utility>

#include "api/rest/bulk_export.h"
#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/smart_scopes.h"
#include "core/tenant_scope.h"

namespace hearth::api {

WriteInteraction write_interaction(Interaction interaction) {
  switch (interaction) {
    case Interaction::kCreate: return create_interaction;
    case Interaction::kUpdate: return update_interaction;
    case Interaction::kDelete:
    case Interaction::kConditionalDelete: return delete_interaction;
    case Interaction::kPatch:
    case Interaction::kConditionalPatch: return patch_interaction;
    case Interaction::kTransaction: return transaction_interaction;
    case Interaction::kConditionalUpdate: return conditional_update_interaction;
    default: return nullptr;
  }
}

// The authorize stage: the bearer's grant against the routed interaction (smart_scopes.h). A
// route its patient/ scopes reach is held to the compartment by the interaction itself
// (compartment_access.h); a Bundle's entries are authorised one by one (entry_runner.h).
Status authorize_route(const Request& request, const Route& route) {
  if (request.grant == nullptr) return Status::ok();
  Result<Reach> reach = authorize(*request.grant, route);
  return reach.is_ok() ? Status::ok() : reach.status();
}

Result<Response> run_interaction(const InteractionContext& ctx) {
  if (WriteInteraction write = write_interaction(ctx.route.interaction)) {
    std::promise<Answer> answer;
    std::future<Answer> answered = answer.get_future();
    write(ctx, [&answer](Answer built) { answer.set_value(std::move(built)); });
    return answered.get()();
  }
  switch (ctx.route.interaction) {
    case Interaction::kCapabilities: return capabilities_interaction(ctx);
    case Interaction::kSmartConfiguration: return smart_configuration_interaction(ctx);
    case Interaction::kRead: return read_interaction(ctx);
    case Interaction::kVread: return vread_interaction(ctx);
    case Interaction::kHistoryInstance:
    case Interaction::kHistoryType:
    case Interaction::kHistorySystem: return history_interaction(ctx);
    case Interaction::kSearchType:
    case Interaction::kSearchCompartment:
    case Interaction::kSearchSystem: return search_interaction(ctx);
    case Interaction::kValidate: return validate_operation(ctx);
    case Interaction::kValidateCode: return validate_code_operation(ctx);
    case Interaction::kLookup: return lookup_operation(ctx);
    case Interaction::kExpand: return expand_operation(ctx);
    case Interaction::kSubsumes: return subsumes_operation(ctx);
    case Interaction::kTranslate: return translate_operation(ctx);
    case Interaction::kEverything: return everything_operation(ctx);
    case Interaction::kHl7v2: return hl7v2_operation(ctx);
    case Interaction::kX12: return x12_operation(ctx);
    case Interaction::kExport:
    case Interaction::kExportStatus:
    case Interaction::kExportDelete:
    case Interaction::kExportFile:
      return Status(Code::kNotImplemented, "$export is not served in a Bundle");
    default: break;
  }
  return Status(Code::kInternal, "unrouted interaction");
}

RestHandler::RestHandler(storage::ResourceStore& store, Clock& clock, IdGenerator& ids,
                         RestLimits limits, SecurityDescription security, BulkExportJobs* exports)
    : store_(store),
      clock_(clock),
      ids_(ids),
      limits_(limits),
      security_(std::move(security)),
      exports_(exports) {}

namespace {

bool is_export(Interaction interaction) {
  return interaction == Interaction::kExport || interaction == Interaction::kExportStatus ||
         interaction == Interaction::kExportDelete || interaction == Interaction::kExportFile;
}

// The Bulk Data interactions, which need the handler's job runner (not in a Bundle: 501).
Result<Response> run_export(const InteractionContext& ctx, BulkExportJobs* jobs) {
  if (jobs == nullptr) {
    return Status(Code::kNotImplemented, "Bulk Data export is not enabled on this server");
  }
  switch (ctx.route.interaction) {
    case Interaction::kExport: return export_kickoff(ctx, *jobs);
    case Interaction::kExportStatus: return export_status(ctx, *jobs);
    case Interaction::kExportDelete: return export_delete(ctx, *jobs);
    default: return export_file(ctx, *jobs);
  }
}

}  // namespace

bool RestHandler::handle_async(const Request& request, std::function<void(Finish)> done) const {
  // The store captures the tenant when the write starts (its committer runs it in it); the
  // Finish installs it again on whatever thread builds the answer.
  const TenantScope tenant(request.tenant);
  Result<Route> route =
      route_request(request.method == "HEAD" ? "GET" : request.method, request.path);
  if (route.is_ok() && is_export(route->interaction)) return false;  // handle()'s
  Result<ResponseFormat> format = negotiate_response_format(request);
  if (!format.is_ok()) {
    done([status = format.status(), &request] { return error_response(status, request); });
    return true;
  }
  if (!route.is_ok()) {
    done([status = route.status(), format = *format] { return outcome_response(status, format); });
    return true;
  }
  if (Status allowed = authorize_route(request, *route); !allowed.is_ok()) {
    done([status = std::move(allowed), format = *format] {
      return outcome_response(status, format);
    });
    return true;
  }
  WriteInteraction write = write_interaction(route->interaction);
  if (write == nullptr) return false;
  // What the interaction's continuation refers to (ctx.route), owned by `respond`.
  struct Call {
    Route route;
    ResponseFormat format;
  };
  auto call = std::make_shared<Call>(Call{std::move(route).value(), *format});
  InteractionContext ctx{store_,      store_,       clock_,  ids_,     request,
                         call->route, call->format, limits_, security_};
  write(ctx, [call, done = std::move(done), &request](Answer answer) {
    done([call, answer = std::move(answer), &request]() -> Response {
      const TenantScope tenant(request.tenant);
      Result<Response> response = answer();
      if (!response.is_ok()) return outcome_response(response.status(), call->format);
      return std::move(response).value();
    });
  });
  return true;
}

Response RestHandler::handle(const Request& request) const {
  const TenantScope tenant(request.tenant);  // api/request.h
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";
  Result<Route> route = route_request(method, request.path);
  Result<ResponseFormat> format = negotiate_response_format(request);
  // The Bulk Data status and file URLs answer JSON and NDJSON whatever the Accept asks for
  // (clients send application/json and application/fhir+ndjson).
  if (!format.is_ok() && route.is_ok() && is_export(route->interaction)) {
    format = response_format_or_default(request);
  }
  if (!format.is_ok()) return error_response(format.status(), request);
  if (!route.is_ok()) return outcome_response(route.status(), *format);
  if (Status allowed = authorize_route(request, *route); !allowed.is_ok()) {
    return outcome_response(allowed, *format);
  }

  InteractionContext ctx{store_, store_,  clock_,  ids_,     request,
                         *route, *format, limits_, security_};
  Result<Response> response =
      is_export(route->interaction) ? run_export(ctx, exports_) : run_interaction(ctx);
  if (!response.is_ok()) return outcome_response(response.status(), *format);
  return std::move(response).value();
}

StoreUse RestHandler::store_use(const Request& request) const {
  Result<Route> route =
      route_request(request.method == "HEAD" ? "GET" : request.method, request.path);
  return route.is_ok() ? route->store_use : StoreUse::kNone;
}

RouteFacts RestHandler::route_facts(const Request& request) const {
  Result<Route> route =
      route_request(request.method == "HEAD" ? "GET" : request.method, request.path);
  return route.is_ok() ? route_facts_of(*route) : RouteFacts{};
}

Response error_response(const Status& status, const Request& request) {
  return outcome_response(status, response_format_or_default(request));
}

}  // namespace hearth::api
