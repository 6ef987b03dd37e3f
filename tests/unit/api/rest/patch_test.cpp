// PATCH Type/id in-process (api/rest/patch.cpp, patch_body.h): both patch formats, the
// preconditions, and the errors a client can cause, each answered with an OperationOutcome.
#include <doctest/doctest.h>

#include "api/rest/patch_body.h"
#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

const std::string kPatient =
    R"({"resourceType":"Patient","active":true,"name":[{"family":"Chalmers","given":["Peter"]}],"birthDate":"1974-12-25"})";

const std::string kFhirPathReplace =
    R"({"resourceType":"Parameters","parameter":[{"name":"operation","part":[{"name":"type","valueCode":"replace"},{"name":"path","valueString":"Patient.birthDate"},{"name":"value","valueDate":"1930-01-01"}]}]})";

// A fixture holding one patient, created as id1, version 1.
struct WithPatient : RestFixture {
  WithPatient() { REQUIRE(call("POST", "Patient", kPatient).status == 201); }
};

Response patch(RestFixture& f, std::string path, std::string content_type, std::string body,
               std::string if_match = {}) {
  Request request;
  request.method = "PATCH";
  request.path = std::move(path);
  request.content_type = std::move(content_type);
  request.body = std::move(body);
  request.if_match = std::move(if_match);
  return f.call(std::move(request));
}

std::string issue(const Response& r) {
  auto doc = body_json(r);
  REQUIRE(std::string(doc["resourceType"].GetString()) == "OperationOutcome");
  return doc["issue"][0]["diagnostics"].GetString();
}

}  // namespace

TEST_CASE("PATCH with JSON Patch: 200, a new version, the change stored") {
  WithPatient f;
  Response r = patch(f, "Patient/id1", "application/json-patch+json",
                     R"([{"op":"test","path":"/active","value":true},
                         {"op":"replace","path":"/active","value":false},
                         {"op":"add","path":"/name/0/given/-","value":"James"}])");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(header(r, "ETag") == "W/\"2\"");
  CHECK(header(r, "Location") == "http://test/fhir/Patient/id1/_history/2");
  auto doc = body_json(r);
  CHECK(doc["active"].GetBool() == false);
  CHECK(std::string(doc["name"][0]["given"][1].GetString()) == "James");
  CHECK(std::string(doc["meta"]["versionId"].GetString()) == "2");
  Response read = f.call("GET", "Patient/id1");
  CHECK(read.body == r.body);
  CHECK(f.call("GET", "Patient/id1/_history/1").status == 200);
}

TEST_CASE("PATCH with FHIRPath Patch in JSON and XML: 200, versions increment") {
  WithPatient f;
  Response r = patch(f, "Patient/id1", "application/fhir+json; charset=utf-8", kFhirPathReplace);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(std::string(body_json(r)["birthDate"].GetString()) == "1930-01-01");
  CHECK(header(r, "ETag") == "W/\"2\"");

  const std::string xml = R"(<Parameters xmlns="http://hl7.org/fhir"><parameter>
      <name value="operation"/>
      <part><name value="type"/><valueCode value="delete"/></part>
      <part><name value="path"/><valueString value="Patient.active"/></part>
    </parameter></Parameters>)";
  r = patch(f, "Patient/id1", "application/fhir+xml", xml);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(!body_json(r).HasMember("active"));
  CHECK(header(r, "ETag") == "W/\"3\"");

  Request minimal;
  minimal.method = "PATCH";
  minimal.path = "Patient/id1";
  minimal.content_type = "application/fhir+json";
  minimal.body = kFhirPathReplace;
  minimal.prefer = "return=minimal";
  r = f.call(minimal);
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(header(r, "ETag") == "W/\"4\"");
}

TEST_CASE("PATCH honours If-Match: a stale version is 412 and changes nothing") {
  WithPatient f;
  Response r = patch(f, "Patient/id1", "application/fhir+json", kFhirPathReplace, "W/\"1\"");
  REQUIRE(r.status == 200);
  r = patch(f, "Patient/id1", "application/fhir+json", kFhirPathReplace, "W/\"1\"");
  CHECK(r.status == 412);
  CHECK(issue(r).find("current version of Patient/id1 is 2") != std::string::npos);
  CHECK(header(f.call("GET", "Patient/id1"), "ETag") == "W/\"2\"");
  CHECK(patch(f, "Patient/id1", "application/fhir+json", kFhirPathReplace, "banana").status == 400);
}

