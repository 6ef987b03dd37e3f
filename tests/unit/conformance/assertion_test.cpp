// Every assert kind and operator against a scripted response: each one passes on a matching
// response and fails on a mismatching one; unsupported elements are skipped with a reason.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fake_transport.h"

namespace hearth::conformance {
namespace {

using testing::FakeTransport;
using testing::json_response;

constexpr const char* kPatient =
    R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"3"},"active":true,)"
    R"("name":[{"family":"Chalmers","given":["Peter","James"]}],"birthDate":"1974-12-25"})";

FakeTransport patient_server() {
  return FakeTransport([](const HttpRequest&) -> Result<HttpResponse> {
    return json_response(200, kPatient,
                         {{"ETag", "W/\"3\""}, {"Location", "http://fhir.test/base/Patient/p1"}});
  });
}

// A script with one fixture (for minimumId/compareToSourceId) and one test: read, then `assert`.
std::string script_with(const std::string& assert_json) {
  return R"({"resourceType":"TestScript","id":"t","name":"T","status":"active",
    "contained":[
      {"resourceType":"Patient","id":"min-ok","name":[{"family":"Chalmers"}]},
      {"resourceType":"Patient","id":"min-bad","name":[{"family":"Smith"}]}],
    "fixture":[{"id":"min-ok","resource":{"reference":"#min-ok"}},
               {"id":"min-bad","resource":{"reference":"#min-bad"}}],
    "test":[{"name":"one","action":[
      {"operation":{"type":{"code":"read"},"resource":"Patient","params":"/p1"}},
      {"assert":)" +
         assert_json + R"(}]}]})";
}

Outcome outcome_of(const std::string& assert_json, std::string* message = nullptr) {
  FakeTransport server = patient_server();
  ScriptResult r = testing::run_script(server, script_with(assert_json));
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  REQUIRE(r.tests.size() == 1);
  REQUIRE(r.tests[0].actions.size() == 2);
  if (message) *message = r.tests[0].actions[1].message;
  return r.tests[0].actions[1].outcome;
}

struct Case {
  const char* name;
  const char* pass;
  const char* fail;
};

const std::vector<Case> kCases = {
    {"response", R"({"response":"okay"})", R"({"response":"notFound"})"},
    {"responseCode", R"({"responseCode":"200"})", R"({"responseCode":"404"})"},
    {"responseCode list", R"({"responseCode":"200,201"})", R"({"responseCode":"201,204"})"},
    {"responseCode notEquals", R"({"responseCode":"404","operator":"notEquals"})",
     R"({"responseCode":"200","operator":"notEquals"})"},
    {"responseCode greaterThan", R"({"responseCode":"199","operator":"greaterThan"})",
     R"({"responseCode":"200","operator":"greaterThan"})"},
    {"responseCode lessThan", R"({"responseCode":"300","operator":"lessThan"})",
     R"({"responseCode":"200","operator":"lessThan"})"},
    {"responseCode in", R"({"responseCode":"200,204","operator":"in"})",
     R"({"responseCode":"400,404","operator":"in"})"},
    {"responseCode notIn", R"({"responseCode":"400,404","operator":"notIn"})",
     R"({"responseCode":"200,404","operator":"notIn"})"},
    {"contentType", R"({"contentType":"json"})", R"({"contentType":"xml"})"},
    {"contentType mime", R"({"contentType":"application/fhir+json"})",
     R"({"contentType":"application/fhir+xml"})"},
    {"headerField equals", R"({"headerField":"ETag","value":"W/\"3\""})",
     R"({"headerField":"ETag","value":"W/\"4\""})"},
    {"headerField contains",
     R"({"headerField":"Location","operator":"contains","value":"/Patient/"})",
     R"({"headerField":"Location","operator":"contains","value":"/Observation/"})"},
    {"headerField notContains",
     R"({"headerField":"Location","operator":"notContains","value":"/Observation/"})",
     R"({"headerField":"Location","operator":"notContains","value":"/Patient/"})"},
    {"headerField empty", R"({"headerField":"X-Absent","operator":"empty"})",
     R"({"headerField":"ETag","operator":"empty"})"},
    {"headerField notEmpty", R"({"headerField":"ETag","operator":"notEmpty"})",
     R"({"headerField":"X-Absent","operator":"notEmpty"})"},
    {"resource", R"({"resource":"Patient"})", R"({"resource":"Observation"})"},
    {"minimumId", R"({"minimumId":"min-ok"})", R"({"minimumId":"min-bad"})"},
    {"requestMethod", R"({"requestMethod":"get"})", R"({"requestMethod":"post"})"},
    {"requestURL", R"({"requestURL":"Patient/p1"})", R"({"requestURL":"Patient/p2"})"},
    {"expression equals", R"({"expression":"Patient.name.family","value":"Chalmers"})",
     R"({"expression":"Patient.name.family","value":"Smith"})"},
    {"expression notEquals",
     R"({"expression":"Patient.name.family","operator":"notEquals","value":"Smith"})",
     R"({"expression":"Patient.name.family","operator":"notEquals","value":"Chalmers"})"},
    {"expression in", R"({"expression":"Patient.id","operator":"in","value":"p0,p1"})",
     R"({"expression":"Patient.id","operator":"in","value":"p2,p3"})"},
    {"expression notIn", R"({"expression":"Patient.id","operator":"notIn","value":"p2,p3"})",
     R"({"expression":"Patient.id","operator":"notIn","value":"p0,p1"})"},
    {"expression greaterThan",
     R"({"expression":"Patient.meta.versionId","operator":"greaterThan","value":"2"})",
     R"({"expression":"Patient.meta.versionId","operator":"greaterThan","value":"10"})"},
    {"expression lessThan",
     R"({"expression":"Patient.birthDate","operator":"lessThan","value":"1980-01-01"})",
     R"({"expression":"Patient.birthDate","operator":"lessThan","value":"1970-01-01"})"},
    {"expression empty", R"({"expression":"Patient.deceased","operator":"empty"})",
     R"({"expression":"Patient.name","operator":"empty"})"},
    {"expression notEmpty", R"({"expression":"Patient.name","operator":"notEmpty"})",
     R"({"expression":"Patient.deceased","operator":"notEmpty"})"},
    {"expression contains",
     R"({"expression":"Patient.name.family","operator":"contains","value":"alm"})",
     R"({"expression":"Patient.name.family","operator":"contains","value":"xyz"})"},
    {"expression notContains",
     R"({"expression":"Patient.name.family","operator":"notContains","value":"xyz"})",
     R"({"expression":"Patient.name.family","operator":"notContains","value":"alm"})"},
    {"expression eval", R"({"expression":"Patient.name.given.count() = 2","operator":"eval"})",
     R"({"expression":"Patient.name.given.count() = 3","operator":"eval"})"},
    {"expression boolean", R"({"expression":"Patient.active = true"})",
     R"({"expression":"Patient.active = false"})"},
    {"compareToSourceId",
     R"({"expression":"Patient.name.family","compareToSourceId":"min-ok","compareToSourceExpression":"Patient.name.family"})",
     R"({"expression":"Patient.name.family","compareToSourceId":"min-bad","compareToSourceExpression":"Patient.name.family"})"},
    {"compareToSourceExpression only",
     R"({"compareToSourceId":"min-ok","compareToSourceExpression":"Patient.name.first().family","operator":"equals"})",
     R"({"compareToSourceId":"min-bad","compareToSourceExpression":"Patient.name.first().family","operator":"equals"})"},
    {"path (XPath subset)",
     R"({"path":"fhir:Patient/fhir:name/fhir:family/@value","value":"Chalmers"})",
     R"({"path":"fhir:Patient/fhir:name/fhir:family/@value","value":"Smith"})"},
    {"compareToSourcePath",
     R"({"path":"Patient/name/family","compareToSourceId":"min-ok","compareToSourcePath":"Patient/name/family"})",
     R"({"path":"Patient/name/family","compareToSourceId":"min-bad","compareToSourcePath":"Patient/name/family"})"},
    {"sourceId", R"({"sourceId":"min-ok","resource":"Patient"})",
     R"({"sourceId":"min-ok","resource":"Bundle"})"},
};

