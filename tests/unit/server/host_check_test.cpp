// The DNS-rebinding guard: which Host header values a server answers, and the 400 a request
// with another one gets from map_request_head.
#include "server/host_check.h"

#include <doctest/doctest.h>

#include "server/request_mapping.h"

namespace hearth::server {
namespace {

TEST_CASE("host policy: a loopback bind without a list serves loopback names only") {
  HostPolicy policy = make_host_policy({}, "", true);
  for (const char* host : {"localhost", "localhost:8080", "LOCALHOST:1", "127.0.0.1",
                           "127.0.0.1:8080", "[::1]", "[::1]:8080", ""}) {
    CAPTURE(host);
    CHECK(host_allowed(policy, host));
  }
  for (const char* host : {"evil.example", "evil.example:8080", "127.0.0.1.evil.example",
                           "localhost.evil.example", "[::2]:8080", "10.0.0.1"}) {
    CAPTURE(host);
    CHECK_FALSE(host_allowed(policy, host));
  }
}

TEST_CASE("host policy: --base-url's authority, the list, '*', a non-loopback bind") {
  HostPolicy with_base = make_host_policy({}, "https://FHIR.example.org:8443/fhir", true);
  CHECK(host_allowed(with_base, "fhir.example.org:8443"));
  CHECK(host_allowed(with_base, "localhost:8080"));
  CHECK_FALSE(host_allowed(with_base, "fhir.example.org:9999"));
  CHECK_FALSE(host_allowed(with_base, "evil.example"));

  HostPolicy listed = make_host_policy({"a.example", "B.example:8080"}, "", true);
  CHECK(host_allowed(listed, "a.example:1234"));
  CHECK(host_allowed(listed, "b.example:8080"));
  CHECK_FALSE(host_allowed(listed, "b.example:8081"));
  CHECK_FALSE(host_allowed(listed, "localhost"));  // a list replaces the loopback default

  CHECK(host_allowed(make_host_policy({"*"}, "", true), "anything.example"));
  CHECK(host_allowed(make_host_policy({}, "", false), "anything.example"));
  CHECK_FALSE(host_allowed(make_host_policy({"a.example"}, "", false), "anything.example"));
}

TEST_CASE("map_request_head: a Host the policy does not serve is 400, before the path") {
  const HostPolicy policy = make_host_policy({}, "", true);
  http::request<http::string_body> message{http::verb::get, "/fhir/Patient?name=x", 11};
  message.set(http::field::host, "rebound.evil.example:8080");
  message.set(http::field::accept, "application/fhir+xml");
  api::Request request;
  Status status = map_request_head(message, MappingContext{"", "127.0.0.1:8080", &policy}, request);
  CHECK(status.code() == Code::kInvalidArgument);
  CHECK(status.message().find("rebound.evil.example") != std::string::npos);
  CHECK(request.accept == "application/fhir+xml");          // the error still honours Accept
  CHECK(request.base_url == "http://127.0.0.1:8080/fhir");  // never built from the bad Host

  for (const char* bad : {"localhost\xff", "local host", "localhost\"><x"}) {
    CAPTURE(bad);
    message.set(http::field::host, bad);
    api::Request rejected;
    CHECK(
        map_request_head(message, MappingContext{"", "127.0.0.1:8080", nullptr}, rejected).code() ==
        Code::kMalformed);  // whatever the policy: never echoed into links
  }

  message.set(http::field::host, "127.0.0.1:8080");
  api::Request good;
  REQUIRE(map_request_head(message, MappingContext{"", "127.0.0.1:8080", &policy}, good).is_ok());
  CHECK(good.base_url == "http://127.0.0.1:8080/fhir");
}

}  // namespace
}  // namespace hearth::server
