// create and update (also update-as-create); their conditional forms and delete run through the
// entry runner (transaction.cpp).
#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/resource_body.h"
#include "api/rest/version_response.h"
#include "api/rest/write_request.h"

namespace hearth::api {

Result<Response> create_interaction(const InteractionContext& ctx) {
  if (!ctx.request.if_none_exist.empty()) return conditional_create_interaction(ctx);
  HEARTH_ASSIGN_OR_RETURN(auto doc, decode_resource(ctx.request, ctx.route.type, ctx.limits.xml));
  // FHIR: the server ignores any id in a create body and assigns its own.
  HEARTH_ASSIGN_OR_RETURN(auto write, make_write(ctx, ctx.ids.next_id(), &doc));
  HEARTH_ASSIGN_OR_RETURN(auto outcome, ctx.store.create(write));
  return write_response(201, outcome.stored, ctx.request, ctx.format);
}

Result<Response> update_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto doc, decode_resource(ctx.request, ctx.route.type, ctx.limits.xml));
  auto id = doc.FindMember("id");
  if (id == doc.MemberEnd() || !fhir::is_json_string(id->value)) {
    return Status(Code::kMalformed, "an update body must carry the resource id", "id");
  }
  if (fhir::json_string(id->value) != ctx.route.id) {
    return Status(Code::kMalformed,
                  "body id '" + std::string(fhir::json_string(id->value)) +
                      "' does not match the URL id '" + ctx.route.id + "'",
                  "id");
  }
  HEARTH_ASSIGN_OR_RETURN(auto write, make_write(ctx, ctx.route.id, &doc));
  HEARTH_RETURN_IF_ERROR(apply_if_match(ctx.request, write));
  HEARTH_ASSIGN_OR_RETURN(auto outcome, ctx.store.update(write));
  int status = outcome.kind == storage::WriteKind::kCreated ? 201 : 200;
  return write_response(status, outcome.stored, ctx.request, ctx.format);
}

}  // namespace hearth::api