TEST_CASE("each assert kind passes on a match and fails on a mismatch") {
  for (const auto& c : kCases) {
    CAPTURE(c.name);
    std::string message;
    Outcome pass = outcome_of(c.pass, &message);
    CHECK_MESSAGE(pass == Outcome::kPass, message);
    Outcome fail = outcome_of(c.fail, &message);
    CHECK_MESSAGE(fail == Outcome::kFail, message);
    CHECK(!message.empty());
  }
}

TEST_CASE("a failure message says what was compared") {
  std::string message;
  CHECK(outcome_of(R"({"expression":"Patient.name.family","value":"Smith"})", &message) ==
        Outcome::kFail);
  CHECK(message.find("'Chalmers'") != std::string::npos);
  CHECK(message.find("'Smith'") != std::string::npos);
  CHECK(outcome_of(R"({"minimumId":"min-bad"})", &message) == Outcome::kFail);
  CHECK(message.find("name") != std::string::npos);
}

TEST_CASE("warningOnly turns a failure into a warning, which does not fail the test") {
  FakeTransport server = patient_server();
  ScriptResult r =
      testing::run_script(server, script_with(R"({"response":"notFound","warningOnly":true})"));
  REQUIRE(r.tests.size() == 1);
  CHECK(r.tests[0].actions[1].outcome == Outcome::kWarning);
  CHECK(r.tests[0].outcome() == Outcome::kPass);
  CHECK(r.outcome() == Outcome::kPass);
}

