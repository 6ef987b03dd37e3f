// patch: PATCH Type/id and PATCH Type?criteria (https://hl7.org/fhir/R4/http.html#patch), as a
// transaction of one entry (entry_runner.h): the current version is read, the body applied to a
// copy (patch_body.h) and the result stored, all in one store transaction, so a concurrent write
// waits instead of being lost or failing the patch.
#include <memory>
#include <utility>

#include "api/rest/entry_runner.h"
#include "api/rest/interactions.h"
#include "api/rest/version_response.h"

namespace hearth::api {

void patch_interaction(const InteractionContext& ctx, Respond respond) {
  auto work = std::make_shared<EntryWork>(
      EntryContext{ctx.store, ctx.clock, ctx.ids, ctx.limits, ctx.request});
  BundleEntry& entry = work->entries.emplace_back();
  entry.method = EntryMethod::kPatch;
  entry.route = ctx.route;
  entry.query = ctx.request.query;
  entry.url = ctx.route.type + (ctx.route.id.empty() ? "?criteria" : "/" + ctx.route.id);
  entry.if_match = ctx.request.if_match;
  entry.patch_body = ctx.request.body;
  entry.patch_content_type = ctx.request.content_type;
  run_transaction(std::move(work),
                  [ctx, respond = std::move(respond)](Result<std::vector<EntryResult>> results) {
                    respond([ctx, results = std::move(results)]() -> Result<Response> {
                      if (!results.is_ok()) return results.status();
                      return write_response(200, *(*results)[0].version, ctx.request, ctx.format);
                    });
                  });
}

}  // namespace hearth::api
