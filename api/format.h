// Content negotiation (https://hl7.org/fhir/R4/http.html#mime-type): which representation a
// response uses (from _format, then Accept) and whether a request body's Content-Type is one we
// read. Only JSON is served for now; an XML request is answered 406/415, never silently JSON.
#pragma once

#include <string_view>

#include "api/request.h"
#include "core/status.h"

namespace hearth::api {

enum class Format { kJson };

struct ResponseFormat {
  Format format = Format::kJson;
  bool pretty = false;  // _pretty=true
};

inline constexpr std::string_view kFhirJsonContentType = "application/fhir+json; charset=utf-8";

// Errors: kNotAcceptable when neither _format nor Accept allows a served representation;
// kInvalidArgument for a _pretty that is not true/false.
Result<ResponseFormat> negotiate_response_format(const Request& request);

// The same, but never failing: used to encode error responses (falls back to JSON).
ResponseFormat response_format_or_default(const Request& request);

// `status` with the compact FHIR JSON `body`, re-indented when the client asked _pretty=true.
Response json_response(int status, std::string body, const ResponseFormat& format);

// Errors: kUnsupportedMediaType when a body's Content-Type is not a FHIR JSON type. An absent
// Content-Type is read as JSON (curl and many scripts omit it).
Status check_body_content_type(const Request& request);

}  // namespace hearth::api
