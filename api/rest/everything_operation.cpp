// Patient/[id]/$everything (patient-operation-everything.html) over the patient's compartment:
// the Patient itself, then every resource of each type of the official Patient
// CompartmentDefinition that links to it, type after type, as a searchset Bundle. Each type is
// a compartment search of the store (the same query GET Patient/[id]/[type] runs), so the pages
// are keyset pages too: the `_cursor` of a next link names the type it stopped in and the
// store's own cursor within it ("12:<store cursor>"), and a write between two page requests
// shifts nothing. Parameters: _since (lastUpdated at or after), _type (a comma list of
// compartment types), _count (page size, at most fhir::search::kMaxCount); start and end
// (clinical dates) are refused with 400 rather than ignored. Resources the compartment
// references but that are outside it (a Practitioner, a Medication) are not included.
// Under a token, types the grant may not read are left out (as _include does).
#include <algorithm>
#include <charconv>
#include <optional>

#include "api/rest/bundle_links.h"
#include "api/rest/compartment_access.h"
#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "api/rest/smart_scopes.h"
#include "core/time_format.h"
#include "core/url_encoding.h"
#include "fhir/model.h"

namespace hearth::api {
namespace {

struct EverythingParams {
  std::optional<std::int64_t> since;
  std::string since_text;
  std::vector<std::string> types;  // the compartment's types asked for, in the order searched
  std::string type_text;
  int count = fhir::search::kDefaultCount;
  std::size_t first_type = 0;  // index into `types` of the page's first type
  std::string inner_cursor;    // the store's cursor within types[first_type]
};

// Every type of the Patient compartment, Patient first, then alphabetically.
std::vector<std::string> compartment_types() {
  std::vector<std::string> out{"Patient"};
  for (const fhir::CompartmentEntry& entry : fhir::compartment_entries()) {
    if (entry.compartment == "Patient" && entry.resource_type != "Patient" &&
        !entry.params.empty()) {
      out.emplace_back(entry.resource_type);
    }
  }
  return out;
}

Result<EverythingParams> parse_params(const Request& request) {
  EverythingParams p;
  const std::vector<std::string> all = compartment_types();
  std::string cursor;
  for (const auto& [name, value] : request.query) {
    if (name == "_since") {
      p.since = parse_instant_lower_bound(value);
      if (!p.since) {
        return Status(Code::kInvalidArgument, "_since '" + value + "' is not a FHIR instant",
                      "_since");
      }
      p.since_text = value;
    } else if (name == "_type") {
      p.type_text = value;
    } else if (name == "_count") {
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size() || n < 1) {
        return Status(Code::kInvalidArgument, "_count must be an integer >= 1", "_count");
      }
      p.count = std::min(n, fhir::search::kMaxCount);
    } else if (name == "_cursor") {
      cursor = value;
    } else if (name == "_format" || name == "_pretty") {
      continue;
    } else {
      return Status(Code::kInvalidArgument,
                    "$everything does not support the parameter '" + name +
                        "' (supported: _since, _type, _count)",
                    name);
    }
  }
  if (p.type_text.empty()) {
    p.types = all;
  } else {
    std::string_view rest = p.type_text;
    std::size_t listed = 0;
    while (!rest.empty() || listed == 0) {
      const std::size_t comma = rest.find(',');
      const std::string_view one = rest.substr(0, comma);
      if (++listed > all.size()) {
        return Status(Code::kInvalidArgument, "_type lists more types than there are", "_type");
      }
      if (std::find(all.begin(), all.end(), one) == all.end()) {
        return Status(Code::kInvalidArgument,
                      "_type: '" + std::string(one) + "' is not in the Patient compartment",
                      "_type");
      }
      if (std::find(p.types.begin(), p.types.end(), one) == p.types.end()) {
        p.types.emplace_back(one);
      }
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    }
    // Searched in the compartment's order, whatever the order given.
    std::vector<std::string> ordered;
    for (const std::string& type : all) {
      if (std::find(p.types.begin(), p.types.end(), type) != p.types.end()) {
        ordered.push_back(type);
      }
    }
    p.types = std::move(ordered);
  }
  if (!cursor.empty()) {
    const std::size_t colon = cursor.find(':');
    auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + colon, p.first_type);
    if (colon == std::string::npos || ec != std::errc() || end != cursor.data() + colon ||
        p.first_type >= p.types.size()) {
      return Status(Code::kInvalidArgument, "_cursor is not one this server gave", "_cursor");
    }
    p.inner_cursor = cursor.substr(colon + 1);
  }
  return p;
}

