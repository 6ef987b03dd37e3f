// create, update (also update-as-create) and delete.
#include <memory>

#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/resource_body.h"
#include "api/rest/version_response.h"
#include "fhir/search/index_values.h"

namespace hearth::api {
namespace {

// Builds the store's WriteRequest around a decoded resource: the body is stamped inside the
// store's transaction with the version and time the store assigns. Errors: kUnprocessable when
// the resource produces more index rows than ctx.limits.max_index_rows.
Result<storage::WriteRequest> make_write(const InteractionContext& ctx, std::string id,
                                         fhir::JsonDocument* doc) {
  storage::WriteRequest write;
  write.type = ctx.route.type;
  write.id = std::move(id);
  if (doc != nullptr) {
    // Index values come from the decoded resource, outside the store's write transaction
    // (where SQLite writers queue). A resource of a known type always yields a value set; the
    // row cap keeps one resource from holding every writer behind its index inserts.
    auto index = fhir::search::extract_index(*doc, ctx.limits.max_index_rows);
    if (!index.is_ok() && index.status().code() == Code::kUnprocessable) return index.status();
    if (index.is_ok()) write.index = std::move(*index);
    auto stamped = std::make_shared<const StampedBody>(*doc, write.id);
    write.make_body = [stamped](std::int64_t version, std::int64_t last_updated) {
      return stamped->render(version, last_updated);
    };
  }
  return write;
}

// If-Match -> expected_version; absent means unconditional.
Status apply_if_match(const Request& request, storage::WriteRequest& write) {
  if (request.if_match.empty()) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(write.expected_version, parse_if_match(request.if_match));
  return Status::ok();
}

}  // namespace

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

Result<Response> delete_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto write, make_write(ctx, ctx.route.id, nullptr));
  HEARTH_RETURN_IF_ERROR(apply_if_match(ctx.request, write));
  HEARTH_ASSIGN_OR_RETURN(auto outcome, ctx.store.remove(write));
  Response response;
  if (prefer_return(ctx.request) == PreferReturn::kMinimal) {
    response.status = 204;
  } else {
    response = fhir_response(
        200,
        information_outcome_json(
            outcome.kind == storage::WriteKind::kDeleted
                ? "deleted " + ctx.route.type + "/" + ctx.route.id
                : ctx.route.type + "/" + ctx.route.id + " was already absent; nothing deleted",
            false),
        ctx.format);
  }
  if (outcome.kind == storage::WriteKind::kDeleted) {
    response.headers.emplace_back("ETag", etag_for(outcome.stored.version));
  }
  return response;
}

}  // namespace hearth::api
