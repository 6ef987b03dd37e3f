// Beast message <-> api::Request / api::Response. The request side decodes exactly once and
// copies only the headers the REST core reads; the response side moves the body.
#include "server/request_mapping.h"

#include <algorithm>
#include <boost/beast/http/field.hpp>

#include "core/url_encoding.h"
#include "server/date_cache.h"
#include "server/tenant_path.h"

namespace hearth::server {
namespace {

void copy_field(const http::request_header<>& head, http::field field, std::string& out) {
  auto it = head.find(field);
  if (it != head.end()) out.assign(it->value().data(), it->value().size());
}

void copy_field(const http::request_header<>& head, std::string_view name, std::string& out) {
  auto it = head.find(boost::beast::string_view(name.data(), name.size()));
  if (it != head.end()) out.assign(it->value().data(), it->value().size());
}

// "http://host:port/fhir/x" -> "/fhir/x" (absolute-form targets, RFC 7230 5.3.2).
std::string_view origin_form(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.starts_with(scheme)) {
      std::size_t slash = target.find('/', scheme.size());
      return slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  return target;
}

// Decodes the path below the base segment by segment, joined with '/', without leading or
// trailing '/'.
bool decode_path(std::string_view rest, std::string& out) {
  out.clear();
  std::string segment;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (raw.empty()) continue;
    if (!percent_decode(raw, false, segment)) return false;
    if (!out.empty()) out.push_back('/');
    out += segment;
  }
  return true;
}

// RFC 3986 host[:port] characters (reg-name, IP literal, port). The Host header ends up in
// Location headers and Bundle links, so anything else (spaces, quotes, bytes that are not
// ASCII) is refused rather than echoed.
bool is_host_syntax(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~!$&'()*+,;=:[]%").find(c) != std::string_view::npos;
  });
}

std::string_view host_of(const http::request_header<>& head) {
  auto host = head.find(http::field::host);
  return host != head.end() ? std::string_view(host->value().data(), host->value().size())
                            : std::string_view();
}

}  // namespace

Status check_host(const http::request_header<>& head, const MappingContext& context) {
  const std::string_view sent_host = host_of(head);
  if (!is_host_syntax(sent_host)) {
    return Status(Code::kMalformed, "malformed Host header '" + std::string(sent_host) + "'");
  }
  if (context.hosts != nullptr && !host_allowed(*context.hosts, sent_host)) {
    return Status(Code::kInvalidArgument,
                  "Host '" + std::string(sent_host) +
                      "' is not served here (DNS rebinding guard; see --allowed-hosts)");
  }
  return Status::ok();
}

Status map_request_head(const http::request_header<>& head, const MappingContext& context,
                        api::Request& out) {
  auto method = head.method_string();
  out.method.assign(method.data(), method.size());
  copy_field(head, http::field::accept, out.accept);
  copy_field(head, http::field::content_type, out.content_type);
  copy_field(head, http::field::if_match, out.if_match);
  copy_field(head, http::field::if_none_match, out.if_none_match);
  copy_field(head, "If-None-Exist", out.if_none_exist);
  copy_field(head, "If-Modified-Since", out.if_modified_since);
  copy_field(head, "Prefer", out.prefer);
  const std::string_view sent_host = host_of(head);
  if (Status host = check_host(head, context); !host.is_ok()) {
    out.base_url.assign(context.scheme).append(context.fallback_host).append(kFhirBase);
    return host;
  }
  if (!context.base_url.empty()) {
    out.base_url.assign(context.base_url);
  } else {
    std::string_view host_text = !sent_host.empty() ? sent_host : context.fallback_host;
    out.base_url.reserve(context.scheme.size() + host_text.size() + kFhirBase.size());
    out.base_url.assign(context.scheme);
    out.base_url += host_text;
    out.base_url += kFhirBase;
  }

  std::string_view target =
      origin_form(std::string_view(head.target().data(), head.target().size()));
  std::size_t mark = target.find_first_of("?#");
  std::string_view path = target.substr(0, mark);
  std::string_view query;
  if (mark != std::string_view::npos && target[mark] == '?') {
    query = target.substr(mark + 1);
    query = query.substr(0, query.find('#'));
  }
  auto below = [&path](std::string_view base) {
    return path.starts_with(base) && (path.size() == base.size() || path[base.size()] == '/');
  };
  std::string_view base = kFhirBase;
  if (below(kX12Path)) {
    // POST /x12: served by the /hl7 API as its "x12" route (api/hl7/route.cpp).
    out.endpoint = api::Endpoint::kHl7;
    base = kX12Path;
  } else if (!below(kFhirBase)) {
    if (!below(kHl7Base)) {
      return Status(Code::kNotFound, "no FHIR endpoint at '" + std::string(path) +
                                         "'; the FHIR base is " + std::string(kFhirBase));
    }
    out.endpoint = api::Endpoint::kHl7;
    base = kHl7Base;
  }
  std::string_view rest = path.substr(base.size());
  if (context.tenant_in_path) {
    HEARTH_RETURN_IF_ERROR(take_tenant(base, rest, out.tenant));
    out.base_url += '/';
    out.base_url += out.tenant;
  }
  if (base == kX12Path) {
    if (rest.find_first_not_of('/') != std::string_view::npos) {
      return Status(Code::kNotFound,
                    "no endpoint at '" + std::string(path) + "'; X12 interchanges are posted to " +
                        std::string(kX12Path) + (context.tenant_in_path ? "/[tenant]" : ""));
    }
    out.path = "x12";
  } else if (!decode_path(rest, out.path)) {
    return Status(Code::kMalformed, "malformed percent-encoding in the request path");
  }
  if (!parse_query(query, out.query)) {
    return Status(Code::kMalformed, "malformed percent-encoding in the query string");
  }
  return Status::ok();
}

http::response<http::string_body> to_beast_response(api::Response&& response, unsigned version,
                                                    bool keep_alive, bool head_only) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), version};
  out.set(http::field::server, "hearth");
  std::string_view date = current_http_date();
  out.set(http::field::date, boost::beast::string_view(date.data(), date.size()));
  if (!response.content_type.empty()) out.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) out.insert(name, value);
  // 204 and 304 carry no body and no Content-Length (RFC 7230 3.3.2).
  if (response.status != 204 && response.status != 304) {
    std::size_t length = response.body.size();
    if (!head_only) out.body() = std::move(response.body);
    out.content_length(length);
  }
  out.keep_alive(keep_alive);
  return out;
}

}  // namespace hearth::server
