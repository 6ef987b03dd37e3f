// The archive API's stages: route (path + method) -> check parameters -> store call -> JSON.
#include "api/hl7/archive_api.h"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/hl7/route.h"
#include "api/hl7/view_json.h"
#include "api/hl7/x12_ingest.h"
#include "api/rest/outcome.h"
#include "api/rest/smart_scopes.h"
#include "core/tenant_scope.h"
#include "core/time_format.h"
#include "core/url_encoding.h"
#include "fhir/json.h"
#include "hl7/v2/ack.h"
#include "hl7/v2/message.h"

namespace hearth::api {
namespace {

constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";
constexpr std::array<std::string_view, 5> kListParameters = {"status", "type", "since", "_count",
                                                             "before"};

Response error(const Status& status) {
  return outcome_response(status, ResponseFormat{.format = Format::kJson, .pretty = true});
}

// `emit`'s JSON as the body (api/hl7/json_body.h: written twice, allocated once).
template <typename Emit>
Response json_response(Emit&& emit) {
  Response response;
  response.content_type = std::string(kJsonContentType);
  response.body = pretty_json(std::forward<Emit>(emit));
  return response;
}

// The /hl7 base beside the request's FHIR base: "http://h/fhir" -> "http://h/hl7";
// "http://h/other" -> "http://h/hl7"; with tenant t ("http://h/fhir/t") -> "http://h/hl7/t".
std::string hl7_base(const Request& request) {
  std::string_view fhir_base = request.base_url;
  std::string tenant_part;
  if (!request.tenant.empty()) {
    tenant_part = "/" + request.tenant;
    if (fhir_base.ends_with(tenant_part)) fhir_base.remove_suffix(tenant_part.size());
  }
  if (fhir_base.ends_with("/fhir")) {
    return std::string(fhir_base.substr(0, fhir_base.size() - 5)) + "/hl7" + tenant_part;
  }
  const std::size_t scheme = fhir_base.find("://");
  const std::size_t path = fhir_base.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  return std::string(fhir_base.substr(0, path)) + "/hl7" + tenant_part;
}

// A positive decimal integer that fits in int64, or nullopt.
std::optional<std::int64_t> positive_integer(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// A state-changing call must say it sends JSON: a browser sends a cross-site form POST
// (x-www-form-urlencoded, multipart/form-data, text/plain) without asking the server first,
// but a JSON content type needs a CORS preflight, which Hearth never grants.
Status require_json_content_type(const Request& request) {
  std::string type = request.content_type.substr(0, request.content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/json" || type == "application/fhir+json") return Status::ok();
  return Status(Code::kUnsupportedMediaType,
                "POST /hl7/" + request.path +
                    " needs Content-Type application/json or application/fhir+json" +
                    (request.content_type.empty() ? std::string(" (none was sent)")
                                                  : ", not '" + request.content_type + "'"));
}

Status invalid(std::string diagnostics) {
  return {Code::kInvalidArgument, std::move(diagnostics)};
}

// A FHIR dateTime/instant; an unencoded '+' of a zone offset arrives as a space and is taken
// back.
std::optional<std::int64_t> parse_since(const std::string& text) {
  auto micros = parse_instant_lower_bound(text);
  if (micros || text.find(' ') == std::string::npos) return micros;
  std::string plus = text;
  for (char& c : plus) c = c == ' ' ? '+' : c;
  return parse_instant_lower_bound(plus);
}

// The checked list parameters, and the query string that asks for them again.
struct ListQuery {
  storage::MessageFilter filter;
  std::int64_t count = Hl7ArchiveApi::kDefaultCount;
  // "name=value" pieces (encoded) of the filters, in kListParameters order, without
  // _count/before.
  std::string filters;
};

Result<ListQuery> parse_list_query(const Request& request) {
  std::array<const std::string*, kListParameters.size()> values{};
  for (const auto& [name, value] : request.query) {
    std::size_t i = 0;
    while (i < kListParameters.size() && kListParameters[i] != name) ++i;
    if (i == kListParameters.size()) {
      return invalid("unknown parameter '" + name +
                     "'; /hl7/messages takes status, type, since, _count and before");
    }
    if (values[i] != nullptr) return invalid("parameter '" + name + "' is given more than once");
    if (value.empty()) return invalid("parameter '" + name + "' has no value");
    values[i] = &value;
  }
  ListQuery q;
  auto add_filter = [&q](std::string_view name, std::string_view value) {
    if (!q.filters.empty()) q.filters.push_back('&');
    q.filters.append(name).append("=").append(percent_encode(value));
  };
  if (const std::string* status = values[0]) {
    q.filter.status = storage::parse_message_status(*status);
    if (!q.filter.status) {
      return invalid("status must be accepted, rejected or error, not '" + *status + "'");
    }
    add_filter("status", *status);
  }
  if (const std::string* type = values[1]) {
    q.filter.message_type = *type;
    add_filter("type", *type);
  }
  if (const std::string* since = values[2]) {
    q.filter.since_micros = parse_since(*since);
    if (!q.filter.since_micros) {
      return invalid("since must be a FHIR dateTime or instant (e.g. 2026-01-01T00:00:00Z), not '" +
                     *since + "'");
    }
    add_filter("since", format_instant(*q.filter.since_micros));
  }
  if (const std::string* count = values[3]) {
    auto n = positive_integer(*count);
    if (!n || *n > Hl7ArchiveApi::kMaxCount) {
      return invalid("_count must be an integer from 1 to " +
                     std::to_string(Hl7ArchiveApi::kMaxCount) + ", not '" + *count + "'");
    }
    q.count = *n;
  }
  if (const std::string* before = values[4]) {
    q.filter.before_id = positive_integer(*before);
    if (!q.filter.before_id) {
      return invalid("before must be a message id (a positive integer), not '" + *before + "'");
    }
  }
  q.filter.limit = q.count + 1;  // one more tells whether there is a next page
  return q;
}

std::string list_link(const std::string& base, const ListQuery& q,
                      std::optional<std::int64_t> before) {
  std::string link = base + "/messages?";
  if (!q.filters.empty()) link += q.filters + "&";
  link += "_count=" + std::to_string(q.count);
  if (before) link += "&before=" + std::to_string(*before);
  return link;
}

void write_string(PrettyJsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  write_text(w, value);
}

// The columns every view of a message shows (list entries, read, replay's row).
void write_columns(PrettyJsonWriter& w, const storage::ArchivedMessage& m,
                   const std::string& base) {
  w.Key("id");
  w.Int64(m.id);
  write_string(w, "receivedAt", format_instant(m.received_at_micros));
  write_string(w, "peer", m.peer);
  write_string(w, "sender", m.sender);
  write_string(w, "senderIdentity", m.sender_identity);
  write_string(w, "controlId", m.control_id);
  write_string(w, "type", m.message_type);
  write_string(w, "version", m.version);
  write_string(w, "status", storage::message_status_text(m.status));
  write_string(w, "ackCode", hl7::ack_code_of(m.ack));
  write_string(w, "note", m.note);
  write_string(w, "self", base + "/messages/" + std::to_string(m.id));
}

}  // namespace

Hl7ArchiveApi::Hl7ArchiveApi(storage::MessageArchive& store, Hl7Ingest& ingest,
                             storage::ResourceReader* resources)
    : store_(store), ingest_(ingest), resources_(resources) {}

StoreUse Hl7ArchiveApi::store_use(const Request& request) const {
  std::string allow;
  Result<Hl7Route> route = route_hl7_request(request.method, request.path, allow);
  return route.is_ok() ? route->store_use : StoreUse::kNone;
}

RouteFacts Hl7ArchiveApi::route_facts(const Request& request) const {
  std::string allow;
  Result<Hl7Route> route = route_hl7_request(request.method, request.path, allow);
  if (!route.is_ok()) return RouteFacts{};
  // hl7-list, hl7-read, hl7-replay, x12-ingest, in that order, in kInteractionLabels.
  constexpr int kFirst = [] {
    for (std::size_t i = 0; i < kInteractionLabels.size(); ++i) {
      if (kInteractionLabels[i] == "hl7-list") return static_cast<int>(i);
    }
    return 0;
  }();
  static_assert(kInteractionLabels[kFirst] == "hl7-list" &&
                kInteractionLabels[kFirst + 2] == "hl7-replay" &&
                kInteractionLabels[kFirst + 3] == "x12-ingest");
  return RouteFacts{route->store_use,
                    static_cast<std::uint8_t>(kFirst + static_cast<int>(route->operation))};
}

Response Hl7ArchiveApi::handle(const Request& request) const {
  const TenantScope tenant(request.tenant);  // api/request.h
  if (request.grant != nullptr) {
    if (Status admin = authorize_admin(*request.grant); !admin.is_ok()) return error(admin);
  }
  std::string allow;
  Result<Hl7Route> route = route_hl7_request(request.method, request.path, allow);
  if (!route.is_ok()) {
    Response response = error(route.status());
    if (!allow.empty()) response.headers.emplace_back("Allow", std::move(allow));
    return response;
  }
  Result<Response> response = execute(request, *route);
  if (!response.is_ok()) return error(response.status());
  return std::move(response).value();
}

Result<Response> Hl7ArchiveApi::execute(const Request& request, const Hl7Route& route) const {
  if (route.operation == Hl7Operation::kList) return list(request);
  if (route.operation == Hl7Operation::kX12) return post_x12(request);
  if (route.operation == Hl7Operation::kReplay) {
    HEARTH_RETURN_IF_ERROR(require_json_content_type(request));
  }
  auto id = positive_integer(route.id);
  if (!id) {
    return invalid("message id must be a positive integer, not '" + std::string(route.id) + "'");
  }
  if (!request.query.empty()) {
    return invalid("unknown parameter '" + request.query.front().first + "'; /hl7/" + request.path +
                   " takes none");
  }
  return route.operation == Hl7Operation::kReplay ? replay(request, *id) : read(request, *id);
}

Result<Response> Hl7ArchiveApi::list(const Request& request) const {
  HEARTH_ASSIGN_OR_RETURN(const ListQuery query, parse_list_query(request));
  HEARTH_ASSIGN_OR_RETURN(auto rows, store_.list_messages(query.filter));
  const bool more = static_cast<std::int64_t>(rows.size()) > query.count;
  if (more) rows.resize(static_cast<std::size_t>(query.count));

  const std::string base = hl7_base(request);
  return json_response([&](PrettyJsonWriter& w) {
    w.StartObject();
    write_string(w, "self", list_link(base, query, query.filter.before_id));
    if (more) write_string(w, "next", list_link(base, query, rows.back().id));
    w.Key("count");
    w.Int64(static_cast<std::int64_t>(rows.size()));
    w.Key("messages");
    w.StartArray();
    for (const storage::ArchivedMessage& m : rows) {
      w.StartObject();
      write_columns(w, m, base);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

// What the message wrote, from its Provenance: its id and the versioned references of its
// targets; nullopt for a message that wrote nothing (unmapped, rejected, error).
std::optional<Hl7ArchiveApi::Produced> Hl7ArchiveApi::produced_by(
    const storage::ArchivedMessage& m) const {
  if (resources_ == nullptr || m.status != storage::MessageStatus::kAccepted) return std::nullopt;
  const std::string id = std::string(kMessageProvenancePrefix) + std::to_string(m.id);
  Result<storage::ResourceVersion> provenance = resources_->read("Provenance", id);
  if (!provenance.is_ok()) return std::nullopt;
  Result<fhir::JsonDocument> doc = fhir::parse_json(provenance->body);
  if (!doc.is_ok()) return std::nullopt;
  Produced produced{.provenance = "Provenance/" + id, .references = {}};
  auto targets = doc->FindMember("target");
  if (targets != doc->MemberEnd() && targets->value.IsArray()) {
    for (const fhir::JsonValue& target : targets->value.GetArray()) {
      auto ref = target.FindMember("reference");
      if (ref != target.MemberEnd() && fhir::is_json_string(ref->value)) {
        produced.references.emplace_back(fhir::json_string(ref->value));
      }
    }
  }
  return produced;
}

Result<Response> Hl7ArchiveApi::read(const Request& request, std::int64_t id) const {
  HEARTH_ASSIGN_OR_RETURN(const storage::ArchivedMessage m, store_.read_message(id));
  const std::string base = hl7_base(request);
  const std::optional<Produced> produced = produced_by(m);
  // Everything the body shows is gathered first, since json_response writes it twice. The view
  // is the one copy of the decoded text; the parsed message only points into m.raw.
  hl7::ParseError parse_error;
  auto parsed = hl7::Message::parse(std::string_view(m.raw), &parse_error);
  std::optional<hl7::MessageView> view;
  if (parsed) view = hl7::view_of(*parsed);
  return json_response([&](PrettyJsonWriter& w) {
    w.StartObject();
    write_columns(w, m, base);
    write_string(w, "raw", m.raw);
    write_string(w, "ack", m.ack);
    if (produced) {
      write_string(w, "provenance", produced->provenance);
      w.Key("produced");
      w.StartArray();
      for (const std::string& reference : produced->references) write_text(w, reference);
      w.EndArray();
    }
    w.Key("parsed");
    if (view) {
      write_hl7_view(w, *view);
    } else {
      w.Null();
      w.Key("parseError");
      write_parse_error(w, parse_error);
    }
    w.EndObject();
  });
}

Result<Response> Hl7ArchiveApi::post_x12(const Request& request) const {
  std::string_view type = request.content_type;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type != "application/edi-x12") {
    return Status(Code::kUnsupportedMediaType,
                  "POST /x12 takes Content-Type application/edi-x12, not '" +
                      std::string(request.content_type) + "'");
  }
  if (!request.query.empty()) {
    return invalid("unknown parameter '" + request.query.front().first + "'; /x12 takes none");
  }
  if (!looks_like_x12(request.body)) {
    return invalid("the body is not an X12 interchange (it must open with ISA)");
  }
  Hl7IngestResult result = ingest_and_wait(ingest_, request.body, Hl7Peer("http"));
  if (!result.store_error.empty()) {
    return Status(Code::kUnavailable, "the interchange was not stored; send it again");
  }
  if (result.ack.empty()) {
    return invalid("the interchange has no readable ISA segment; nothing can acknowledge it");
  }
  Response response;
  response.status = 200;
  response.content_type = "application/edi-x12";
  response.body = std::move(result.ack);
  response.headers.emplace_back("X-Hearth-Ack-Code", result.ack_code);
  if (result.archive_id > 0) {
    response.headers.emplace_back(
        "Content-Location", hl7_base(request) + "/messages/" + std::to_string(result.archive_id));
  }
  response.headers.emplace_back("X-Hearth-Duplicate", result.duplicate ? "true" : "false");
  response.headers.emplace_back("X-Hearth-Resources", std::to_string(result.written.size()));
  return response;
}

Result<Response> Hl7ArchiveApi::replay(const Request& request, std::int64_t id) const {
  HEARTH_ASSIGN_OR_RETURN(const storage::ArchivedMessage original, store_.read_message(id));
  // The replayed copy keeps the identity the original's connection proved.
  const std::string address = "replay:" + std::to_string(id);
  Hl7IngestResult result =
      ingest_and_wait(ingest_, original.raw, Hl7Peer(address, original.sender_identity));
  if (result.archive_id == 0) {
    return Status(
        Code::kUnavailable,
        "the replay was not archived: " +
            (result.store_error.empty() ? std::string("no archive row") : result.store_error));
  }
  HEARTH_ASSIGN_OR_RETURN(const storage::ArchivedMessage row,
                          store_.read_message(result.archive_id));

  const std::string self = hl7_base(request) + "/messages/" + std::to_string(result.archive_id);
  return json_response([&](PrettyJsonWriter& w) {
    w.StartObject();
    w.Key("replayOf");
    w.Int64(id);
    w.Key("archiveId");
    w.Int64(result.archive_id);
    w.Key("duplicate");
    w.Bool(result.duplicate);
    write_string(w, "status", storage::message_status_text(row.status));
    write_string(w, "ackCode", result.ack_code);
    write_string(w, "ack", result.ack);
    w.Key("produced");
    w.StartArray();
    for (const std::string& written : result.written) write_text(w, written);
    w.EndArray();
    write_string(w, "self", self);
    w.EndObject();
  });
}

}  // namespace hearth::api
