// Profiles over REST (api/rest/profile_source.h): StructureDefinitions stored in Hearth are the
// profiles $validate checks (the `profile` parameter and meta.profile claims), the compiled
// profile follows updates of its StructureDefinition, unknown profiles are warnings naming the
// URL, and --enforce-profiles refuses a write that breaks a profile it claims.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/rest/profile_source.h"
#include "api/rest/write_request.h"
#include "rest_test_support.h"
#include "tests/test_paths.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

std::string package_file(const char* name) {
  std::ifstream in(std::filesystem::path(hearth::test::fhir_package_dir()) / name,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  REQUIRE_FALSE(ss.str().empty());
  return ss.str();
}

struct Found {
  std::string severity, code, expression, diagnostics;
};

std::vector<Found> issues(const Response& r) {
  auto doc = body_json(r);
  std::vector<Found> out;
  for (auto& i : doc["issue"].GetArray()) {
    Found f{i["severity"].GetString(), i["code"].GetString(), "", ""};
    if (i.HasMember("expression")) f.expression = i["expression"][0].GetString();
    if (i.HasMember("diagnostics")) f.diagnostics = i["diagnostics"].GetString();
    out.push_back(std::move(f));
  }
  return out;
}

std::size_t errors(const std::vector<Found>& found) {
  std::size_t n = 0;
  for (const Found& f : found) n += f.severity == "error" ? 1 : 0;
  return n;
}

bool has(const std::vector<Found>& found, std::string_view severity, std::string_view code,
         std::string_view expression) {
  for (const Found& f : found) {
    if (f.severity == severity && f.code == code && f.expression == expression) return true;
  }
  return false;
}

std::string with_profile(const std::string& resource, std::string_view url) {
  return R"({"resourceType":"Parameters","parameter":[{"name":"profile","valueCanonical":")" +
         std::string(url) + R"("},{"name":"resource","resource":)" + resource + "}]}";
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

constexpr std::string_view kBpUrl = "http://hl7.org/fhir/StructureDefinition/bp";

const std::string kGenderProfile = R"({"resourceType":"StructureDefinition","id":"gp",
  "url":"http://example.org/StructureDefinition/gendered","name":"Gendered","status":"active",
  "kind":"resource","abstract":false,"type":"Patient","derivation":"constraint",
  "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
  "differential":{"element":[{"id":"Patient.gender","path":"Patient.gender","min":1}]}})";

}  // namespace

TEST_CASE("$validate checks the profile parameter: shipped, stored, unknown") {
  RestFixture f;
  std::string bp = package_file("Observation-blood-pressure.json");
  // The package ships bp: checked before any StructureDefinition is stored.
  std::vector<Found> found =
      issues(f.call("POST", "Observation/$validate", with_profile(bp, kBpUrl)));
  CHECK(found.size() == 1);  // "no issues found"
  CHECK(errors(found) == 0);
  std::string kpa = replace(bp, R"("code": "mm[Hg]")", R"("code": "kPa")");
  found = issues(f.call("POST", "Observation/$validate", with_profile(kpa, kBpUrl)));
  CHECK(has(found, "error", "value", "Observation.component[0].value.ofType(Quantity).code"));
  // A profile neither stored nor shipped: a warning naming it, no error.
  const std::string unknown = "http://example.org/StructureDefinition/bp-like";
  found = issues(f.call("POST", "Observation/$validate", with_profile(bp, unknown)));
  bool named = false;
  for (const Found& i : found) {
    named = named || (i.severity == "warning" && i.diagnostics.find(unknown) != std::string::npos);
  }
  CHECK(named);
  CHECK(errors(found) == 0);

  // Stored under that URL (the shipped bp, renamed): now checked.
  std::string stored = replace(package_file("StructureDefinition-bp.json"),
                               "\"url\":\"http://hl7.org/fhir/StructureDefinition/bp\"",
                               "\"url\":\"" + unknown + "\"");
  REQUIRE(f.call("POST", "StructureDefinition", stored).status == 201);
  found = issues(f.call("POST", "Observation/$validate", with_profile(bp, unknown)));
  CHECK(errors(found) == 0);
  CHECK(found.size() == 1);

  // A broken fixed value inside a component slice, located as the official validator does.
  std::string broken = replace(bp, R"("code": "mm[Hg]")", R"("code": "kPa")");
  found = issues(f.call("POST", "Observation/$validate", with_profile(broken, unknown)));
  CHECK(has(found, "error", "value", "Observation.component[0].value.ofType(Quantity).code"));
  // The bare resource: its meta.profile claim (vitalsigns) is checked too.
  std::string no_subject = replace(bp, R"("subject": {
    "reference": "Patient/example"
  },)",
                                   "");
  found = issues(f.call("POST", "Observation/$validate", no_subject));
  CHECK(has(found, "error", "structure", "Observation"));
}

