// $validate (api/rest/validate_operation.cpp) in-process: the three URLs, both body forms, every
// issue listed, expressions rooted at the resource, always 200, nothing stored.
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
  REQUIRE(std::string(doc["resourceType"].GetString()) == "OperationOutcome");
  std::vector<Found> out;
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

const std::string kBad =
    R"({"resourceType":"Patient","gender":"robot","name":[{"given":[1]}],
        "contact":[{"gender":"male"}]})";

std::string wrapped(const std::string& resource, std::string_view mode = {}) {
  std::string out = R"({"resourceType":"Parameters","parameter":[)";
  if (!mode.empty()) out += R"({"name":"mode","valueCode":")" + std::string(mode) + R"("},)";
  return out + R"({"name":"resource","resource":)" + resource + "}]}";
}

}  // namespace

TEST_CASE("$validate lists every issue, at all three URLs, always 200") {
  RestFixture f;
  // Each URL with each body form: the resource itself, or a Parameters holding it.
  for (std::string path : {"Patient/$validate", "$validate", "Patient/p1/$validate"}) {
    for (bool in_parameters : {false, true}) {
      INFO(path, in_parameters ? " (Parameters)" : " (resource)");
      std::string body = kBad;
      if (path.starts_with("Patient/p1")) body.insert(1, R"("id":"p1",)");
      if (in_parameters) body = wrapped(body);
      Response r = f.call("POST", path, body);
      CHECK(r.status == 200);
      std::vector<Found> found = issues(r);
      CHECK(has(found, "error", "code-invalid", "Patient.gender"));
      CHECK(has(found, "error", "value", "Patient.name[0].given[0]"));
      // The invariants too, although the structure has an error (a write stops before them).
      CHECK(has(found, "error", "invariant", "Patient.contact[0]"));
      CHECK(found.size() == 3);
    }
  }
  Response r = f.call("POST", "Patient", kBad);
  CHECK(r.status == 422);
  std::vector<Found> found = issues(r);
  CHECK(has(found, "error", "value", "Patient.name[0].given[0]"));
  CHECK_FALSE(has(found, "error", "invariant", "Patient.contact[0]"));
  CHECK(f.call("GET", "Patient").body.find("\"total\":0") != std::string::npos);  // nothing stored
}

TEST_CASE("$validate of a valid resource answers one information issue") {
  RestFixture f;
  Response r = f.call("POST", "Patient/$validate", R"({"resourceType":"Patient","gender":"male"})");
  CHECK(r.status == 200);
  std::vector<Found> found = issues(r);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "information");
}

TEST_CASE("$validate reports codes outside extensible and preferred bindings as information") {
  RestFixture f;
  // Patient.maritalStatus: extensible, marital-status (v3 MaritalStatus and NullFlavor UNK).
  // Patient.language: preferred, languages (BCP-47 codes listed in the compose).
  std::string body = R"({"resourceType":"Patient","language":"xx-nowhere","maritalStatus":{
      "coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"Q"}]},
      "contact":[{"relationship":[{"coding":[{"system":
      "http://terminology.hl7.org/CodeSystem/v2-0131","code":"C"}]}],"name":{"family":"Doe"}}]})";
  std::vector<Found> found = issues(f.call("POST", "Patient/$validate", body));
  CHECK(has(found, "information", "code-invalid", "Patient.maritalStatus"));
  CHECK(has(found, "information", "code-invalid", "Patient.language"));
  CHECK_FALSE(has(found, "information", "code-invalid", "Patient.contact[0].relationship[0]"));
  for (const Found& x : found) CHECK(x.severity != "error");
  // Codes inside the value sets: only the "all OK" issue.
  std::string good = R"({"resourceType":"Patient","language":"en-US","maritalStatus":{
      "coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-NullFlavor","code":"UNK"}]}})";
  found = issues(f.call("POST", "Patient/$validate", good));
  REQUIRE(found.size() == 1);
  CHECK(found[0].code != "code-invalid");
  // A write is never refused for them.
  CHECK(f.call("POST", "Patient", body).status == 201);
}

TEST_CASE("$validate of a Parameters roots the issues at the resource, not the wrapper") {
  RestFixture f;
  Response r = f.call("POST", "Patient/$validate", wrapped(kBad, "create"));
  CHECK(r.status == 200);
  std::vector<Found> found = issues(r);
  CHECK(has(found, "error", "code-invalid", "Patient.gender"));
  CHECK(has(found, "error", "value", "Patient.name[0].given[0]"));
  for (const Found& i : found) CHECK_FALSE(i.expression.starts_with("Parameters"));
  // The wrapper itself is validated: a bad value[x] of another parameter is reported.
  std::string bad_wrapper = R"({"resourceType":"Parameters","parameter":[
      {"name":"mode","valueCode":1},{"name":"resource","resource":{"resourceType":"Patient"}}]})";
  found = issues(f.call("POST", "$validate", bad_wrapper));
  CHECK(has(found, "error", "value", "Parameters.parameter[0].value.ofType(code)"));
  // No resource parameter.
  found = issues(f.call("POST", "$validate", R"({"resourceType":"Parameters"})"));
  CHECK(has(found, "error", "required", "Parameters.parameter"));
}

TEST_CASE("$validate: mode, profile, the URL's type and id") {
  RestFixture f;
  std::vector<Found> found =
      issues(f.call("POST", "Observation/$validate", R"({"resourceType":"Patient"})"));
  CHECK(has(found, "error", "invalid", ""));
  found = issues(f.call("POST", "Patient/p1/$validate", R"({"resourceType":"Patient","id":"p2"})"));
  CHECK(has(found, "error", "invariant", "Patient.id"));
  found = issues(
      f.call("POST", "Patient/$validate", wrapped(R"({"resourceType":"Patient"})", "update")));
  CHECK(has(found, "error", "required", "Patient.id"));
  found = issues(f.call("POST", "Patient/$validate", wrapped(kBad, "delete")));
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "information");
  std::string profiled = R"({"resourceType":"Parameters","parameter":[
      {"name":"profile","valueUri":"http://example.org/StructureDefinition/mine"},
      {"name":"resource","resource":{"resourceType":"Patient"}}]})";
  found = issues(f.call("POST", "Patient/$validate", profiled));
  CHECK(has(found, "warning", "not-supported", ""));
  // Unparsable JSON: still 200, a fatal issue.
  Response r = f.call("POST", "Patient/$validate", "{not json");
  CHECK(r.status == 200);
  found = issues(r);
  REQUIRE_FALSE(found.empty());
  CHECK(found[0].severity == "fatal");
  // Only POST.
  CHECK(f.call("GET", "Patient/$validate").status == 405);
}

TEST_CASE("metadata lists the $validate operation") {
  RestFixture f;
  auto doc = body_json(f.call("GET", "metadata"));
  auto& rest = doc["rest"][0];
  REQUIRE(rest.HasMember("operation"));
  bool found = false;
  for (auto& op : rest["operation"].GetArray()) {
    found = found || (std::string(op["name"].GetString()) == "validate" &&
                      std::string(op["definition"].GetString()) ==
                          "http://hl7.org/fhir/OperationDefinition/Resource-validate");
  }
  CHECK(found);
  auto& patient = rest["resource"][0];
  REQUIRE(patient.HasMember("operation"));
  CHECK(std::string(patient["operation"][0]["name"].GetString()) == "validate");
}
