// The request-level parsers of the REST core: routing, content negotiation, If-Match, Prefer
// and instants. Input layout: fields separated by '\n' (method, path, accept, _format,
// if-match, prefer, instant); missing fields are empty.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/rest/format.h"
#include "api/rest/route.h"
#include "api/rest/version_response.h"
#include "core/time_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> fields;
  while (fields.size() < 7) {
    std::size_t nl = text.find('\n');
    fields.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  fields.resize(7);
  (void)hearth::api::route_request(fields[0], fields[1]);
  hearth::api::Request request;
  request.accept = fields[2];
  request.query.emplace_back("_format", fields[3]);
  request.content_type = fields[2];
  request.prefer = fields[5];
  (void)hearth::api::negotiate_response_format(request);
  (void)hearth::api::body_format(request);
  (void)hearth::api::prefer_return(request);
  (void)hearth::api::parse_if_match(fields[4]);
  if (auto micros = hearth::parse_instant_lower_bound(fields[6])) {
    (void)hearth::format_instant(*micros);
  }
  return 0;
}