TEST_CASE("navigationLinks checks the Bundle's first and last links") {
  auto run = [](const std::string& links) {
    FakeTransport server([&](const HttpRequest&) -> Result<HttpResponse> {
      return json_response(
          200, R"({"resourceType":"Bundle","type":"searchset","link":[)" + links + "]}");
    });
    ScriptResult r = testing::run_script(server, script_with(R"({"navigationLinks":true})"));
    return r.tests.at(0).actions.at(1).outcome;
  };
  CHECK(run(R"({"relation":"first","url":"u1"},{"relation":"last","url":"u2"})") == Outcome::kPass);
  CHECK(run(R"({"relation":"self","url":"u1"})") == Outcome::kFail);
  CHECK(outcome_of(R"({"navigationLinks":true})") == Outcome::kFail);  // not a Bundle
}

TEST_CASE("unsupported or unknown assert content is skipped with a reason, never passed") {
  std::string message;
  CHECK(outcome_of(R"({"resource":"Patient","frobnicate":true})", &message) == Outcome::kSkip);
  CHECK(message.find("frobnicate") != std::string::npos);
  CHECK(outcome_of(R"({"path":"Patient/name[1]/family","value":"x"})", &message) == Outcome::kSkip);
  CHECK(message.find("XPath") != std::string::npos);
  CHECK(outcome_of(R"({"responseCode":"200","operator":"resembles"})", &message) == Outcome::kSkip);
  CHECK(message.find("resembles") != std::string::npos);
  CHECK(outcome_of(R"({"label":"nothing to check"})", &message) == Outcome::kSkip);
  CHECK(outcome_of(R"({"response":"teapot"})", &message) == Outcome::kSkip);
}

TEST_CASE("a bad FHIRPath expression is an error, an unknown fixture too") {
  CHECK(outcome_of(R"({"expression":"Patient.name.(","value":"x"})") == Outcome::kError);
  CHECK(outcome_of(R"({"sourceId":"nope","resource":"Patient"})") == Outcome::kError);
}

}  // namespace
}  // namespace hearth::conformance
