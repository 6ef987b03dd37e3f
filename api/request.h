// The FHIR REST core's input and output as plain values (STYLE 8): server/ fills a Request from
// the HTTP message and writes the Response back; nothing here knows about sockets, so the whole
// REST behaviour is testable in-process.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hearth::api {

// Which API a request is for: the FHIR REST core (below /fhir) or the HL7 v2 archive's
// operating API (below /hl7, api/hl7/archive_api.h).
enum class Endpoint { kFhir, kHl7 };

struct Grant;  // api/rest/smart_scopes.h

struct Request {
  Endpoint endpoint = Endpoint::kFhir;
  std::string method;  // "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", ...
  // Path below the endpoint's base without leading or trailing '/', percent-decoded, e.g.
  // "Patient/123/_history/2", "metadata", "" (the base itself); "messages/12" below /hl7.
  std::string path;
  // Query parameters in order, percent-decoded ('+' as space).
  std::vector<std::pair<std::string, std::string>> query;
  // Request headers that FHIR semantics depend on; empty when absent.
  std::string accept;
  std::string content_type;
  std::string if_match;
  std::string if_none_match;
  std::string if_none_exist;
  std::string if_modified_since;  // an HTTP-date
  std::string prefer;
  std::string body;
  // Absolute FHIR base URL used in Location headers and Bundle links, e.g.
  // "http://127.0.0.1:8080/fhir" (no trailing slash); the FHIR base for /hl7 requests too.
  std::string base_url;
  // The tenant whose data the request sees (docs/tenancy.md): under `--tenancy url` the path's
  // /fhir/[tenant]/... segment (and base_url ends with it), else "". The Service entry points
  // (handle, handle_async and the Finish it hands over) install it as the TenantScope of the
  // thread that runs them (core/tenant_scope.h), so the request's store calls run in it on
  // whatever thread the server chose; work they hand to threads of their own carries it along.
  std::string tenant;
  // What the request's bearer token grants (server/auth: SMART scopes, launch patient, admin),
  // owned by the caller and alive until the response is built; null when the server
  // authenticates no one (--auth none): then nothing is authorised. The REST core refuses an
  // interaction it does not allow (403) and holds patient/ scopes to the patient's compartment.
  const Grant* grant = nullptr;

  // The first value of a query parameter, or nullptr.
  const std::string* param(std::string_view name) const {
    for (const auto& [key, value] : query) {
      if (key == name) return &value;
    }
    return nullptr;
  }
};

struct Response {
  int status = 200;
  std::string content_type;  // empty when there is no body
  std::string body;
  // Extra headers: ETag, Last-Modified, Location, Content-Location, ...
  std::vector<std::pair<std::string, std::string>> headers;
  // Never sent. For a 500/503 the body carries only a generic message and `error_reference`;
  // the real text (SQL, database or exception message) is here, for server/ to log with the
  // same reference. Both empty for any other response.
  std::string error_reference;
  std::string error_detail;
};

}  // namespace hearth::api
