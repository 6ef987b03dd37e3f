// The server's own endpoints: which targets they are, and the probes' answers.
#include "server/ops_endpoints.h"

#include <doctest/doctest.h>

#include "api/service.h"

namespace hearth::server {
namespace {

TEST_CASE("ops endpoints: exact paths, a query ignored") {
  CHECK(ops_endpoint("/metrics") == OpsEndpoint::kMetrics);
  CHECK(ops_endpoint("/metrics?x=1") == OpsEndpoint::kMetrics);
  CHECK(ops_endpoint("/healthz") == OpsEndpoint::kHealthz);
  CHECK(ops_endpoint("/readyz#f") == OpsEndpoint::kReadyz);
  CHECK(ops_endpoint("/metrics/x") == OpsEndpoint::kNone);
  CHECK(ops_endpoint("/fhir/metrics") == OpsEndpoint::kNone);
  CHECK(ops_endpoint("/healthzz") == OpsEndpoint::kNone);
  CHECK(ops_endpoint("/") == OpsEndpoint::kNone);
}

TEST_CASE("ops endpoints: each has its interaction label") {
  CHECK(api::kInteractionLabels[ops_interaction_label(OpsEndpoint::kMetrics)] == "metrics");
  CHECK(api::kInteractionLabels[ops_interaction_label(OpsEndpoint::kHealthz)] == "healthz");
  CHECK(api::kInteractionLabels[ops_interaction_label(OpsEndpoint::kReadyz)] == "readyz");
}

TEST_CASE("readyz: ready, shutting down, schema mismatch shown, store reason hidden") {
  CHECK(readiness_response(Status::ok(), false).status == 200);
  CHECK(readiness_response(Status::ok(), false).body == "ready\n");
  const api::Response stopping = readiness_response(Status::ok(), true);
  CHECK(stopping.status == 503);
  CHECK(stopping.body == "not ready: shutting down\n");
  const api::Response schema = readiness_response(
      Status(Code::kPreconditionFailed, "store schema version 9, this binary writes version 10"),
      false);
  CHECK(schema.status == 503);
  CHECK(schema.body == "not ready: store schema version 9, this binary writes version 10\n");
  const api::Response down = readiness_response(
      Status(Code::kUnavailable, "could not connect to db.internal:5432"), false);
  CHECK(down.status == 503);
  CHECK(down.body == "not ready: store unavailable\n");
}

TEST_CASE("ops endpoints: other methods are 405 with Allow") {
  const api::Response refused = ops_method_not_allowed("POST");
  CHECK(refused.status == 405);
  bool allow = false;
  for (const auto& [name, value] : refused.headers)
    allow = allow || (name == "Allow" && value == "GET, HEAD");
  CHECK(allow);
}

}  // namespace
}  // namespace hearth::server
