// The REST core runs a request in its tenant (api::Request::tenant): handle() and handle_async()
// (and the answer it hands back) install it for the thread that calls them, so a resource
// written in one tenant is found there and nowhere else.
#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "api/rest/rest_handler.h"
#include "core/tenant_scope.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

using testing::RestFixture;

Request in_tenant(std::string tenant, std::string method, std::string path, std::string body = {}) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  if (!request.body.empty()) request.content_type = "application/fhir+json";
  request.tenant = std::move(tenant);
  return request;
}

TEST_CASE("handle(): a request sees only its tenant's resources") {
  RestFixture f;
  REQUIRE(f.call(in_tenant("t1", "PUT", "Patient/p1", R"({"resourceType":"Patient","id":"p1"})"))
              .status == 201);
  CHECK(f.call(in_tenant("t1", "GET", "Patient/p1")).status == 200);
  CHECK(f.call(in_tenant("t2", "GET", "Patient/p1")).status == 404);
  CHECK(f.call(in_tenant("", "GET", "Patient/p1")).status == 404);
  // The caller's own scope does not leak into a request of another tenant.
  const TenantScope caller("t1");
  CHECK(f.call(in_tenant("t2", "GET", "Patient/p1")).status == 404);
  CHECK(TenantScope::current() == "t1");
}

TEST_CASE("handle_async(): the write and its answer run in the request's tenant") {
  RestFixture f;
  Request request = in_tenant("t1", "PUT", "Patient/p2", R"({"resourceType":"Patient","id":"p2"})");
  request.base_url = "http://test/fhir/t1";
  // The store may complete on its committer thread: the Finish comes through a promise.
  std::promise<Service::Finish> finished;
  std::future<Service::Finish> finish = finished.get_future();
  REQUIRE(f.handler->handle_async(
      request, [&finished](Service::Finish done) { finished.set_value(std::move(done)); }));
  REQUIRE(finish.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  Response response = finish.get()();
  CHECK(response.status == 201);
  CHECK(testing::header(response, "Location").starts_with("http://test/fhir/t1/Patient/p2/"));
  CHECK(f.call(in_tenant("t1", "GET", "Patient/p2")).status == 200);
  CHECK(f.call(in_tenant("", "GET", "Patient/p2")).status == 404);
}

}  // namespace
}  // namespace hearth::api
