// Beast request -> api::Request and api::Response -> Beast response.
#include "server/request_mapping.h"

#include <doctest/doctest.h>

namespace hearth::server {
namespace {

http::request<http::string_body> make(std::string target, http::verb verb = http::verb::get) {
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "example.org:8080");
  return request;
}

TEST_CASE("map_request_head: path, query, headers, base URL") {
  auto message = make("/fhir/Patient/123/_history/2?_format=json&name=a%26b");
  message.set(http::field::accept, "application/fhir+json");
  message.set(http::field::content_type, "application/fhir+json; charset=utf-8");
  message.set(http::field::if_match, "W/\"2\"");
  message.set(http::field::if_none_match, "W/\"1\"");
  message.set("If-None-Exist", "identifier=x");
  message.set("Prefer", "return=minimal");
  api::Request request;
  REQUIRE(map_request_head(message, MappingContext{"", "127.0.0.1:1"}, request).is_ok());
  CHECK(request.method == "GET");
  CHECK(request.path == "Patient/123/_history/2");
  REQUIRE(request.query.size() == 2);
  CHECK(*request.param("name") == "a&b");
  CHECK(request.accept == "application/fhir+json");
  CHECK(request.content_type == "application/fhir+json; charset=utf-8");
  CHECK(request.if_match == "W/\"2\"");
  CHECK(request.if_none_match == "W/\"1\"");
  CHECK(request.if_none_exist == "identifier=x");
  CHECK(request.prefer == "return=minimal");
  CHECK(request.base_url == "http://example.org:8080/fhir");
}

TEST_CASE("map_request_head: the base itself and trailing slashes") {
  for (const char* target : {"/fhir", "/fhir/", "/fhir?x=1"}) {
    CAPTURE(target);
    api::Request request;
    REQUIRE(map_request_head(make(target), MappingContext{}, request).is_ok());
    CHECK(request.path.empty());
  }
  api::Request request;
  REQUIRE(map_request_head(make("/fhir/Patient/"), MappingContext{}, request).is_ok());
  CHECK(request.path == "Patient");
  api::Request absolute;
  REQUIRE(map_request_head(make("http://h/fhir/metadata"), MappingContext{}, absolute).is_ok());
  CHECK(absolute.path == "metadata");
}

TEST_CASE("map_request_head: /hl7 and below go to the HL7 endpoint, base_url stays FHIR") {
  api::Request request;
  REQUIRE(map_request_head(make("/hl7/messages/12/%24replay?_count=5"), MappingContext{}, request)
              .is_ok());
  CHECK(request.endpoint == api::Endpoint::kHl7);
  CHECK(request.path == "messages/12/$replay");
  REQUIRE(request.query.size() == 1);
  CHECK(request.query[0].second == "5");
  CHECK(request.base_url.ends_with("/fhir"));
  api::Request root;
  REQUIRE(map_request_head(make("/hl7"), MappingContext{}, root).is_ok());
  CHECK(root.endpoint == api::Endpoint::kHl7);
  CHECK(root.path.empty());
  api::Request fhir;
  REQUIRE(map_request_head(make("/fhir/hl7"), MappingContext{}, fhir).is_ok());
  CHECK(fhir.endpoint == api::Endpoint::kFhir);
  api::Request other;
  CHECK(map_request_head(make("/hl7x/messages"), MappingContext{}, other).code() ==
        Code::kNotFound);
}

TEST_CASE("map_request_head: errors") {
  for (const char* target : {"/", "/foo", "/fhirx", "/FHIR/Patient"}) {
    CAPTURE(target);
    auto message = make(target);
    message.set(http::field::accept, "application/fhir+xml");
    api::Request request;
    Status status = map_request_head(message, MappingContext{}, request);
    CHECK(status.code() == Code::kNotFound);
    CHECK(request.accept == "application/fhir+xml");  // still filled for the error response
  }
  api::Request request;
  CHECK(map_request_head(make("/fhir/Pat%ZZ"), MappingContext{}, request).code() ==
        Code::kMalformed);
  CHECK(map_request_head(make("/fhir/Patient?name=%"), MappingContext{}, request).code() ==
        Code::kMalformed);
}

TEST_CASE("map_request_head: base URL from config or fallback host") {
  auto message = make("/fhir/metadata");
  api::Request configured;
  REQUIRE(map_request_head(message, MappingContext{"https://x.org/r4", "h:1"}, configured).is_ok());
  CHECK(configured.base_url == "https://x.org/r4");
  message.erase(http::field::host);
  api::Request fallback;
  REQUIRE(map_request_head(message, MappingContext{"", "127.0.0.1:9"}, fallback).is_ok());
  CHECK(fallback.base_url == "http://127.0.0.1:9/fhir");
}

// --tenancy url.
MappingContext with_tenants(std::string_view base_url = {}) {
  MappingContext context;
  context.base_url = base_url;
  context.tenant_in_path = true;
  return context;
}

TEST_CASE("map_request_head: --tenancy url takes the tenant segment into the request and base") {
  const MappingContext tenants = with_tenants();
  api::Request request;
  REQUIRE(map_request_head(make("/fhir/clinic-1/Patient/7?_count=2"), tenants, request).is_ok());
  CHECK(request.tenant == "clinic-1");
  CHECK(request.path == "Patient/7");
  CHECK(request.base_url == "http://example.org:8080/fhir/clinic-1");
  api::Request root;
  REQUIRE(map_request_head(make("/fhir/a.b/"), tenants, root).is_ok());
  CHECK(root.tenant == "a.b");
  CHECK(root.path.empty());
  api::Request configured;
  REQUIRE(map_request_head(make("/fhir/t/metadata"), with_tenants("https://x.org/r4"), configured)
              .is_ok());
  CHECK(configured.base_url == "https://x.org/r4/t");
  api::Request hl7;
  REQUIRE(map_request_head(make("/hl7/t/messages/3"), tenants, hl7).is_ok());
  CHECK(hl7.endpoint == api::Endpoint::kHl7);
  CHECK(hl7.tenant == "t");
  CHECK(hl7.path == "messages/3");
  CHECK(hl7.base_url == "http://example.org:8080/fhir/t");
  api::Request x12;
  REQUIRE(map_request_head(make("/x12/t", http::verb::post), tenants, x12).is_ok());
  CHECK(x12.path == "x12");
  CHECK(x12.tenant == "t");
  api::Request none;  // --tenancy none: the first segment is the path's
  REQUIRE(map_request_head(make("/fhir/Patient/7"), MappingContext{}, none).is_ok());
  CHECK(none.tenant.empty());
  CHECK(none.path == "Patient/7");
  CHECK(map_request_head(make("/x12/t"), MappingContext{}, none).code() == Code::kNotFound);
}

TEST_CASE("map_request_head: --tenancy url refuses a missing or malformed tenant") {
  const MappingContext tenants = with_tenants();
  for (const char* target :
       {"/fhir", "/fhir/", "/fhir/Patient/1", "/fhir/metadata", "/fhir/$export", "/fhir/_history",
        "/fhir/.well-known/smart-configuration", "/hl7", "/x12", "/fhir//Patient"}) {
    CAPTURE(target);
    api::Request request;
    Status status = map_request_head(make(target), tenants, request);
    CHECK(status.code() == Code::kNotFound);
    CHECK(status.message().find("no tenant in the path") != std::string::npos);
    CHECK(request.tenant.empty());
  }
  for (const char* target :
       {"/fhir/a%20b/Patient", "/fhir/../Patient", "/fhir/a:b/Patient",
        "/fhir/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) {
    CAPTURE(target);
    api::Request request;
    Status status = map_request_head(make(target), tenants, request);
    CHECK(status.code() == Code::kMalformed);
    CHECK(status.message().find("malformed tenant") != std::string::npos);
  }
  api::Request extra;
  CHECK(map_request_head(make("/x12/t/more"), tenants, extra).code() == Code::kNotFound);
}

TEST_CASE("to_beast_response") {
  api::Response response;
  response.status = 201;
  response.content_type = "application/fhir+json";
  response.body = R"({"resourceType":"Patient"})";
  response.headers = {{"Location", "http://h/fhir/Patient/1/_history/1"}, {"ETag", "W/\"1\""}};
  auto wire = to_beast_response(std::move(response), 11, true, false);
  CHECK(wire.result_int() == 201);
  CHECK(wire[http::field::content_type] == "application/fhir+json");
  CHECK(wire[http::field::content_length] == "26");
  CHECK(wire[http::field::server] == "hearth");
  CHECK(wire[http::field::date].ends_with(" GMT"));
  CHECK(wire["Location"] == "http://h/fhir/Patient/1/_history/1");
  CHECK(wire["ETag"] == "W/\"1\"");
  CHECK(wire.body() == R"({"resourceType":"Patient"})");
  CHECK(wire.keep_alive());

  api::Response head;
  head.body = "12345";
  auto head_wire = to_beast_response(std::move(head), 11, false, true);
  CHECK(head_wire.body().empty());
  CHECK(head_wire[http::field::content_length] == "5");
  CHECK_FALSE(head_wire.keep_alive());

  api::Response no_content;
  no_content.status = 204;
  auto empty_wire = to_beast_response(std::move(no_content), 11, true, false);
  CHECK(empty_wire.find(http::field::content_length) == empty_wire.end());
}

}  // namespace
}  // namespace hearth::server
