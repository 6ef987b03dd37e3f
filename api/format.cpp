// Media-type matching for _format, Accept and Content-Type.
#include "api/format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "fhir/json.h"

namespace hearth::api {
namespace {

constexpr std::array<std::string_view, 5> kJsonTypes = {
    "application/fhir+json", "application/json", "application/json+fhir", "json", "text/json"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The media type without parameters ("application/fhir+json; charset=utf-8" -> first part).
std::string_view media_type(std::string_view value) { return trim(value.substr(0, value.find(';'))); }

bool is_json_type(std::string_view type) {
  return std::any_of(kJsonTypes.begin(), kJsonTypes.end(),
                     [&](std::string_view t) { return iequals(t, type); });
}

// q=0 in the parameters excludes the type.
bool excluded_by_q(std::string_view item) {
  std::size_t semi = item.find(';');
  while (semi != std::string_view::npos) {
    std::string_view rest = item.substr(semi + 1);
    std::size_t next = rest.find(';');
    std::string_view param = trim(rest.substr(0, next));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      std::string_view q = param.substr(2);
      return q.find_first_not_of("0.") == std::string_view::npos;
    }
    semi = next == std::string_view::npos ? next : semi + 1 + next;
  }
  return false;
}

bool accept_allows_json(std::string_view accept) {
  if (trim(accept).empty()) return true;
  while (!accept.empty()) {
    std::size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    std::string_view type = media_type(item);
    if (!excluded_by_q(item) &&
        (is_json_type(type) || type == "*/*" || iequals(type, "application/*"))) {
      return true;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

Result<ResponseFormat> negotiate_response_format(const Request& request) {
  ResponseFormat out;
  if (const std::string* pretty = request.param("_pretty")) {
    if (*pretty == "true") {
      out.pretty = true;
    } else if (*pretty != "false") {
      return Status(Code::kInvalidArgument, "_pretty must be true or false", "_pretty");
    }
  }
  if (const std::string* format = request.param("_format")) {
    if (!is_json_type(media_type(*format))) {
      return Status(Code::kNotAcceptable, "_format '" + *format +
                                              "' is not served; this server answers in JSON "
                                              "(json, application/fhir+json)");
    }
    return out;
  }
  if (!accept_allows_json(request.accept)) {
    return Status(Code::kNotAcceptable, "no representation matches Accept '" + request.accept +
                                            "'; this server answers in application/fhir+json");
  }
  return out;
}

ResponseFormat response_format_or_default(const Request& request) {
  ResponseFormat out;
  if (const std::string* pretty = request.param("_pretty")) out.pretty = *pretty == "true";
  return out;
}

Response json_response(int status, std::string body, const ResponseFormat& format) {
  Response response;
  response.status = status;
  response.content_type = std::string(kFhirJsonContentType);
  response.body = std::move(body);
  if (format.pretty) {
    auto doc = fhir::parse_json(response.body);
    if (doc.is_ok()) response.body = fhir::write_json(*doc, true);
  }
  return response;
}

Status check_body_content_type(const Request& request) {
  std::string_view type = media_type(request.content_type);
  if (type.empty() || is_json_type(type)) return Status::ok();
  return Status(Code::kUnsupportedMediaType,
                "Content-Type '" + request.content_type +
                    "' is not supported; send application/fhir+json");
}

}  // namespace hearth::api
