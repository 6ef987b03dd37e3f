// search-type (GET [type]?..., POST [type]/_search), search-system (GET [base]?_type=A,B&...,
// POST [base]/_search) and compartment search (GET [compartment]/[id]/[type]?...,
// fhir/search/compartment.h): the query parsed into a typed search
// (fhir/search/search_query.h), run by the store over its index, answered as a searchset
// Bundle with self/first/previous/next/last links that repeat the effective parameters, the
// page's _include / _revinclude resources after its matches (search_includes.h). Under patient/
// scopes the matches are those of the patient's compartment (compartment_access.h).
#include <algorithm>

#include "api/rest/bundle_links.h"
#include "api/rest/compartment_access.h"
#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "api/rest/outcome.h"
#include "api/rest/scope_restriction.h"
#include "api/rest/search_includes.h"
#include "api/rest/terminology_source.h"
#include "core/url_encoding.h"
#include "fhir/search/compartment.h"
#include "fhir/search/search_query.h"

namespace hearth::api {
namespace {

// Prefer: handling=strict asks for unknown parameters to be errors (search.html#errors).
bool strict_handling(const Request& request) {
  return request.prefer.find("handling=strict") != std::string::npos;
}

// The search parameters: the URL's, plus a form body's for POST [type]/_search.
// The form is counted before it is split: a body of a million tiny pairs is refused at its own
// size instead of growing a million strings first.
Result<std::vector<std::pair<std::string, std::string>>> search_params(
    const Request& request, const fhir::search::SearchLimits& limits) {
  std::vector<std::pair<std::string, std::string>> params = request.query;
  if (request.method == "POST") {
    std::string_view type = request.content_type;
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (!request.body.empty() && type != "application/x-www-form-urlencoded") {
      return Status(Code::kUnsupportedMediaType,
                    "POST _search takes application/x-www-form-urlencoded parameters, not '" +
                        request.content_type + "'");
    }
    const std::size_t most = limits.max_params + fhir::search::kMaxResultParams;
    std::size_t pairs = params.size();
    std::string_view rest = request.body;
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      if (amp != 0 && ++pairs > most) return fhir::search::too_many_params(limits);
      rest.remove_prefix(amp == std::string_view::npos ? rest.size() : amp + 1);
    }
    if (!parse_query(request.body, params)) {
      return Status(Code::kInvalidArgument, "malformed percent-encoding in the form body");
    }
  }
  return params;
}

// The search's link with the page `cursor` ("" for the first page, or the offset a client
// started from).
std::string page_link(const InteractionContext& ctx, const fhir::search::SearchQuery& q,
                      std::string_view cursor, std::int64_t offset = 0) {
  std::string url = ctx.request.base_url;
  if (q.compartment) url += "/" + q.compartment->type + "/" + q.compartment->id;
  if (!q.resource_type.empty()) url += "/" + q.resource_type;
  url += "?";
  for (const auto& [name, value] : q.used) url += url_encode(name) + "=" + url_encode(value) + "&";
  url += "_count=" + std::to_string(q.count);
  if (!cursor.empty()) url += "&_cursor=" + url_encode(cursor);
  if (offset > 0) url += "&_offset=" + std::to_string(offset);
  return url;
}

// Paging by keyset (search.html#paging): next and previous carry the store's opaque cursors, so
// a write between two page requests shifts nothing; last when the total is known.
void write_links(JsonWriter& w, const InteractionContext& ctx, const fhir::search::SearchQuery& q,
                 const storage::SearchPage& page) {
  w.Key("link");
  w.StartArray();
  write_link(w, "self", page_link(ctx, q, q.cursor, q.cursor.empty() ? q.offset : 0));
  write_link(w, "first", page_link(ctx, q, ""));
  if (!page.previous_cursor.empty()) {
    write_link(w, "previous", page_link(ctx, q, page.previous_cursor));
  }
  if (!page.next_cursor.empty()) write_link(w, "next", page_link(ctx, q, page.next_cursor));
  if (page.total && !page.last_cursor.empty()) {
    write_link(w, "last", page_link(ctx, q, page.last_cursor));
  }
  w.EndArray();
}

// An entry with search.mode "outcome": a warning OperationOutcome.
void write_warning(JsonWriter& w, std::string_view code, std::string message) {
  Status warning(Code::kOk, {Issue{Severity::kWarning, std::string(code), std::move(message), ""}});
  const std::string outcome = operation_outcome_json(warning, false);
  w.StartObject();
  w.Key("resource");
  w.RawValue(outcome.data(), outcome.size(), rapidjson::kObjectType);
  w.Key("search");
  w.StartObject();
  w.Key("mode");
  w.String("outcome");
  w.EndObject();
  w.EndObject();
}

// The unknown parameters a lenient search ignored.
void write_ignored(JsonWriter& w, const std::vector<std::string>& ignored) {
  std::string names;
  for (const std::string& name : ignored) names += (names.empty() ? "'" : ", '") + name + "'";
  write_warning(w, "not-supported", "unknown search parameter(s) ignored: " + names);
}

// One entry; its resource cut down to `view` (_summary, _elements) unless that is full.
Status write_entry(JsonWriter& w, const InteractionContext& ctx, const storage::ResourceVersion& v,
                   std::string_view mode, const fhir::ResourceView& view) {
  std::string viewed;
  if (!view.full()) {
    HEARTH_ASSIGN_OR_RETURN(viewed, fhir::apply_view(v.body, view));
  }
  const std::string& body = view.full() ? v.body : viewed;
  w.StartObject();
  w.Key("fullUrl");
  write_str(w, ctx.request.base_url + "/" + v.type + "/" + v.id);
  w.Key("resource");
  w.RawValue(body.data(), body.size(), rapidjson::kObjectType);
  w.Key("search");
  w.StartObject();
  w.Key("mode");
  write_str(w, mode);
  w.EndObject();
  w.EndObject();
  return Status::ok();
}

}  // namespace

