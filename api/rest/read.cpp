// read and vread: the stored body is returned as stored (already carrying id and meta), so the
// hot path copies bytes and never re-serialises.
#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/version_response.h"
#include "core/time_format.h"

namespace hearth::api {

Result<Response> read_interaction(const InteractionContext& ctx) {
  storage::ResourceVersion deleted;
  Result<storage::ResourceVersion> found = ctx.store.read(ctx.route.type, ctx.route.id, &deleted);
  if (!found.is_ok()) {
    Response response = outcome_response(found.status(), ctx.format);
    if (found.status().code() == Code::kGone) {
      response.headers.emplace_back("ETag", etag_for(deleted.version));
      response.headers.emplace_back("Last-Modified", format_http_date(deleted.last_updated_micros));
    }
    return response;
  }
  return version_response(*found, ctx.format);
}

Result<Response> vread_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto found,
                          ctx.store.vread(ctx.route.type, ctx.route.id, ctx.route.version));
  return version_response(found, ctx.format);
}

}  // namespace hearth::api
