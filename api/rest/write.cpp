// create and update (also update-as-create); their conditional forms and delete run through the
// entry runner (transaction.cpp). Under patient/ scopes (compartment_access.h) the stored body
// must stay in the patient's compartment, and an update may only replace the patient's own.
#include <memory>
#include <utility>

#include "api/rest/compartment_access.h"
#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/profile_source.h"
#include "api/rest/resource_body.h"
#include "api/rest/version_response.h"
#include "api/rest/write_request.h"

namespace hearth::api {
namespace {

// Hands `write` to the store; the continuation answers `status` (201 for an update that
// created), with the stored version.
void store_write(const InteractionContext& ctx, storage::WriteOp op, storage::WriteRequest write,
                 int status, Respond respond) {
  ctx.store.write(op, std::move(write),
                  [ctx, status, respond = std::move(respond)](Result<storage::WriteOutcome> r) {
                    respond([ctx, status, r = std::move(r)]() -> Result<Response> {
                      if (!r.is_ok()) return r.status();
                      const int code = r->kind == storage::WriteKind::kCreated ? 201 : status;
                      return write_response(code, r->stored, ctx.request, ctx.format);
                    });
                  });
}

Result<storage::WriteRequest> prepare_update(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto doc, decode_resource(ctx.request, ctx.route.type, ctx.limits.xml));
  if (ctx.limits.enforce_profiles)
    HEARTH_RETURN_IF_ERROR(enforce_claimed_profiles(ctx.reader, doc));
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
  if (const std::string patient = held_to_patient(ctx.request, ctx.route); !patient.empty()) {
    // Under patient/ scopes: what is there now must be the patient's (or nothing ever was),
    // and the new body must stay so.
    HEARTH_ASSIGN_OR_RETURN(
        bool member, in_patient_compartment(ctx.reader, patient, ctx.route.type, ctx.route.id));
    if (!member &&
        ctx.reader.read(ctx.route.type, ctx.route.id).status().code() != Code::kNotFound) {
      HEARTH_RETURN_IF_ERROR(
          require_in_patient_compartment(ctx.reader, patient, ctx.route.type, ctx.route.id));
    }
    HEARTH_RETURN_IF_ERROR(require_write_in_patient_compartment(patient, write));
  }
  return write;
}

}  // namespace

void create_interaction(const InteractionContext& ctx, Respond respond) {
  if (!ctx.request.if_none_exist.empty()) {
    return conditional_create_interaction(ctx, std::move(respond));
  }
  auto doc = decode_resource(ctx.request, ctx.route.type, ctx.limits.xml);
  if (!doc.is_ok()) return respond(failed(doc.status()));
  if (ctx.limits.enforce_profiles) {
    if (Status s = enforce_claimed_profiles(ctx.reader, *doc); !s.is_ok()) {
      return respond(failed(std::move(s)));
    }
  }
  // FHIR: the server ignores any id in a create body and assigns its own. The stamped body is
  // rendered from a copy (write_request.h), so `doc` may go when this returns.
  auto write = make_write(ctx, ctx.ids.next_id(), &*doc);
  if (!write.is_ok()) return respond(failed(write.status()));
  if (const std::string patient = held_to_patient(ctx.request, ctx.route); !patient.empty()) {
    if (Status held = require_write_in_patient_compartment(patient, *write); !held.is_ok()) {
      return respond(failed(std::move(held)));
    }
  }
  store_write(ctx, storage::WriteOp::kCreate, std::move(write).value(), 201, std::move(respond));
}

void update_interaction(const InteractionContext& ctx, Respond respond) {
  auto write = prepare_update(ctx);
  if (!write.is_ok()) return respond(failed(write.status()));
  store_write(ctx, storage::WriteOp::kUpdate, std::move(write).value(), 200, std::move(respond));
}

}  // namespace hearth::api