Result<Response> search_interaction(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(auto params, search_params(ctx.request, ctx.limits.search));
  // :in, :not-in, :below and :above over the stored value sets and code systems too.
  StoredTerminology terminology(ctx.reader);
  fhir::search::SearchLimits limits = ctx.limits.search;
  limits.terminology = &terminology;
  HEARTH_ASSIGN_OR_RETURN(auto query,
                          fhir::search::parse_search(ctx.route.type, params, ctx.request.base_url,
                                                     strict_handling(ctx.request), limits));
  if (ctx.route.interaction == Interaction::kSearchCompartment) {
    HEARTH_ASSIGN_OR_RETURN(
        query.compartment,
        fhir::search::compartment_filter(ctx.route.compartment, ctx.route.id, ctx.route.type));
  }
  // patient/ scopes: the search runs in the patient's compartment (the compartment search of
  // Patient/{patient} itself is already there; authorize refuses any other).
  if (const std::string patient = held_to_patient(ctx.request, ctx.route);
      !patient.empty() && !query.compartment) {
    HEARTH_ASSIGN_OR_RETURN(query.compartment, patient_compartment(patient, ctx.route.type));
  }
  // v2 granular scopes: their restriction is ANDed to the client's own parameters.
  HEARTH_ASSIGN_OR_RETURN(std::optional<ScopeRestriction> restriction,
                          held_to_restriction(ctx.request, ctx.route));
  if (restriction) {
    HEARTH_RETURN_IF_ERROR(restrict_search(*restriction, ctx.request, ctx.route.type, query));
  }
  if (query.summary_count) {
    query.count = 0;
    query.total = fhir::search::TotalMode::kAccurate;
  }
  HEARTH_ASSIGN_OR_RETURN(auto page, ctx.reader.search(query));
  HEARTH_ASSIGN_OR_RETURN(auto included,
                          resolve_includes(ctx.reader, ctx.request, query.includes, page.entries));

  rapidjson::StringBuffer buffer;
  // The bodies and each entry's fullUrl and search mode, reserved once: no regrowth copies.
  std::size_t size = 1024;
  for (const auto* entries : {&page.entries, &included.resources}) {
    for (const storage::ResourceVersion& v : *entries) size += v.body.size() + 256;
  }
  buffer.Reserve(size);
  JsonWriter w(buffer);
  write_bundle_head(w, ctx.ids.next_id(), ctx.clock.now_micros(), "searchset");
  if (page.total) {
    w.Key("total");
    w.Int64(*page.total);
  }
  write_links(w, ctx, query, page);
  if (!page.entries.empty() || !query.ignored.empty()) {
    w.Key("entry");
    w.StartArray();
    for (const storage::ResourceVersion& v : page.entries) {
      HEARTH_RETURN_IF_ERROR(write_entry(w, ctx, v, "match", query.view));
    }
    for (const storage::ResourceVersion& v : included.resources) {
      HEARTH_RETURN_IF_ERROR(write_entry(w, ctx, v, "include", query.view));
    }
    if (!query.ignored.empty()) write_ignored(w, query.ignored);
    if (included.truncated) {
      write_warning(w, "too-costly",
                    "_include / _revinclude results cut short at " + std::to_string(kMaxIncluded) +
                        " resources or " + std::to_string(kMaxIncludeRounds) +
                        " :iterate rounds; ask for smaller pages (_count)");
    }
    w.EndArray();
  }
  w.EndObject();
  return fhir_response(200, std::string(buffer.GetString(), buffer.GetSize()), ctx.format);
}

}  // namespace hearth::api
