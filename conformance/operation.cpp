// Operation -> HTTP request, following the URL shapes of https://hl7.org/fhir/R4/http.html.
#include "conformance/operation.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "conformance/json_util.h"
#include "fhir/xml/xml_writer.h"

namespace hearth::conformance {
namespace {

constexpr std::array<std::string_view, 20> kKnownMembers = {
    "id",          "extension", "type",        "resource",      "label",
    "description", "accept",    "contentType", "destination",   "encodeRequestUrl",
    "method",      "origin",    "params",      "requestHeader", "requestId",
    "responseId",  "sourceId",  "targetId",    "url",           "modifierExtension"};

std::string mime(std::string_view value) {
  if (value == "json") return "application/fhir+json";
  if (value == "xml") return "application/fhir+xml";
  if (value == "ttl") return "text/turtle";
  return std::string(value);
}

struct Target {
  std::string type;
  std::string id;
  std::string version;
};

// The resource a targetId/sourceId fixture stands for on the server.
Result<Target> fixture_target(ScriptState& state, const std::string& fixture_id) {
  Fixture* f = state.find(fixture_id);
  if (f == nullptr) return Status(Code::kInvalidArgument, "no fixture '" + fixture_id + "'");
  Target t{.type = f->server_type, .id = f->server_id, .version = f->server_version};
  if (t.type.empty()) t.type = f->resource_type();
  if (t.id.empty() && f->resource) t.id = string_member(*f->resource, "id");
  if (t.version.empty() && f->resource) {
    if (const auto* meta = object_member(*f->resource, "meta"))
      t.version = string_member(*meta, "versionId");
  }
  if (t.id.empty()) {
    return Status(Code::kInvalidArgument, "fixture '" + fixture_id + "' has no server id yet");
  }
  return t;
}

// The body of `source_id` as text in the requested format, after ${} substitution; `id`, when
// not empty, replaces the resource's id (an update sends the id of its URL, whatever id the
// fixture had in the script, e.g. its contained id).
Result<std::string> body_of(ScriptState& state, const std::string& source_id, bool xml,
                            const std::string& id) {
  Fixture* f = state.find(source_id);
  if (f == nullptr) return Status(Code::kInvalidArgument, "no fixture '" + source_id + "'");
  if (!f->resource && !f->is_exchange && !f->raw_body.empty()) return state.substitute(f->raw_body);
  if (!f->resource) {
    return Status(Code::kInvalidArgument, "fixture '" + source_id + "' has no resource body");
  }
  auto text = state.substitute(fhir::write_json(*f->resource));
  if (!text) return text.status();
  if (!xml && id.empty()) return text;
  auto doc = fhir::parse_json(*text);
  if (!doc) return doc.status();
  if (!id.empty() && doc->IsObject()) {
    doc->RemoveMember("id");
    doc->AddMember("id", fhir::make_json_string(id, doc->GetAllocator()), doc->GetAllocator());
    if (!xml) return fhir::write_json(*doc);
  }
  std::string out;
  HEARTH_RETURN_IF_ERROR(fhir::write_xml_resource(*doc, false, out));
  return out;
}

struct Shape {
  std::string method;
  std::string path;  // below the base, no leading '/'
  bool needs_body = false;
};

Result<Shape> shape_for(const std::string& code, const std::string& type, const std::string& params,
                        ScriptState& state, const fhir::JsonValue& op) {
  std::string target_id = string_member(op, "targetId");
  std::string source_id = string_member(op, "sourceId");
  auto instance = [&](std::string_view suffix) -> Result<std::string> {
    if (!params.empty()) return type + params;
    std::string from = !target_id.empty() ? target_id : source_id;
    if (from.empty()) {
      return Status(Code::kInvalidArgument, code + " needs params or targetId");
    }
    auto t = fixture_target(state, from);
    if (!t) return t.status();
    std::string rtype = type.empty() ? t->type : type;
    if (suffix == "vread") {
      if (t->version.empty())
        return Status(Code::kInvalidArgument, "fixture '" + from + "' has no version id");
      return rtype + "/" + t->id + "/_history/" + t->version;
    }
    return rtype + "/" + t->id + std::string(suffix);
  };
  auto need_type = [&]() -> Status {
    if (type.empty())
      return Status(Code::kInvalidArgument,
                    code + " needs a resource type (resource, or a fixture)");
    return Status();
  };
  if (code == "capabilities")
    return Shape{.method = "GET", .path = "metadata" + params, .needs_body = false};
  if (code == "read" || code == "vread" || code == "delete" || code == "update" ||
      code == "updateCreate" || code == "patch") {
    auto path = instance(code == "vread" ? "vread" : "");
    if (!path) return path.status();
    std::string method = code == "delete"                               ? "DELETE"
                         : code == "patch"                              ? "PATCH"
                         : (code == "update" || code == "updateCreate") ? "PUT"
                                                                        : "GET";
    return Shape{
        .method = method, .path = *path, .needs_body = method == "PUT" || method == "PATCH"};
  }
  if (code == "history") {
    if (params.empty() && target_id.empty()) {
      return Shape{.method = "GET",
                   .path = type.empty() ? "_history" : type + "/_history",
                   .needs_body = false};
    }
    auto path = instance(params.empty() ? "/_history" : "");
    if (!path) return path.status();
    return Shape{.method = "GET", .path = *path, .needs_body = false};
  }
  if (code == "create") {
    HEARTH_RETURN_IF_ERROR(need_type());
    return Shape{.method = "POST", .path = type + params, .needs_body = true};
  }
  if (code == "search" || code == "deleteCondSingle" || code == "deleteCondMultiple") {
    return Shape{
        .method = code == "search" ? "GET" : "DELETE", .path = type + params, .needs_body = false};
  }
  if (code == "transaction" || code == "batch") {
    return Shape{.method = "POST", .path = params, .needs_body = true};
  }
  if (code == "validate") {
    HEARTH_RETURN_IF_ERROR(need_type());
    return Shape{.method = "POST", .path = type + "/$validate" + params, .needs_body = true};
  }
  if (params.find('$') != std::string::npos) {
    return Shape{.method = source_id.empty() ? "GET" : "POST",
                 .path = type + params,
                 .needs_body = !source_id.empty()};
  }
  return Status(
      Code::kNotImplemented,
      "operation type '" + code + "' is not supported without url or params naming a $operation");
}

// "http://host:port" of an absolute base URL ("http://host:port/fhir").
std::string server_root(const std::string& base_url) {
  std::size_t scheme = base_url.find("://");
  std::size_t path = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? base_url : base_url.substr(0, path);
}

// The method and path of `op`: from `url` when given (an absolute one goes to `absolute_url`),
// else from its type.
Result<Shape> request_shape(const fhir::JsonValue& op, ScriptState& state,
                            std::string& absolute_url) {
  std::string code = operation_code(op);
  if (op.HasMember("url")) {
    auto url = state.substitute(string_member(op, "url"));
    if (!url) return url.status();
    bool has_body = !string_member(op, "sourceId").empty();
    Shape shape{.method = has_body ? "POST" : "GET", .path = "", .needs_body = has_body};
    if (url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0) {
      absolute_url = *url;
    } else {
      shape.path = *url;  // "/x" is resolved against the server root, "x" against the base
    }
    return shape;
  }
  if (code.empty()) return Status(Code::kInvalidArgument, "operation has neither type nor url");
  auto params = state.substitute(string_member(op, "params"));
  if (!params) return params.status();
  std::string type = string_member(op, "resource");
  for (const char* fixture_key : {"sourceId", "targetId"}) {
    if (!type.empty()) break;
    std::string id = string_member(op, fixture_key);
    if (id.empty()) continue;
    if (Fixture* f = state.find(id))
      type = !f->server_type.empty() ? f->server_type : f->resource_type();
  }
  return shape_for(code, type, *params, state, op);
}

// The sourceId fixture as the body, in the contentType's format (an update's body carries the
// id of its URL).
Status add_body(const fhir::JsonValue& op, bool needs_body, ScriptState& state,
                HttpRequest& request) {
  std::string code = operation_code(op);
  std::string source_id = string_member(op, "sourceId");
  if (!needs_body && source_id.empty()) return Status();
  if (source_id.empty()) return Status(Code::kInvalidArgument, code + " needs sourceId (the body)");
  std::string content_type = string_member(op, "contentType");
  std::string url_id;
  if (code == "update" || code == "updateCreate") {
    std::string path = request.url.substr(0, request.url.find('?'));
    url_id = path.substr(path.rfind('/') + 1);
  }
  auto body = body_of(state, source_id, content_type.find("xml") != std::string::npos, url_id);
  if (!body) return body.status();
  request.body = std::move(body).value();
  request.headers.emplace_back(
      "Content-Type", mime(content_type.empty() ? "json" : content_type) + "; charset=utf-8");
  return Status();
}

// Accept, Authorization, then the script's requestHeaders (which replace same-named ones).
Status add_headers(const fhir::JsonValue& op, ScriptState& state, const RequestContext& context,
                   HttpRequest& request) {
  std::string accept = string_member(op, "accept");
  request.headers.emplace_back("Accept", mime(accept.empty() ? "json" : accept));
  if (!context.token.empty())
    request.headers.emplace_back("Authorization", "Bearer " + context.token);
  for (const auto* h : object_array(op, "requestHeader")) {
    std::string field = string_member(*h, "field");
    auto value = state.substitute(string_member(*h, "value"));
    if (!value) return value.status();
    std::erase_if(request.headers, [&](const auto& kv) {
      return kv.first.size() == field.size() &&
             std::equal(field.begin(), field.end(), kv.first.begin(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    });
    request.headers.emplace_back(field, std::move(value).value());
  }
  return Status();
}

}  // namespace

std::string operation_code(const fhir::JsonValue& operation) {
  const fhir::JsonValue* type = object_member(operation, "type");
  return type == nullptr ? std::string() : string_member(*type, "code");
}

std::string request_line(const HttpRequest& request) {
  return request.method + " " + request.url;
}

std::string excerpt(const std::string& body, std::size_t limit) {
  if (body.size() <= limit) return valid_utf8(body);
  // Cut before a UTF-8 continuation byte so the excerpt stays valid text.
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return valid_utf8(std::string_view(body).substr(0, cut)) + "... (" + std::to_string(body.size()) +
         " bytes)";
}

Result<HttpRequest> build_request(const fhir::JsonValue& op, ScriptState& state,
                                  const RequestContext& context) {
  std::vector<std::string_view> known(kKnownMembers.begin(), kKnownMembers.end());
  for (const auto& name : unknown_members(op, known)) {
    return Status(Code::kNotImplemented, "unknown operation element '" + name + "'");
  }
  if (op.HasMember("modifierExtension")) {
    return Status(Code::kNotImplemented,
                  "operation has a modifierExtension the runner does not understand");
  }
  HttpRequest request;
  auto shape = request_shape(op, state, request.url);
  if (!shape) return shape.status();
  if (request.url.empty() && !shape->path.empty() && shape->path[0] == '/') {
    request.url = server_root(context.base_url) + shape->path;
  } else if (request.url.empty()) {
    request.url = context.base_url;
    if (!shape->path.empty() && shape->path[0] != '?') request.url += "/";
    request.url += shape->path;
  }
  std::string method = string_member(op, "method");
  for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  request.method = method.empty() ? shape->method : method;
  HEARTH_RETURN_IF_ERROR(add_body(op, shape->needs_body, state, request));
  HEARTH_RETURN_IF_ERROR(add_headers(op, state, context, request));
  return request;
}

void record_exchange(const fhir::JsonValue& op, const HttpRequest& request,
                     const HttpResponse& response, ScriptState& state) {
  const std::string* content_type = find_header(response.headers, "Content-Type");
  Fixture exchange = fixture_from_body(response.body, content_type ? *content_type : "");
  exchange.is_exchange = true;
  exchange.request = request;
  exchange.status = response.status;
  exchange.headers = response.headers;
  std::string response_id = string_member(op, "responseId");
  if (!response_id.empty()) state.fixtures()[response_id] = exchange;
  std::string request_id = string_member(op, "requestId");
  if (!request_id.empty()) {
    const std::string* ct = find_header(request.headers, "Content-Type");
    Fixture req = fixture_from_body(request.body, ct ? *ct : "");
    req.is_exchange = true;
    req.request = request;
    state.fixtures()[request_id] = std::move(req);
  }
  std::string code = operation_code(op);
  std::string source_id = string_member(op, "sourceId");
  bool write = code == "create" || code == "update" || code == "updateCreate";
  if (write && !source_id.empty() && response.status >= 200 && response.status < 300) {
    if (Fixture* f = state.find(source_id)) {
      // Location: [base]/Type/id/_history/vid; the body's id and meta.versionId otherwise.
      if (const std::string* location = find_header(response.headers, "Location")) {
        std::string loc = *location;
        std::size_t hist = loc.find("/_history/");
        if (hist != std::string::npos) {
          f->server_version = loc.substr(hist + 10);
          loc.resize(hist);
        }
        std::size_t slash = loc.rfind('/');
        if (slash != std::string::npos && slash > 0) {
          f->server_id = loc.substr(slash + 1);
          std::size_t prev = loc.rfind('/', slash - 1);
          f->server_type = loc.substr(prev == std::string::npos ? 0 : prev + 1, slash - prev - 1);
        }
      }
      if (exchange.resource && exchange.resource->IsObject()) {
        std::string id = string_member(*exchange.resource, "id");
        if (!id.empty()) f->server_id = id;
        if (const auto* meta = object_member(*exchange.resource, "meta")) {
          std::string vid = string_member(*meta, "versionId");
          if (!vid.empty()) f->server_version = vid;
        }
        if (f->server_type.empty()) f->server_type = exchange.resource_type();
      }
      if (f->server_id.empty()) {  // update without a body or Location: the URL's id
        std::string path = request.url;
        std::size_t q = path.find('?');
        if (q != std::string::npos) path.resize(q);
        std::size_t slash = path.rfind('/');
        if (slash != std::string::npos) f->server_id = path.substr(slash + 1);
      }
    }
  }
  state.set_last(std::move(exchange));
}

}  // namespace hearth::conformance
