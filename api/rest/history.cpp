// history at instance, type and system level: a Bundle of type "history", newest first, paged
// by offset within a snapshot so pages stay stable while writes go on.
#include <charconv>

#include "api/rest/bundle_links.h"
#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "api/rest/outcome.h"
#include "api/rest/version_response.h"
#include "core/time_format.h"

namespace hearth::api {
namespace {

constexpr std::int64_t kDefaultCount = 50;
constexpr std::int64_t kMaxCount = 1000;

Result<std::int64_t> integer_param(const Request& request, std::string_view name,
                                   std::int64_t fallback, std::int64_t min) {
  const std::string* text = request.param(name);
  if (text == nullptr) return fallback;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || value < min) {
    return Status(Code::kInvalidArgument,
                  std::string(name) + " must be an integer >= " + std::to_string(min),
                  std::string(name));
  }
  return value;
}

Result<std::optional<std::int64_t>> instant_param(const Request& request, std::string_view name) {
  const std::string* text = request.param(name);
  if (text == nullptr) return std::optional<std::int64_t>();
  std::optional<std::int64_t> micros = parse_instant_lower_bound(*text);
  if (!micros) {
    return Status(Code::kInvalidArgument,
                  std::string(name) + " '" + *text + "' is not a FHIR instant or dateTime",
                  std::string(name));
  }
  return micros;
}

std::string history_path(const InteractionContext& ctx) {
  std::string path = ctx.request.base_url + "/";
  if (!ctx.route.type.empty()) path += ctx.route.type + "/";
  if (!ctx.route.id.empty()) path += ctx.route.id + "/";
  return path + "_history";
}

// A page link repeating the query's filters plus its position.
std::string page_link(const InteractionContext& ctx, const storage::HistoryQuery& q,
                      std::optional<std::int64_t> snapshot, std::int64_t offset) {
  std::string url = history_path(ctx) + "?_count=" + std::to_string(q.count);
  for (std::string_view name : {"_since", "_at"}) {
    if (const std::string* v = ctx.request.param(name)) {
      url += "&" + std::string(name) + "=" + url_encode(*v);
    }
  }
  if (snapshot) url += "&_snapshot=" + std::to_string(*snapshot);
  if (offset > 0 || snapshot) url += "&_offset=" + std::to_string(offset);
  return url;
}

void write_entry(JsonWriter& w, const InteractionContext& ctx, const storage::ResourceVersion& v) {
  w.StartObject();
  w.Key("fullUrl");
  write_str(w, ctx.request.base_url + "/" + v.type + "/" + v.id);
  if (!v.deleted) {
    w.Key("resource");
    w.RawValue(v.body.data(), v.body.size(), rapidjson::kObjectType);
  }
  w.Key("request");
  w.StartObject();
  w.Key("method");
  write_str(w, v.method);
  w.Key("url");
  write_str(w, v.method == "POST" ? v.type : v.type + "/" + v.id);
  w.EndObject();
  w.Key("response");
  w.StartObject();
  w.Key("status");
  write_str(w, v.deleted ? "204 No Content" : v.method == "POST" ? "201 Created" : "200 OK");
  w.Key("etag");
  write_str(w, etag_for(v.version));
  w.Key("lastModified");
  write_str(w, format_instant(v.last_updated_micros));
  w.EndObject();
  w.EndObject();
}

}  // namespace

Result<Response> history_interaction(const InteractionContext& ctx) {
  // Instance history under patient/ scopes: the resource must be in the patient's compartment
  // (type and system history are refused under them by the authorize stage).
  if (ctx.route.interaction == Interaction::kHistoryInstance) {
    HEARTH_RETURN_IF_ERROR(require_reachable(ctx));
  }
  storage::HistoryQuery query;
  query.type = ctx.route.type;
  query.id = ctx.route.id;
  HEARTH_ASSIGN_OR_RETURN(const std::int64_t count,
                          integer_param(ctx.request, "_count", kDefaultCount, 0));
  HEARTH_ASSIGN_OR_RETURN(query.offset, integer_param(ctx.request, "_offset", 0, 0));
  HEARTH_ASSIGN_OR_RETURN(const std::int64_t snapshot,
                          integer_param(ctx.request, "_snapshot", -1, 0));
  HEARTH_ASSIGN_OR_RETURN(query.since_micros, instant_param(ctx.request, "_since"));
  HEARTH_ASSIGN_OR_RETURN(query.at_micros, instant_param(ctx.request, "_at"));
  query.count = std::min(count, kMaxCount);
  if (snapshot >= 0) query.snapshot = snapshot;

  HEARTH_ASSIGN_OR_RETURN(const storage::HistoryPage page, ctx.store.history(query));

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_bundle_head(w, ctx.ids.next_id(), ctx.clock.now_micros(), "history");
  w.Key("total");
  w.Int64(page.total);
  w.Key("link");
  w.StartArray();
  write_link(w, "self", page_link(ctx, query, query.snapshot, query.offset));
  write_link(w, "first", page_link(ctx, query, page.snapshot, 0));
  const std::int64_t next = next_page_offset(query.offset, query.count);
  if (next < page.total && query.count > 0) {
    write_link(w, "next", page_link(ctx, query, page.snapshot, next));
  }
  if (query.offset > 0) {
    write_link(w, "previous",
               page_link(ctx, query, page.snapshot,
                         std::max<std::int64_t>(0, query.offset - query.count)));
  }
  write_link(w, "last",
             page_link(ctx, query, page.snapshot, last_page_offset(page.total, query.count)));
  w.EndArray();
  if (!page.entries.empty()) {
    w.Key("entry");
    w.StartArray();
    for (const storage::ResourceVersion& v : page.entries) write_entry(w, ctx, v);
    w.EndArray();
  }
  w.EndObject();

  return fhir_response(200, std::string(buffer.GetString(), buffer.GetSize()), ctx.format);
}

}  // namespace hearth::api
