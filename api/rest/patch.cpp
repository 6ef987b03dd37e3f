// patch: PATCH Type/id (https://hl7.org/fhir/R4/http.html#patch). The current version is read,
// the body applied to a copy (patch_body.h), and the result stored as an update that expects the
// version read, so a write in between is a conflict rather than a lost update.
#include "api/rest/interactions.h"
#include "api/rest/patch_body.h"
#include "api/rest/version_response.h"
#include "api/rest/write_request.h"

namespace hearth::api {

Result<Response> patch_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto current, ctx.store.read(ctx.route.type, ctx.route.id));
  storage::WriteRequest precondition;
  HEARTH_RETURN_IF_ERROR(apply_if_match(ctx.request, precondition));
  if (precondition.expected_version && *precondition.expected_version != current.version) {
    return Status(Code::kPreconditionFailed,
                  "If-Match names version " + std::to_string(*precondition.expected_version) +
                      " but the current version of " + ctx.route.type + "/" + ctx.route.id +
                      " is " + std::to_string(current.version));
  }
  HEARTH_ASSIGN_OR_RETURN(auto doc, apply_patch_body(current, ctx.request.content_type,
                                                     ctx.request.body, ctx.limits.xml));
  HEARTH_ASSIGN_OR_RETURN(auto write, make_write(ctx, ctx.route.id, &doc));
  write.expected_version = current.version;
  Result<storage::WriteOutcome> outcome = ctx.store.update(write);
  if (!outcome.is_ok() && outcome.status().code() == Code::kPreconditionFailed &&
      !precondition.expected_version) {
    // The client set no precondition; ours (the version the patch was applied to) failed.
    return Status(Code::kConflict, ctx.route.type + "/" + ctx.route.id +
                                       " changed while the patch was applied; retry the PATCH");
  }
  if (!outcome.is_ok()) return outcome.status();
  return write_response(200, outcome->stored, ctx.request, ctx.format);
}

}  // namespace hearth::api
