// Headers and bodies of single-version responses.
#include "api/rest/version_response.h"

#include <charconv>

#include "api/rest/outcome.h"
#include "core/time_format.h"

namespace hearth::api {
namespace {

void add_version_headers(Response& response, const storage::ResourceVersion& version) {
  response.headers.emplace_back("ETag", etag_for(version.version));
  response.headers.emplace_back("Last-Modified", format_http_date(version.last_updated_micros));
}

}  // namespace

PreferReturn prefer_return(const Request& request) {
  std::string_view prefer = request.prefer;
  std::size_t pos = prefer.find("return=");
  if (pos == std::string_view::npos) return PreferReturn::kRepresentation;
  std::string_view value = prefer.substr(pos + 7);
  value = value.substr(0, value.find_first_of(" ;,"));
  if (value == "minimal") return PreferReturn::kMinimal;
  if (value == "OperationOutcome") return PreferReturn::kOperationOutcome;
  return PreferReturn::kRepresentation;
}

std::string etag_for(std::int64_t version) {
  return "W/\"" + std::to_string(version) + "\"";
}

Result<std::int64_t> parse_if_match(std::string_view header) {
  std::string_view s = header;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.substr(0, 2) == "W/") s.remove_prefix(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  std::int64_t version = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), version);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || version < 1) {
    return Status(Code::kInvalidArgument,
                  "If-Match '" + std::string(header) + "' is not a version ETag like W/\"3\"");
  }
  return version;
}

Response version_response(const storage::ResourceVersion& version, const ResponseFormat& format) {
  Response response = fhir_response(200, version.body, format);
  add_version_headers(response, version);
  return response;
}

Response write_response(int status, const storage::ResourceVersion& version, const Request& request,
                        const ResponseFormat& format) {
  Response response;
  switch (prefer_return(request)) {
    case PreferReturn::kMinimal: response.status = status; break;
    case PreferReturn::kOperationOutcome:
      response = fhir_response(
          status,
          information_outcome_json((status == 201 ? "created " : "updated ") + version.type + "/" +
                                       version.id + " version " + std::to_string(version.version),
                                   false),
          format);
      break;
    case PreferReturn::kRepresentation:
      response = fhir_response(status, version.body, format);
      break;
  }
  add_version_headers(response, version);
  response.headers.emplace_back("Location", request.base_url + "/" + version.type + "/" +
                                                version.id + "/_history/" +
                                                std::to_string(version.version));
  return response;
}

}  // namespace hearth::api
