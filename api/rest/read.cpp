// read and vread: the stored body is returned as stored (already carrying id and meta), so the
// hot path copies bytes and never re-serialises; only _summary / _elements (search.html#summary,
// fhir/resource_view.h) cut a copy down. Under patient/ scopes the resource must be in the
// patient's compartment first (compartment_access.h), whether it exists or not: 403.
#include "api/rest/compartment_access.h"
#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/scope_restriction.h"
#include "api/rest/version_response.h"
#include "core/time_format.h"
#include "fhir/resource_view.h"

namespace hearth::api {
namespace {

// A conditional read (http.html#cread): If-None-Match naming the current version's ETag, or
// If-Modified-Since at or after its last update (compared in whole seconds, as HTTP dates
// have them) -> 304.
bool not_modified(const Request& request, const storage::ResourceVersion& current) {
  if (!request.if_none_match.empty()) {
    Result<std::int64_t> version = parse_if_match(request.if_none_match);
    return version.is_ok() && *version == current.version;
  }
  if (!request.if_modified_since.empty()) {
    // A Bundle entry's ifModifiedSince is a FHIR instant; the HTTP header an HTTP date.
    std::optional<std::int64_t> since = parse_http_date(request.if_modified_since);
    if (!since) since = parse_instant_lower_bound(request.if_modified_since);
    return since && current.last_updated_micros / 1'000'000 <= *since / 1'000'000;
  }
  return false;
}

// _summary=true|text|data|false and _elements on a read (the last of each wins); together they
// are a 400, as on a search.
Result<fhir::ResourceView> read_view(const InteractionContext& ctx) {
  fhir::ResourceView view;
  for (const auto& param : ctx.request.query) {
    if (param.second.empty()) continue;
    if (param.first == "_summary") {
      HEARTH_ASSIGN_OR_RETURN(view.summary, fhir::parse_summary_mode(param.second));
    } else if (param.first == "_elements") {
      const std::vector<std::string> types{ctx.route.type};
      HEARTH_ASSIGN_OR_RETURN(
          view.elements, fhir::parse_elements(param.second, types, ctx.limits.search.max_values));
    }
  }
  if (!view.elements.empty() && view.summary != fhir::SummaryMode::kFalse) {
    return Status(Code::kInvalidArgument,
                  "_elements cannot be combined with _summary=true, text or data");
  }
  return view;
}

// The version's response, cut down to `view`.
Result<Response> viewed_response(storage::ResourceVersion version, const fhir::ResourceView& view,
                                 const ResponseFormat& format) {
  if (!view.full()) {
    HEARTH_ASSIGN_OR_RETURN(version.body, fhir::apply_view(version.body, view));
  }
  return version_response(version, format);
}

}  // namespace

Status require_reachable(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<ScopeRestriction> restriction,
                          held_to_restriction(ctx.request, ctx.route));
  if (restriction) {
    return require_matching(ctx.reader, *restriction, ctx.request, ctx.route.type, ctx.route.id);
  }
  const std::string patient = held_to_patient(ctx.request, ctx.route);
  if (patient.empty()) return Status::ok();
  return require_in_patient_compartment(ctx.reader, patient, ctx.route.type, ctx.route.id);
}

Result<Response> read_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto view, read_view(ctx));
  HEARTH_RETURN_IF_ERROR(require_reachable(ctx));
  storage::ResourceVersion deleted;
  Result<storage::ResourceVersion> found = ctx.reader.read(ctx.route.type, ctx.route.id, &deleted);
  if (!found.is_ok()) {
    Response response = outcome_response(found.status(), ctx.format);
    if (found.status().code() == Code::kGone) {
      response.headers.emplace_back("ETag", etag_for(deleted.version));
      response.headers.emplace_back("Last-Modified", format_http_date(deleted.last_updated_micros));
    }
    return response;
  }
  if (not_modified(ctx.request, *found)) {
    Response response;
    response.status = 304;
    response.headers.emplace_back("ETag", etag_for(found->version));
    response.headers.emplace_back("Last-Modified", format_http_date(found->last_updated_micros));
    return response;
  }
  return viewed_response(std::move(*found), view, ctx.format);
}

Result<Response> vread_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto view, read_view(ctx));
  HEARTH_RETURN_IF_ERROR(require_reachable(ctx));
  HEARTH_ASSIGN_OR_RETURN(auto found,
                          ctx.reader.vread(ctx.route.type, ctx.route.id, ctx.route.version));
  return viewed_response(std::move(found), view, ctx.format);
}

}  // namespace hearth::api
