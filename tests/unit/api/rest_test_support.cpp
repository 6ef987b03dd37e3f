#include "rest_test_support.h"

#include <doctest/doctest.h>

#include <cstdlib>

namespace hearth::api::testing {

RestFixture::RestFixture() {
  auto opened = storage::open_store("sqlite::memory:", clock);
  REQUIRE(opened.is_ok());
  store = std::move(opened.value());
  handler = std::make_unique<RestHandler>(*store, clock, ids);
}

Response RestFixture::call(std::string method, std::string path, std::string body,
                           std::vector<std::pair<std::string, std::string>> query) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  request.query = std::move(query);
  if (!request.body.empty()) request.content_type = "application/fhir+json";
  return call(std::move(request));
}

Response RestFixture::call(Request request) {
  if (request.base_url.empty()) request.base_url = "http://test/fhir";
  return handler->handle(request);
}

std::string header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

fhir::JsonDocument body_json(const Response& response) {
  return json_doc(response.body);
}

int search_total(RestFixture& f, std::string type, std::string param, std::string value) {
  Response r = f.call("GET", std::move(type), "", {{std::move(param), std::move(value)}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const std::size_t at = r.body.find("\"total\":");
  REQUIRE(at != std::string::npos);
  return std::atoi(r.body.c_str() + at + 8);
}

fhir::JsonDocument json_doc(std::string_view text) {
  auto doc = fhir::parse_json(text);
  REQUIRE_MESSAGE(doc.is_ok(), text);
  return std::move(doc.value());
}

}  // namespace hearth::api::testing
