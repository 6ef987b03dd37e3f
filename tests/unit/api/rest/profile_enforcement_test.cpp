// Profiles beyond a plain create or update (api/rest/profile_source.h): under --enforce-profiles
// a PATCH, a transaction's and a batch's entries and a conditional update are refused when what
// they would store breaks a profile it claims; claims made by contained resources and by a
// Bundle's entries are checked (rooted where the resource is); a stored profile's own invariant
// is reported by $validate.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

struct Found {
  std::string severity, code, expression, diagnostics;
};

std::vector<Found> issues(const Response& r) {
  auto doc = body_json(r);
  std::vector<Found> out;
  if (!doc.HasMember("issue")) return out;
  for (auto& i : doc["issue"].GetArray()) {
    Found f{i["severity"].GetString(), i["code"].GetString(), "", ""};
    if (i.HasMember("expression")) f.expression = i["expression"][0].GetString();
    if (i.HasMember("diagnostics")) f.diagnostics = i["diagnostics"].GetString();
    out.push_back(std::move(f));
  }
  return out;
}

bool has(const std::vector<Found>& found, std::string_view severity, std::string_view code,
         std::string_view expression) {
  for (const Found& f : found) {
    if (f.severity == severity && f.code == code && f.expression == expression) return true;
  }
  return false;
}

std::string all_of(const std::vector<Found>& found) {
  std::string out;
  for (const Found& f : found) {
    out += f.severity + " " + f.code + " @ " + f.expression + ": " + f.diagnostics + "\n";
  }
  return out;
}

// Patient.gender required; every name needs a family (its own invariant gp-1).
const std::string kGendered = R"json({"resourceType":"StructureDefinition","id":"gp",
  "url":"http://example.org/StructureDefinition/gendered","name":"Gendered","status":"active",
  "kind":"resource","abstract":false,"type":"Patient","derivation":"constraint",
  "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
  "differential":{"element":[{"id":"Patient.gender","path":"Patient.gender","min":1},
    {"id":"Patient.name","path":"Patient.name","constraint":[{"key":"gp-1","severity":"error",
      "human":"a name has a family name","expression":"family.exists()"}]}]}})json";

const std::string kClaims =
    R"("meta":{"profile":["http://example.org/StructureDefinition/gendered"]})";

struct Enforcing {
  Enforcing() {
    REQUIRE(f.call("PUT", "StructureDefinition/gp", kGendered).status == 201);
    limits.enforce_profiles = true;
    handler = std::make_unique<RestHandler>(*f.store, f.clock, f.ids, limits);
  }
  Response call(std::string method, std::string path, std::string body,
                std::string content_type = "application/fhir+json",
                std::vector<std::pair<std::string, std::string>> query = {}) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = std::move(body);
    request.query = std::move(query);
    request.content_type = std::move(content_type);
    request.base_url = "http://test/fhir";
    return handler->handle(request);
  }
  RestFixture f;
  RestLimits limits;
  std::unique_ptr<RestHandler> handler;
};

}  // namespace

TEST_CASE("--enforce-profiles: a PATCH that breaks a claimed profile is refused") {
  Enforcing e;
  REQUIRE(e.call("PUT", "Patient/p1",
                 R"({"resourceType":"Patient","id":"p1","gender":"male",)" + kClaims + "}")
              .status == 201);
  const std::string remove_gender = R"([{"op":"remove","path":"/gender"}])";
  Response refused = e.call("PATCH", "Patient/p1", remove_gender, "application/json-patch+json");
  CHECK(refused.status == 422);
  CHECK(has(issues(refused), "error", "structure", "Patient"));
  // The profile's own invariant, on a patched-in name.
  Response no_family = e.call("PATCH", "Patient/p1", R"([{"op":"add","path":"/name",
    "value":[{"given":["Jim"]}]}])",
                              "application/json-patch+json");
  CHECK(no_family.status == 422);
  CHECK(has(issues(no_family), "error", "invariant", "Patient.name[0]"));
  CHECK(e.call("PATCH", "Patient/p1",
               R"([{"op":"add","path":"/name","value":[{"family":"Chalmers"}]}])",
               "application/json-patch+json")
            .status == 200);
  // Without the flag the same patch is stored.
  CHECK(e.f.call("GET", "Patient/p1").status == 200);
  Request plain;
  plain.method = "PATCH";
  plain.path = "Patient/p1";
  plain.body = remove_gender;
  plain.content_type = "application/json-patch+json";
  CHECK(e.f.call(plain).status == 200);
}

