// PATCH over real HTTP against the real binary (https://hl7.org/fhir/R4/http.html#patch): JSON
// Patch and FHIRPath Patch bodies, If-Match, the error statuses with OperationOutcomes, and
// concurrent patches that never lose an update (each reads, applies and writes in one store
// transaction, so every one lands as its own version).
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "fhir/json.h"
#include "harness.h"

using namespace hearth::testing;

namespace {

hearth::fhir::JsonDocument json(const HttpResponse& r) {
  auto doc = hearth::fhir::parse_json(r.body);
  REQUIRE_MESSAGE(doc.is_ok(), r.body);
  return std::move(doc.value());
}

// A patient stored under a fresh id (version 1); returns the id.
std::string put_patient(HttpClient& client) {
  std::string id = unique_name("patch");
  HttpResponse r = client.put(
      "Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                           R"(","active":true,"name":[{"family":"Chalmers","given":["Peter"]}]})");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return id;
}

const hearth::testing::Headers kJsonPatch = {{"Content-Type", "application/json-patch+json"}};

std::string issue_code(const HttpResponse& r) {
  auto doc = json(r);
  REQUIRE(std::string(doc["resourceType"].GetString()) == "OperationOutcome");
  return doc["issue"][0]["code"].GetString();
}

}  // namespace

TEST_CASE("REST PATCH: JSON Patch and FHIRPath Patch over HTTP, with preconditions and errors") {
  ServerProcess server;
  HttpClient client = server.client();
  std::string id = put_patient(client);
  std::string path = "Patient/" + id;

  HttpResponse r = client.request(
      "PATCH", path, R"([{"op":"replace","path":"/active","value":false}])", kJsonPatch);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.header("ETag") == "W/\"2\"");
  CHECK(r.header("Location") == server.base_url() + "/" + path + "/_history/2");
  CHECK(json(r)["active"].GetBool() == false);

  r = client.request("PATCH", path,
                     R"({"resourceType":"Parameters","parameter":[{"name":"operation","part":[
                        {"name":"type","valueCode":"add"},{"name":"path","valueString":"Patient"},
                        {"name":"name","valueString":"birthDate"},
                        {"name":"value","valueDate":"1974-12-25"}]}]})",
                     {{"Content-Type", "application/fhir+json"}, {"If-Match", "W/\"2\""}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.header("ETag") == "W/\"3\"");
  CHECK(std::string(json(client.get(path))["birthDate"].GetString()) == "1974-12-25");

  // Stale If-Match, unsupported media type, invalid result, missing resource, bad patch.
  r = client.request("PATCH", path, R"([{"op":"remove","path":"/active"}])",
                     {{"Content-Type", "application/json-patch+json"}, {"If-Match", "W/\"2\""}});
  CHECK(r.status == 412);
  CHECK(issue_code(r) == "conflict");
  r = client.request("PATCH", path, "active=false", {{"Content-Type", "text/plain"}});
  CHECK(r.status == 415);
  CHECK(issue_code(r) == "not-supported");
  r = client.request("PATCH", path, R"([{"op":"add","path":"/birthDate","value":"yesterday"}])",
                     kJsonPatch);
  CHECK(r.status == 422);
  CHECK(json(r)["issue"][0]["expression"][0].GetString() == std::string("Patient.birthDate"));
  r = client.request("PATCH", "Patient/" + unique_name("absent"),
                     R"([{"op":"remove","path":"/active"}])", kJsonPatch);
  CHECK(r.status == 404);
  r = client.request("PATCH", path, R"([{"op":"move","path":"/x"}])", kJsonPatch);
  CHECK(r.status == 400);
  CHECK(json(r)["issue"][0]["diagnostics"].GetString() ==
        std::string("operation 0 (move): has no 'from'"));

  // None of the failures made a version.
  CHECK(client.get(path).header("ETag") == "W/\"3\"");
  CHECK(client.get(path + "/_history/2").status == 200);
}

TEST_CASE("REST PATCH: concurrent patches never lose an update") {
  ServerProcess server;
  HttpClient setup = server.client();
  std::string id = put_patient(setup);
  constexpr int kThreads = 4;
  constexpr int kEach = 8;
  std::atomic<int> applied{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = server.client();
      for (int i = 0; i < kEach; ++i) {
        HttpResponse r = client.request("PATCH", "Patient/" + id,
                                        R"([{"op":"add","path":"/name/0/given/-","value":"g)" +
                                            std::to_string(t) + "-" + std::to_string(i) + R"("}])",
                                        kJsonPatch);
        if (r.status == 200) {
          ++applied;
        } else if (r.status == 409) {
          ++conflicts;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(other == 0);
  // Each PATCH reads, applies and writes in one store transaction: none is refused.
  CHECK(conflicts == 0);
  CHECK(applied == kThreads * kEach);
  auto doc = json(setup.get("Patient/" + id));
  // Peter plus one given name per 200: a refused patch left nothing, an applied one was kept.
  CHECK(static_cast<int>(doc["name"][0]["given"].Size()) == 1 + applied);
  CHECK(std::string(doc["meta"]["versionId"].GetString()) == std::to_string(1 + applied));
  MESSAGE("concurrent patches: " << applied.load() << " applied, " << conflicts.load()
                                 << " refused (409)");
}
