// FHIR REST over real HTTP against the real binary: the interactions, the error contract for
// bad input (each answered by an OperationOutcome with the specified status and nothing
// stored), durability across kill -9, and concurrent updates never losing a version.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include "fhir/json.h"
#include "harness.h"

using namespace hearth::testing;

namespace {

const std::string kPatient =
    R"({"resourceType":"Patient","name":[{"family":"Chalmers","given":["Peter"]}],"birthDate":"1974-12-25"})";

hearth::fhir::JsonDocument json(const HttpResponse& r) {
  auto doc = hearth::fhir::parse_json(r.body);
  REQUIRE_MESSAGE(doc.is_ok(), r.body);
  return std::move(doc.value());
}

// Asserts an OperationOutcome with `status`, an issue of `code` and (when given) an issue whose
// expression contains `expression`.
void expect_outcome(const HttpResponse& r, int status, std::string_view code,
                    std::string_view expression = {}) {
  CHECK_MESSAGE(r.status == status, r.body);
  CHECK(r.header("Content-Type").starts_with("application/fhir+json"));
  auto doc = json(r);
  REQUIRE(std::string(doc["resourceType"].GetString()) == "OperationOutcome");
  bool code_found = false, expression_found = expression.empty();
  for (const auto& issue : doc["issue"].GetArray()) {
    code_found |= std::string_view(issue["code"].GetString()) == code;
    if (issue.HasMember("expression")) {
      for (const auto& e : issue["expression"].GetArray()) {
        expression_found |= std::string_view(e.GetString()).find(expression) != std::string::npos;
      }
    }
  }
  CHECK_MESSAGE(code_found, r.body);
  CHECK_MESSAGE(expression_found, r.body);
}

// Versions in a store shared by tests (PostgreSQL) are counted relative to a unique id.

std::string patient_with_id(const std::string& id, bool active = true) {
  return R"({"resourceType":"Patient","id":")" + id + R"(","active":)" +
         (active ? "true" : "false") + "}";
}

}  // namespace

