// ValueSet/$expand (https://hl7.org/fhir/R4/valueset-operation-expand.html) of a value set named
// by `url` (stored in Hearth, else built in from the official package), or of the stored
// ValueSet/[id] (the instance level), over the stored and built-in code systems
// (terminology_source.h, which caches whole expansions); `filter` (text in the code or display),
// `offset`, `count` (at most kMaxExpandCount per page) and `activeOnly`. The answer is the
// ValueSet with an `expansion` (total, offset, the parameters used and the page of `contains`).
#include <charconv>

#include "api/rest/interactions.h"
#include "api/rest/operation_parameters.h"
#include "api/rest/terminology_source.h"
#include "core/time_format.h"
#include "fhir/terminology/code_system.h"
#include "fhir/terminology/expansion.h"

namespace hearth::api {
namespace {

// Codes one $expand page may hold.
constexpr std::size_t kMaxExpandCount = 1000;

Result<std::size_t> non_negative(const OperationParams& params, const char* name,
                                 std::size_t fallback, std::size_t max) {
  const std::string* text = params.get(name);
  if (text == nullptr) return fallback;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n > max) {
    return Status(Code::kInvalidArgument,
                  std::string(name) + " must be an integer from 0 to " + std::to_string(max), name);
  }
  return n;
}

void write_item(JsonWriter& w, const fhir::terminology::ExpansionItem& item) {
  w.StartObject();
  w.Key("system");
  write_str(w, item.system);
  if (!item.version.empty()) {
    w.Key("version");
    write_str(w, item.version);
  }
  if ((item.flags & fhir::terminology::kConceptNotSelectable) != 0) {
    w.Key("abstract");
    w.Bool(true);
  }
  if ((item.flags & fhir::terminology::kConceptInactive) != 0) {
    w.Key("inactive");
    w.Bool(true);
  }
  w.Key("code");
  write_str(w, item.code);
  if (!item.display.empty()) {
    w.Key("display");
    write_str(w, item.display);
  }
  w.EndObject();
}

void write_integer_parameter(JsonWriter& w, const char* name, std::size_t value) {
  w.StartObject();
  w.Key("name");
  w.String(name);
  w.Key("valueInteger");
  w.Uint64(value);
  w.EndObject();
}

}  // namespace

Result<Response> expand_operation(const InteractionContext& ctx) {
  namespace term = fhir::terminology;
  HEARTH_ASSIGN_OR_RETURN(OperationParams params, read_operation_params(ctx));
  const std::string* url = params.get("url");
  if (url == nullptr && ctx.route.id.empty()) {
    return Status(Code::kInvalidArgument,
                  "$expand needs url: the canonical URL of a stored or built-in value set", "url");
  }
  term::ExpandOptions options;
  if (const std::string* filter = params.get("filter")) options.filter = *filter;
  if (const std::string* active = params.get("activeOnly")) {
    if (*active != "true" && *active != "false") {
      return Status(Code::kInvalidArgument, "activeOnly must be true or false", "activeOnly");
    }
    options.active_only = *active == "true";
  }
  HEARTH_ASSIGN_OR_RETURN(options.offset, non_negative(params, "offset", 0, term::kMaxExpansion));
  HEARTH_ASSIGN_OR_RETURN(options.count,
                          non_negative(params, "count", kMaxExpandCount, kMaxExpandCount));
  StoredTerminology source(ctx.reader);
  HEARTH_ASSIGN_OR_RETURN(auto whole, ctx.route.id.empty() ? source.expansion(*url)
                                                           : source.expansion_by_id(ctx.route.id));
  const term::Compose* vs = &whole->compose;
  term::Expansion expansion = term::page_of(whole->items, options);

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("resourceType");
  w.String("ValueSet");
  if (!ctx.route.id.empty()) {
    w.Key("id");
    write_str(w, ctx.route.id);
  }
  if (!vs->url.empty()) {
    w.Key("url");
    write_str(w, vs->url);
  }
  for (auto [key, value] : {std::pair{"version", vs->version}, std::pair{"name", vs->name},
                            std::pair{"title", vs->title}}) {
    if (value.empty()) continue;
    w.Key(key);
    write_str(w, value);
  }
  w.Key("status");
  write_str(w, vs->status.empty() ? std::string_view("active") : vs->status);
  w.Key("expansion");
  w.StartObject();
  w.Key("timestamp");
  write_str(w, format_instant(ctx.clock.now_micros()));
  w.Key("total");
  w.Uint64(expansion.total);
  w.Key("offset");
  w.Uint64(options.offset);
  w.Key("parameter");
  w.StartArray();
  // The client's filter text is not echoed: it may not be valid UTF-8.
  write_integer_parameter(w, "offset", options.offset);
  write_integer_parameter(w, "count", options.count);
  if (options.active_only) {
    w.StartObject();
    w.Key("name");
    w.String("activeOnly");
    w.Key("valueBoolean");
    w.Bool(true);
    w.EndObject();
  }
  w.EndArray();
  if (!expansion.items.empty()) {
    w.Key("contains");
    w.StartArray();
    for (const term::ExpansionItem& item : expansion.items) write_item(w, item);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return fhir_response(200, std::string(buffer.GetString(), buffer.GetSize()), ctx.format);
}

}  // namespace hearth::api