TEST_CASE("PATCH errors: 415, 404, 410, 400 for a malformed patch, 422 for one that fails") {
  WithPatient f;
  CHECK(patch(f, "Patient/id1", "text/plain", "x").status == 415);
  CHECK(patch(f, "Patient/id1", "", kFhirPathReplace).status == 415);
  CHECK(patch(f, "Patient/id1", "application/merge-patch+json", "{}").status == 415);
  CHECK(patch(f, "Patient/nope", "application/fhir+json", kFhirPathReplace).status == 404);
  CHECK(patch(f, "Patient/id1", "application/json-patch+json", "[").status == 400);
  CHECK(patch(f, "Patient/id1", "application/fhir+json", kPatient).status == 400);
  Response r = patch(f, "Patient/id1", "application/json-patch+json",
                     R"([{"op":"remove","path":"/name/3"}])");
  CHECK(r.status == 422);
  CHECK(issue(r) == "operation 0 (remove): path /name/3 does not exist");
  r = patch(f, "Patient/id1", "application/json-patch+json",
            R"([{"op":"test","path":"/active","value":false}])");
  CHECK(r.status == 422);
  CHECK(header(f.call("GET", "Patient/id1"), "ETag") == "W/\"1\"");

  REQUIRE(f.call("DELETE", "Patient/id1").status == 200);
  CHECK(patch(f, "Patient/id1", "application/fhir+json", kFhirPathReplace).status == 410);
}

TEST_CASE("PATCH that produces an invalid resource or changes its identity is 422") {
  WithPatient f;
  Response r = patch(f, "Patient/id1", "application/json-patch+json",
                     R"([{"op":"replace","path":"/birthDate","value":"25 Dec 1974"}])");
  CHECK(r.status == 422);
  auto doc = body_json(r);
  REQUIRE(std::string(doc["resourceType"].GetString()) == "OperationOutcome");
  CHECK(std::string(doc["issue"][0]["expression"][0].GetString()) == "Patient.birthDate");

  r = patch(f, "Patient/id1", "application/json-patch+json",
            R"([{"op":"add","path":"/colour","value":"blue"}])");
  CHECK(r.status == 422);
  r = patch(f, "Patient/id1", "application/json-patch+json",
            R"([{"op":"replace","path":"/id","value":"other"}])");
  CHECK(r.status == 422);
  CHECK(issue(r) == "the patch changes or removes the id of Patient/id1");
  r = patch(f, "Patient/id1", "application/json-patch+json",
            R"([{"op":"replace","path":"/resourceType","value":"Group"}])");
  CHECK(r.status == 422);
  CHECK(header(f.call("GET", "Patient/id1"), "ETag") == "W/\"1\"");
}

TEST_CASE("apply_patch_body works on a stored version without touching it") {
  storage::ResourceVersion current{
      .type = std::string("Patient"),
      .id = std::string("p1"),
      .version = 3,
      .last_updated_micros = 0,
      .deleted = false,
      .method = std::string("PUT"),
      .body = R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"3"},"active":true})"};
  auto patched = apply_patch_body(current, "application/json-patch+json",
                                  R"([{"op":"replace","path":"/active","value":false}])");
  REQUIRE_MESSAGE(patched.is_ok(), patched.status().message());
  CHECK((*patched)["active"].GetBool() == false);
  CHECK(current.body.find("\"active\":true") != std::string::npos);
  CHECK(apply_patch_body(current, "application/fhir+json", "[]").status().code() ==
        Code::kMalformed);
  current.body = "{";
  CHECK(apply_patch_body(current, "application/json-patch+json", "[]").status().code() ==
        Code::kInternal);
}

TEST_CASE("the CapabilityStatement lists patch and its formats") {
  RestFixture f;
  auto doc = body_json(f.call("GET", "metadata"));
  bool patch_listed = false;
  for (const auto& i : doc["rest"][0]["resource"][0]["interaction"].GetArray()) {
    patch_listed |= std::string_view(i["code"].GetString()) == "patch";
  }
  CHECK(patch_listed);
  CHECK(doc["patchFormat"].Size() == 3);
  CHECK(std::string(doc["patchFormat"][0].GetString()) == "application/json-patch+json");
}
