// Media-type matching for _format, Accept and Content-Type.
#include "api/rest/format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "api/rest/outcome.h"
#include "fhir/json.h"
#include "fhir/xml/xml_writer.h"

namespace hearth::api {
namespace {

constexpr std::array<std::string_view, 5> kJsonTypes = {
    "application/fhir+json", "application/json", "application/json+fhir", "json", "text/json"};
constexpr std::array<std::string_view, 5> kXmlTypes = {"application/fhir+xml", "application/xml",
                                                       "application/xml+fhir", "xml", "text/xml"};

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
std::string_view media_type(std::string_view value) {
  return trim(value.substr(0, value.find(';')));
}

template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& types, std::string_view type) {
  return std::any_of(types.begin(), types.end(),
                     [&](std::string_view t) { return iequals(t, type); });
}

// The served format a media type names (wildcards mean the default, JSON), or nullopt.
std::optional<Format> format_of(std::string_view type) {
  if (is_one_of(kJsonTypes, type) || type == "*/*" || iequals(type, "application/*")) {
    return Format::kJson;
  }
  if (is_one_of(kXmlTypes, type)) return Format::kXml;
  return std::nullopt;
}

// The q parameter of an Accept item, in thousandths (1000 when absent or unreadable).
int quality_of(std::string_view item) {
  std::size_t semi = item.find(';');
  while (semi != std::string_view::npos) {
    std::string_view rest = item.substr(semi + 1);
    std::size_t next = rest.find(';');
    std::string_view param = trim(rest.substr(0, next));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      std::string_view q = param.substr(2);
      if (q.empty() || (q[0] != '0' && q[0] != '1')) return 1000;
      int value = (q[0] - '0') * 1000;
      int scale = 100;
      for (std::size_t i = 2; i < q.size() && i < 5 && q[1] == '.'; ++i, scale /= 10) {
        if (q[i] < '0' || q[i] > '9') break;
        value += (q[i] - '0') * scale;
      }
      return std::min(value, 1000);
    }
    semi = next == std::string_view::npos ? next : semi + 1 + next;
  }
  return 1000;
}

// The served format Accept prefers: highest q, first listed on a tie; nullopt when none is
// acceptable. An empty Accept accepts anything.
std::optional<Format> format_from_accept(std::string_view accept) {
  if (trim(accept).empty()) return Format::kJson;
  std::optional<Format> best;
  int best_q = 0;
  while (!accept.empty()) {
    std::size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    std::optional<Format> format = format_of(media_type(item));
    const int q = quality_of(item);
    if (format && q > best_q) {
      best = format;
      best_q = q;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return best;
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
    std::string_view type = media_type(*format);
    std::optional<Format> chosen;
    if (is_one_of(kJsonTypes, type)) chosen = Format::kJson;
    if (is_one_of(kXmlTypes, type)) chosen = Format::kXml;
    if (!chosen) {
      return Status(Code::kNotAcceptable,
                    "_format '" + *format +
                        "' is not served; this server answers in JSON (json, "
                        "application/fhir+json) and XML (xml, application/fhir+xml)");
    }
    out.format = *chosen;
    return out;
  }
  std::optional<Format> chosen = format_from_accept(request.accept);
  if (!chosen) {
    return Status(Code::kNotAcceptable,
                  "no representation matches Accept '" + request.accept +
                      "'; this server answers in application/fhir+json and application/fhir+xml");
  }
  out.format = *chosen;
  return out;
}

ResponseFormat response_format_or_default(const Request& request) {
  Result<ResponseFormat> negotiated = negotiate_response_format(request);
  if (negotiated.is_ok()) return *negotiated;
  ResponseFormat out;
  if (const std::string* pretty = request.param("_pretty")) out.pretty = *pretty == "true";
  return out;
}

Response fhir_response(int status, std::string json, const ResponseFormat& format) {
  Response response;
  response.status = status;
  if (format.format == Format::kXml) {
    Result<fhir::JsonDocument> doc = fhir::parse_json(json);
    std::string xml;
    Status written = doc.is_ok() ? fhir::write_xml_resource(*doc, format.pretty, xml)
                                 : Status(Code::kInternal, "our response JSON does not parse: " +
                                                               doc.status().message());
    if (written.is_ok()) {
      response.content_type = std::string(kFhirXmlContentType);
      response.body = std::move(xml);
      return response;
    }
    // Validation keeps what XML cannot carry (control characters) out of new bodies, but a row
    // stored before that rule may still hold one: the client asked for a representation this
    // resource does not have, which is its request's problem (400), answered in JSON. Anything
    // else the writer refuses is a server bug (500, details logged only).
    const ResponseFormat json{.format = Format::kJson, .pretty = format.pretty};
    if (written.code() == Code::kInternal || written.code() == Code::kUnavailable) {
      return outcome_response(written, json);
    }
    return outcome_response(
        Status(Code::kInvalidArgument, "the response cannot be written as XML (" +
                                           written.message() + "); ask for _format=json"),
        json);
  }
  response.content_type = std::string(kFhirJsonContentType);
  response.body = std::move(json);
  if (format.pretty) {
    auto doc = fhir::parse_json(response.body);
    if (doc.is_ok()) response.body = fhir::write_json(*doc, true);
  }
  return response;
}

Result<Format> body_format(const Request& request) {
  std::string_view type = media_type(request.content_type);
  if (type.empty() || is_one_of(kJsonTypes, type)) return Format::kJson;
  if (is_one_of(kXmlTypes, type)) return Format::kXml;
  return Status(Code::kUnsupportedMediaType,
                "Content-Type '" + request.content_type +
                    "' is not supported; send application/fhir+json or application/fhir+xml");
}

}  // namespace hearth::api