std::string page_link(const InteractionContext& ctx, const EverythingParams& p,
                      const std::string& cursor) {
  std::string url = ctx.request.base_url + "/Patient/" + ctx.route.id + "/$everything?";
  if (!p.since_text.empty()) url += "_since=" + url_encode(p.since_text) + "&";
  if (!p.type_text.empty()) url += "_type=" + url_encode(p.type_text) + "&";
  url += "_count=" + std::to_string(p.count);
  if (!cursor.empty()) url += "&_cursor=" + url_encode(cursor);
  return url;
}

// One compartment search of `type`: at most `count` matches after `cursor`.
Result<storage::SearchPage> search_type(const InteractionContext& ctx, const EverythingParams& p,
                                        const std::string& type, int count,
                                        const std::string& cursor) {
  std::vector<std::pair<std::string, std::string>> params;
  if (p.since) params.emplace_back("_lastUpdated", "ge" + format_instant(*p.since));
  HEARTH_ASSIGN_OR_RETURN(fhir::search::SearchQuery query,
                          fhir::search::parse_search(type, params, ctx.request.base_url, true));
  HEARTH_ASSIGN_OR_RETURN(query.compartment, patient_compartment(ctx.route.id, type));
  query.count = count;
  query.cursor = cursor;
  query.total = fhir::search::TotalMode::kNone;
  return ctx.reader.search(query);
}

}  // namespace

Result<Response> everything_operation(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(EverythingParams p, parse_params(ctx.request));
  // 404 / 410 for a patient that is not there, as a read says it.
  HEARTH_RETURN_IF_ERROR(ctx.reader.read("Patient", ctx.route.id).status());

  std::vector<storage::ResourceVersion> entries;
  std::string next;
  std::string cursor = p.inner_cursor;
  for (std::size_t t = p.first_type; t < p.types.size(); ++t, cursor.clear()) {
    const std::string& type = p.types[t];
    if (ctx.request.grant != nullptr && !reach_of_type(*ctx.request.grant, type)) continue;
    const int room = p.count - static_cast<int>(entries.size());
    if (room == 0) {
      next = std::to_string(t) + ":";
      break;
    }
    HEARTH_ASSIGN_OR_RETURN(storage::SearchPage page, search_type(ctx, p, type, room, cursor));
    for (storage::ResourceVersion& v : page.entries) entries.push_back(std::move(v));
    if (!page.next_cursor.empty()) {
      next = std::to_string(t) + ":" + page.next_cursor;
      break;
    }
  }

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_bundle_head(w, ctx.ids.next_id(), ctx.clock.now_micros(), "searchset");
  w.Key("link");
  w.StartArray();
  write_link(w, "self",
             page_link(ctx, p,
                       p.inner_cursor.empty() && p.first_type == 0
                           ? std::string()
                           : std::to_string(p.first_type) + ":" + p.inner_cursor));
  write_link(w, "first", page_link(ctx, p, ""));
  if (!next.empty()) write_link(w, "next", page_link(ctx, p, next));
  w.EndArray();
  if (!entries.empty()) {
    w.Key("entry");
    w.StartArray();
    for (const storage::ResourceVersion& v : entries) {
      w.StartObject();
      w.Key("fullUrl");
      write_str(w, ctx.request.base_url + "/" + v.type + "/" + v.id);
      w.Key("resource");
      w.RawValue(v.body.data(), v.body.size(), rapidjson::kObjectType);
      w.Key("search");
      w.StartObject();
      w.Key("mode");
      w.String("match");
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return fhir_response(200, std::string(buffer.GetString(), buffer.GetSize()), ctx.format);
}

}  // namespace hearth::api