TEST_CASE("--enforce-profiles: transaction and batch entries, conditional updates") {
  Enforcing e;
  const std::string bad = R"({"resourceType":"Patient",)" + kClaims + "}";
  const std::string good = R"({"resourceType":"Patient","gender":"female",)" + kClaims + "}";
  auto bundle = [](std::string type, std::string first, std::string second) {
    return R"({"resourceType":"Bundle","type":")" + type + R"(","entry":[
      {"fullUrl":"urn:uuid:1","resource":)" +
           first + R"(,"request":{"method":"POST","url":"Patient"}},
      {"fullUrl":"urn:uuid:2","resource":)" +
           second + R"(,"request":{"method":"POST","url":"Patient"}}]})";
  };
  Response refused = e.call("POST", "", bundle("transaction", good, bad));
  CHECK(refused.status == 422);
  std::vector<Found> found = issues(refused);
  INFO(all_of(found));
  CHECK(has(found, "error", "structure", "Bundle.entry[1].resource"));
  CHECK(e.call("GET", "Patient", "", "", {}).body.find("\"total\":0") != std::string::npos);

  Response batch = e.call("POST", "", bundle("batch", good, bad));
  REQUIRE(batch.status == 200);
  auto doc = body_json(batch);
  CHECK(std::string(doc["entry"][0]["response"]["status"].GetString()).starts_with("201"));
  CHECK(std::string(doc["entry"][1]["response"]["status"].GetString()).starts_with("422"));

  // A conditional update runs as a transaction entry too.
  CHECK(e.call("PUT", "Patient", bad, "application/fhir+json", {{"identifier", "x|1"}}).status ==
        422);
  CHECK(e.call("PUT", "Patient", good, "application/fhir+json", {{"identifier", "x|1"}}).status ==
        201);
}

TEST_CASE("claims inside a resource: contained resources and Bundle entries") {
  Enforcing e;
  const std::string contained = R"({"resourceType":"Observation","status":"final",
    "code":{"text":"x"},"subject":{"reference":"#p"},
    "contained":[{"resourceType":"Patient","id":"p",)" +
                                kClaims + R"(}]})";
  // $validate (with or without the flag) reports it where the contained resource is.
  std::vector<Found> found = issues(e.f.call("POST", "Observation/$validate", contained));
  INFO(all_of(found));
  CHECK(has(found, "error", "structure", "Observation.contained[0]"));
  // Enforced on write.
  Response refused = e.call("POST", "Observation", contained);
  CHECK(refused.status == 422);
  CHECK(has(issues(refused), "error", "structure", "Observation.contained[0]"));

  const std::string document = R"({"resourceType":"Bundle","type":"collection","entry":[
    {"fullUrl":"urn:uuid:a","resource":{"resourceType":"Patient","gender":"male",)" +
                               kClaims + R"(}},
    {"fullUrl":"urn:uuid:b","resource":{"resourceType":"Patient","name":[{"given":["J"]}],)" +
                               kClaims + R"(}}]})";
  found = issues(e.f.call("POST", "Bundle/$validate", document));
  INFO(all_of(found));
  CHECK(has(found, "error", "structure", "Bundle.entry[1].resource"));
  CHECK(has(found, "error", "invariant", "Bundle.entry[1].resource.name[0]"));
  CHECK_FALSE(has(found, "error", "structure", "Bundle.entry[0].resource"));
  CHECK(e.call("POST", "Bundle", document).status == 422);
  CHECK(e.f.call("POST", "Bundle", document).status == 201);  // not enforced: stored
}

TEST_CASE("$validate reports a stored profile's own invariant with its key") {
  RestFixture f;
  REQUIRE(f.call("PUT", "StructureDefinition/gp", kGendered).status == 201);
  const std::string patient = R"({"resourceType":"Patient","gender":"male",
    "name":[{"family":"A"},{"given":["B"]}],)" +
                              kClaims + "}";
  std::vector<Found> found = issues(f.call("POST", "Patient/$validate", patient));
  INFO(all_of(found));
  CHECK(has(found, "error", "invariant", "Patient.name[1]"));
  bool keyed = false;
  for (const Found& i : found) {
    keyed = keyed || (i.diagnostics.starts_with("gp-1: a name has a family name") &&
                      i.diagnostics.find("gendered") != std::string::npos);
  }
  CHECK(keyed);
  CHECK_FALSE(has(found, "error", "invariant", "Patient.name[0]"));
}