TEST_CASE("REST: create, read, update, vread, delete, history over HTTP") {
  ServerProcess server;
  HttpClient client = server.client();
  HttpResponse created = client.post("Patient", kPatient);
  REQUIRE(created.status == 201);
  std::string location = created.header("Location");
  CHECK(location.starts_with(server.base_url() + "/Patient/"));
  CHECK(location.ends_with("/_history/1"));
  CHECK(created.header("ETag") == "W/\"1\"");
  CHECK(!created.header("Last-Modified").empty());
  std::string id = json(created)["id"].GetString();

  HttpResponse read = client.get("Patient/" + id);
  CHECK(read.status == 200);
  CHECK(read.body == created.body);
  CHECK(read.header("Content-Type") == "application/fhir+json; charset=utf-8");

  HttpResponse updated = client.put("Patient/" + id, patient_with_id(id, false));
  CHECK(updated.status == 200);
  CHECK(updated.header("ETag") == "W/\"2\"");
  CHECK(client.get("Patient/" + id + "/_history/1").body == created.body);

  HttpResponse stale = client.put("Patient/" + id, patient_with_id(id), {{"If-Match", "W/\"1\""}});
  expect_outcome(stale, 412, "conflict");
  CHECK(client.put("Patient/" + id, patient_with_id(id), {{"If-Match", "W/\"2\""}}).status == 200);

  CHECK(client.del("Patient/" + id).status == 200);
  expect_outcome(client.get("Patient/" + id), 410, "deleted");
  auto history = json(client.get("Patient/" + id + "/_history"));
  CHECK(std::string(history["type"].GetString()) == "history");
  CHECK(history["entry"].Size() == 4);
  CHECK(std::string(history["entry"][0]["request"]["method"].GetString()) == "DELETE");

  HttpResponse head = client.request("HEAD", "Patient/" + id + "/_history/1");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("REST: bad input gets the specified OperationOutcome and stores nothing") {
  ServerOptions options;
  options.args = {"--max-body", "4096"};
  ServerProcess server(options);
  HttpClient client = server.client();
  std::string id = unique_name("bad");
  REQUIRE(client.put("Patient/" + id, patient_with_id(id)).status == 201);

  // Malformed JSON -> 400 structure.
  expect_outcome(client.put("Patient/" + id, R"({"resourceType":"Patient",)"), 400, "structure");
  // Wrong type for the URL -> 400.
  expect_outcome(
      client.put("Patient/" + id, R"({"resourceType":"Observation","id":")" + id + R"("})"), 400,
      "structure", "resourceType");
  // Unknown resource type in the URL -> 404.
  expect_outcome(client.get("Bananas/1"), 404, "not-found");
  // Invalid primitives -> 422 naming the element.
  expect_outcome(client.put("Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                                                 R"(","birthDate":"25/12/1974"})"),
                 422, "value", "Patient.birthDate");
  expect_outcome(client.put("Patient/" + id,
                            R"({"resourceType":"Patient","id":")" + id + R"(","active":"yes"})"),
                 422, "value", "Patient.active");
  expect_outcome(
      client.post(
          "Observation",
          R"({"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"1.5"}})"),
      422, "value", "Observation.value.ofType(Quantity).value");
  // A code outside a required binding's value set.
  expect_outcome(client.post("Patient", R"({"resourceType":"Patient","gender":"robot"})"), 422,
                 "code-invalid", "Patient.gender");
  // $validate answers the same issues with 200 and stores nothing, at all three URLs.
  expect_outcome(client.post("Patient/$validate", R"({"resourceType":"Patient","gender":"robot"})"),
                 200, "code-invalid", "Patient.gender");
  expect_outcome(client.post("$validate", R"({"resourceType":"Parameters","parameter":[{"name":
      "resource","resource":{"resourceType":"Patient","contact":[{"gender":"male"}]}}]})"),
                 200, "invariant", "Patient.contact[0]");
  expect_outcome(client.post("Patient/" + id + "/$validate",
                             R"({"resourceType":"Patient","id":")" + id + R"("})"),
                 200, "informational");
  expect_outcome(client.put("Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                                                 R"(","contact":[{"gender":"f"}]})"),
                 422, "code-invalid", "Patient.contact[0].gender");
  // Cardinality: a required element missing, a single element given as an array.
  expect_outcome(
      client.post("Observation", R"({"resourceType":"Observation","code":{"text":"x"}})"), 422,
      "required", "Observation.status");
  expect_outcome(client.put("Patient/" + id,
                            R"({"resourceType":"Patient","id":")" + id + R"(","gender":["male"]})"),
                 422, "structure", "Patient.gender");
  // Unknown element.
  expect_outcome(client.put("Patient/" + id,
                            R"({"resourceType":"Patient","id":")" + id + R"(","shoeSize":44})"),
                 422, "structure", "Patient.shoeSize");
  // Choice type with a type it does not allow.
  expect_outcome(
      client.post(
          "Observation",
          R"({"resourceType":"Observation","status":"final","code":{"text":"x"},"valueAddress":{"city":"x"}})"),
      422, "structure", "Observation.valueAddress");
  // Oversized body -> 413.
  std::string big = R"({"resourceType":"Patient","id":")" + id +
                    R"(","text":{"status":"generated","div":"<div>)" + std::string(5000, 'x') +
                    R"(</div>"}})";
  expect_outcome(server.client().put("Patient/" + id, big), 413, "too-costly");
  // Wrong media type -> 415; unacceptable Accept -> 406.
  expect_outcome(client.put("Patient/" + id, patient_with_id(id), {{"Content-Type", "text/plain"}}),
                 415, "not-supported");
  expect_outcome(client.get("Patient/" + id, {{"Accept", "text/plain"}}), 406, "not-supported");
  // Method not allowed on a known path.
  expect_outcome(client.request("PUT", "Patient/" + id + "/_history", "{}"), 405, "not-supported");

  // Nothing above changed the stored resource.
  HttpResponse read = client.get("Patient/" + id);
  CHECK(read.status == 200);
  CHECK(read.header("ETag") == "W/\"1\"");
}

