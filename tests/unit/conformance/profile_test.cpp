// validateProfileId: the response (or a sourceId fixture) is validated against the base
// StructureDefinition named by TestScript.profile; it passes on a valid resource, fails on an
// invalid one or one of another type, and an unknown profile URL is skipped with a reason.
#include <doctest/doctest.h>

#include <string>

#include "fake_transport.h"

namespace hearth::conformance {
namespace {

using testing::FakeTransport;
using testing::json_response;

// A server answering every request with `body`.
FakeTransport answering(const std::string& body) {
  return FakeTransport(
      [body](const HttpRequest&) -> Result<HttpResponse> { return json_response(200, body); });
}

// A script whose profile "p" is `url`: one read, then the assert `assert_json`.
std::string script_with(const std::string& url, const std::string& assert_json) {
  return R"({"resourceType":"TestScript","id":"t","name":"T","status":"active",
    "contained":[{"resourceType":"Patient","id":"fx","birthDate":"not a date"}],
    "fixture":[{"id":"fx","resource":{"reference":"#fx"}}],
    "profile":[{"id":"p","reference":")" +
         url + R"("}],
    "test":[{"name":"one","action":[
      {"operation":{"type":{"code":"read"},"resource":"Patient","params":"/p1"}},
      {"assert":)" +
         assert_json + R"(}]}]})";
}

ActionResult assert_result(const std::string& body, const std::string& url,
                           const std::string& assert_json = R"({"validateProfileId":"p"})") {
  FakeTransport server = answering(body);
  ScriptResult r = testing::run_script(server, script_with(url, assert_json));
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  REQUIRE(r.tests.size() == 1);
  REQUIRE(r.tests[0].actions.size() == 2);
  return r.tests[0].actions[1];
}

constexpr const char* kPatientProfile = "http://hl7.org/fhir/StructureDefinition/Patient";
constexpr const char* kValid =
    R"({"resourceType":"Patient","id":"p1","name":[{"family":"Chalmers"}]})";

TEST_CASE("validateProfileId passes on a resource valid against the base profile") {
  ActionResult a = assert_result(kValid, kPatientProfile);
  CHECK(a.outcome == Outcome::kPass);
  CHECK(a.message.find(kPatientProfile) != std::string::npos);
  CHECK(assert_result(kValid, std::string(kPatientProfile) + "|4.0.1").outcome == Outcome::kPass);
}

TEST_CASE("validateProfileId fails on an invalid resource, naming the element") {
  ActionResult a = assert_result(
      R"({"resourceType":"Patient","id":"p1","gender":"male","frobnicate":1})", kPatientProfile);
  CHECK(a.outcome == Outcome::kFail);
  CHECK(a.message.find("frobnicate") != std::string::npos);
  CHECK(assert_result(R"({"resourceType":"Patient","birthDate":"1974-13-45"})", kPatientProfile)
            .outcome == Outcome::kFail);
}

TEST_CASE("validateProfileId fails on a resource of another type, or no resource") {
  CHECK(assert_result(R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})",
                      kPatientProfile)
            .outcome == Outcome::kFail);
  CHECK(assert_result("not json", kPatientProfile).outcome == Outcome::kFail);
}

TEST_CASE("validateProfileId validates a sourceId fixture, and warningOnly softens a failure") {
  CHECK(assert_result(kValid, kPatientProfile, R"({"validateProfileId":"p","sourceId":"fx"})")
            .outcome == Outcome::kFail);
  CHECK(assert_result(kValid, kPatientProfile,
                      R"({"validateProfileId":"p","sourceId":"fx","warningOnly":true})")
            .outcome == Outcome::kWarning);
}

TEST_CASE("a profile that is not a base resource StructureDefinition is skipped with a reason") {
  ActionResult a =
      assert_result(kValid, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
  CHECK(a.outcome == Outcome::kSkip);
  CHECK(a.message.find("us-core-patient") != std::string::npos);
  CHECK(assert_result(kValid, "http://hl7.org/fhir/StructureDefinition/HumanName").outcome ==
        Outcome::kSkip);
}

TEST_CASE("validateProfileId naming no TestScript.profile is an error") {
  CHECK(assert_result(kValid, kPatientProfile, R"({"validateProfileId":"nope"})").outcome ==
        Outcome::kError);
}

}  // namespace
}  // namespace hearth::conformance
