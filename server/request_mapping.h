// Translation between Beast HTTP messages and the REST core's plain values: a request head and
// body become an api::Request (endpoint chosen by the base, /fhir or /hl7, which is stripped;
// path and query percent-decoded, the headers FHIR semantics depend on copied, the base URL
// resolved); an api::Response becomes a Beast
// response with Content-Type, Content-Length, Date, Server and the extra headers.
//
// Pure functions, no I/O; thread-safe.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

#include "api/request.h"
#include "core/status.h"
#include "server/host_check.h"

namespace hearth::server {

namespace http = boost::beast::http;

inline constexpr std::string_view kFhirBase = "/fhir";
// The HL7 v2 archive's operating API (api/hl7/archive_api.h).
inline constexpr std::string_view kHl7Base = "/hl7";
// X12 interchanges are posted here (the /hl7 API's "x12" route).
inline constexpr std::string_view kX12Path = "/x12";

// What the request head needs beyond itself.
struct MappingContext {
  std::string_view base_url;            // --base-url, without trailing '/'; empty: from Host
  std::string_view fallback_host;       // "HOST:PORT" we listen on, when there is no Host header
  const HostPolicy* hosts = nullptr;    // null: any Host is served
  std::string_view scheme = "http://";  // of the listener: "https://" on a TLS one
  // --tenancy url: the first segment below the base names the tenant (server/tenant_path.h).
  bool tenant_in_path = false;
};

// The Host header check map_request_head starts with. Errors: kMalformed for a Host header
// with characters no host name has, then kInvalidArgument (400) for a Host the policy does not
// serve.
Status check_host(const http::request_header<>& head, const MappingContext& context);

// Fills `out` from `head`: method, Accept/Content-Type/If-Match/If-None-Match/If-None-Exist/
// Prefer, base_url, then path and query. The headers and base_url are filled even when the
// target is rejected, so an error response can still honour Accept.
// Targets at or below /hl7 get endpoint kHl7 and the path below /hl7; base_url stays the FHIR
// base. With `tenant_in_path` the tenant segment (/fhir/[tenant]/..., /hl7/[tenant]/...,
// /x12/[tenant]) is taken into `out.tenant`, the path is what follows it and base_url ends
// with it ("http://host/fhir/[tenant]"); without, `out.tenant` stays "". Errors: kMalformed for a
// Host header with characters no host name has, then kInvalidArgument (400) for a Host the policy
// does not serve (both checked first); kNotFound when the target is neither /fhir nor /hl7 nor
// below them; take_tenant's kNotFound / kMalformed for a missing or malformed tenant; kMalformed
// for bad percent-encoding (%GG, truncated %4).
Status map_request_head(const http::request_header<>& head, const MappingContext& context,
                        api::Request& out);

// Builds the wire response, moving the body. For `head_only` the body is dropped but
// Content-Length still tells the size of the GET body. `keep_alive` false adds
// "Connection: close".
http::response<http::string_body> to_beast_response(api::Response&& response, unsigned version,
                                                    bool keep_alive, bool head_only);

}  // namespace hearth::server