TEST_CASE("REST: data acknowledged with 2xx survives kill -9 and restart") {
  ServerProcess server;
  std::vector<std::string> ids;
  {
    HttpClient client = server.client();
    for (int i = 0; i < 50; ++i) {
      std::string id = unique_name("durable");
      REQUIRE(client.put("Patient/" + id, patient_with_id(id)).status == 201);
      ids.push_back(id);
    }
  }
  server.kill9();
  server.restart();
  HttpClient client = server.client();
  int found = 0;
  for (const std::string& id : ids) found += client.get("Patient/" + id).status == 200;
  CHECK(found == 50);
}

TEST_CASE("REST: concurrent updates of one resource never lose a version") {
  ServerProcess server;
  std::string id = unique_name("contended");
  REQUIRE(server.client().put("Patient/" + id, patient_with_id(id)).status == 201);
  constexpr int kThreads = 8, kPerThread = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      HttpClient client = server.client();
      for (int i = 0; i < kPerThread; ++i) {
        ok += client.put("Patient/" + id, patient_with_id(id, i % 2 == 0)).status == 200;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == kThreads * kPerThread);
  HttpClient client = server.client();
  CHECK(client.get("Patient/" + id).header("ETag") ==
        "W/\"" + std::to_string(1 + kThreads * kPerThread) + "\"");
  auto history = json(client.get("Patient/" + id + "/_history?_count=1000"));
  std::set<std::string> versions;
  for (const auto& e : history["entry"].GetArray()) {
    versions.insert(e["resource"]["meta"]["versionId"].GetString());
  }
  CHECK(versions.size() == 1 + kThreads * kPerThread);
}

TEST_CASE("REST: FHIR XML both ways over HTTP, errors included") {
  ServerProcess server;
  HttpClient client = server.client();
  const hearth::testing::Headers xml_in_out = {{"Content-Type", "application/fhir+xml"},
                                               {"Accept", "application/fhir+xml"}};
  HttpResponse created =
      client.post("Patient",
                  R"(<?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir">)"
                  R"(<name><family value="Chalmers"/><given value="Peter"/></name>)"
                  R"(<birthDate value="1974-12-25"/></Patient>)",
                  xml_in_out);
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CHECK(created.header("Content-Type") == "application/fhir+xml; charset=utf-8");
  CHECK(created.body.find("<family value=\"Chalmers\"/>") != std::string::npos);
  const std::string location = created.header("Location");
  const std::string id = location.substr(location.find("/Patient/") + 9, 36);

  // The same resource in JSON (stored form) and in XML (made at the edge).
  auto as_json = json(client.get("Patient/" + id));
  CHECK(std::string(as_json["birthDate"].GetString()) == "1974-12-25");
  HttpResponse as_xml = client.get("Patient/" + id + "?_format=xml");
  CHECK(as_xml.status == 200);
  CHECK(as_xml.body.find("<Patient xmlns=\"http://hl7.org/fhir\">") != std::string::npos);

  HttpResponse updated =
      client.put("Patient/" + id,
                 "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"" + id +
                     "\"/><gender value=\"male\"/></Patient>",
                 {{"Content-Type", "application/fhir+xml"}, {"If-Match", "W/\"1\""}});
  CHECK_MESSAGE(updated.status == 200, updated.body);
  HttpResponse history = client.get("Patient/" + id + "/_history", {{"Accept", "application/xml"}});
  CHECK(history.status == 200);
  CHECK(history.body.find("<Bundle xmlns=\"http://hl7.org/fhir\">") != std::string::npos);
  CHECK(history.body.find("<gender value=\"male\"/>") != std::string::npos);
  CHECK(client.get("metadata?_format=xml").body.find("<fhirVersion value=\"4.0.1\"/>") !=
        std::string::npos);

  // Bad XML: 400 as an OperationOutcome in XML; nothing stored changes.
  HttpResponse bad =
      client.put("Patient/" + id, "<Patient xmlns=\"http://hl7.org/fhir\"><oops", xml_in_out);
  CHECK(bad.status == 400);
  CHECK(bad.header("Content-Type") == "application/fhir+xml; charset=utf-8");
  CHECK(bad.body.find("<OperationOutcome xmlns=\"http://hl7.org/fhir\">") != std::string::npos);
  CHECK(json(client.get("Patient/" + id))["meta"]["versionId"] == "2");
}