TEST_CASE("an updated StructureDefinition changes what its profile checks") {
  RestFixture f;
  const std::string patient = R"({"resourceType":"Patient"})";
  const std::string url = "http://example.org/StructureDefinition/gendered";
  REQUIRE(f.call("PUT", "StructureDefinition/gp", kGenderProfile).status == 201);
  std::vector<Found> found =
      issues(f.call("POST", "Patient/$validate", with_profile(patient, url)));
  CHECK(has(found, "error", "structure", "Patient"));
  // Now gender is optional, birthDate required.
  std::string updated = replace(kGenderProfile, R"("id":"Patient.gender","path":"Patient.gender")",
                                R"("id":"Patient.birthDate","path":"Patient.birthDate")");
  REQUIRE(f.call("PUT", "StructureDefinition/gp", updated).status == 200);
  found = issues(f.call("POST", "Patient/$validate",
                        with_profile(R"({"resourceType":"Patient","gender":"male"})", url)));
  bool birth = false;
  for (const Found& i : found)
    birth = birth || i.diagnostics.find("Patient.birthDate") != std::string::npos;
  CHECK(birth);
  found = issues(f.call("POST", "Patient/$validate",
                        with_profile(R"({"resourceType":"Patient","birthDate":"2000"})", url)));
  CHECK(errors(found) == 0);
  // Deleted: unknown again.
  REQUIRE(f.call("DELETE", "StructureDefinition/gp").status < 300);
  found = issues(f.call("POST", "Patient/$validate", with_profile(patient, url)));
  CHECK(errors(found) == 0);
  CHECK(has(found, "warning", "not-supported", ""));
}

TEST_CASE("a profile compiled inside a transaction that rolls back is not kept for later") {
  // A transaction writes a version of the StructureDefinition, checks a resource against it
  // (so through the transaction, as a conditional write or a group-committed neighbour would),
  // and rolls back; the same version number is then written with other content.
  RestFixture f;
  const std::string url = "http://example.org/StructureDefinition/gendered";
  const std::string birth_required =
      replace(kGenderProfile, R"("id":"Patient.gender","path":"Patient.gender")",
              R"("id":"Patient.birthDate","path":"Patient.birthDate")");
  fhir::JsonDocument patient = fhir::parse_json(R"({"resourceType":"Patient"})").value();
  Status rolled_back = f.store->transact([&](storage::StoreTransaction& tx) -> Status {
    fhir::JsonDocument sd = fhir::parse_json(birth_required).value();
    auto write = build_write("StructureDefinition", "gp", sd, sd.GetAllocator(), 1000);
    REQUIRE(write.is_ok());
    REQUIRE(tx.update(*write).is_ok());
    std::vector<Issue> inside = validate_against_stored_profile(tx, patient, url);
    CHECK(inside.size() == 1);  // birthDate missing
    return Status(Code::kConflict, "roll back");
  });
  REQUIRE_FALSE(rolled_back.is_ok());
  REQUIRE(f.call("PUT", "StructureDefinition/gp", kGenderProfile).status == 201);  // version 1
  std::vector<Issue> after = validate_against_stored_profile(*f.store, patient, url);
  REQUIRE(after.size() == 1);
  CHECK(after[0].diagnostics.find("Patient.gender") != std::string::npos);
}

TEST_CASE("--enforce-profiles refuses a write that breaks a claimed profile; off by default") {
  RestFixture f;
  REQUIRE(f.call("PUT", "StructureDefinition/gp", kGenderProfile).status == 201);
  const std::string claims = R"({"resourceType":"Patient",
    "meta":{"profile":["http://example.org/StructureDefinition/gendered"]}})";
  CHECK(f.call("POST", "Patient", claims).status == 201);  // off: stored

  RestLimits limits;
  limits.enforce_profiles = true;
  RestHandler enforcing(*f.store, f.clock, f.ids, limits);
  auto call = [&](std::string method, std::string path, std::string body) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = std::move(body);
    request.content_type = "application/fhir+json";
    request.base_url = "http://test/fhir";
    return enforcing.handle(request);
  };
  Response refused = call("POST", "Patient", claims);
  CHECK(refused.status == 422);
  CHECK(has(issues(refused), "error", "structure", "Patient"));
  CHECK(call("PUT", "Patient/x1",
             replace(claims, "{\"resourceType\":\"Patient\",",
                     "{\"resourceType\":\"Patient\",\"id\":\"x1\","))
            .status == 422);
  CHECK(call("POST", "Patient", replace(claims, "\"Patient\",", "\"Patient\",\"gender\":\"male\","))
            .status == 201);
  // A claimed profile Hearth does not hold does not refuse the write.
  CHECK(call("POST", "Patient", replace(claims, "gendered", "unknown")).status == 201);
}
