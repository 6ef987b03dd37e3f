// Content negotiation (https://hl7.org/fhir/R4/http.html#mime-type): which representation a
// response uses (from _format, then Accept) and which one a request body is in (Content-Type).
// JSON and XML are served both ways; anything else is answered 406/415, never silently JSON.
// Resources travel through the REST core as compact FHIR JSON (the stored form); XML is made at
// the edge, on the way in (decode_resource) and out (fhir_response).
#pragma once

#include <string_view>

#include "api/request.h"
#include "core/status.h"

namespace hearth::api {

enum class Format { kJson, kXml };

struct ResponseFormat {
  Format format = Format::kJson;
  bool pretty = false;  // _pretty=true
};

inline constexpr std::string_view kFhirJsonContentType = "application/fhir+json; charset=utf-8";
inline constexpr std::string_view kFhirXmlContentType = "application/fhir+xml; charset=utf-8";

// _format wins over Accept. Accept picks the served type with the highest q (the first listed on
// a tie); */* and application/* mean JSON. Errors: kNotAcceptable when neither allows a served
// representation; kInvalidArgument for a _pretty that is not true/false.
Result<ResponseFormat> negotiate_response_format(const Request& request);

// The same, but never failing: used to encode error responses (falls back to JSON when the
// request asks for nothing served).
ResponseFormat response_format_or_default(const Request& request);

// `status` with the resource whose compact FHIR JSON is `json`, in the negotiated format:
// re-indented for _pretty=true, re-encoded as FHIR XML for Format::kXml. When the JSON holds
// what XML 1.0 cannot carry (a control character in a row stored before validation refused
// them), the answer is a 400 OperationOutcome in JSON instead.
Response fhir_response(int status, std::string json, const ResponseFormat& format);

// The format of a request body, from its Content-Type. An absent Content-Type is read as JSON
// (curl and many scripts omit it). Errors: kUnsupportedMediaType for any other type.
Result<Format> body_format(const Request& request);

}  // namespace hearth::api
