// ValueSet/$validate-code (api/rest/validate_code_operation.cpp) in-process, over the built-in
// value sets of the R4 required bindings.
#include <doctest/doctest.h>

#include <string>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

constexpr const char* kGender = "http://hl7.org/fhir/ValueSet/administrative-gender";

// The valueBoolean of `result` in a Parameters response.
bool result_of(const Response& r) {
  auto doc = body_json(r);
  REQUIRE(std::string(doc["resourceType"].GetString()) == "Parameters");
  for (auto& p : doc["parameter"].GetArray()) {
    if (std::string(p["name"].GetString()) == "result") return p["valueBoolean"].GetBool();
  }
  FAIL("no result parameter");
  return false;
}

}  // namespace

TEST_CASE("ValueSet/$validate-code answers result for built-in value sets") {
  RestFixture f;
  Response yes = f.call("GET", "ValueSet/$validate-code", "", {{"url", kGender}, {"code", "male"}});
  CHECK(yes.status == 200);
  CHECK(result_of(yes));
  CHECK_FALSE(result_of(
      f.call("GET", "ValueSet/$validate-code", "", {{"url", kGender}, {"code", "robot"}})));
  CHECK(result_of(f.call("GET", "ValueSet/$validate-code", "",
                         {{"url", std::string(kGender) + "|4.0.1"},
                          {"system", "http://hl7.org/fhir/administrative-gender"},
                          {"code", "female"}})));
  CHECK_FALSE(
      result_of(f.call("GET", "ValueSet/$validate-code", "",
                       {{"url", kGender}, {"system", "http://other"}, {"code", "female"}})));
  // POST with a Parameters body.
  std::string body = std::string(R"({"resourceType":"Parameters","parameter":[{"name":"url",
      "valueUri":")") +
                     kGender + R"("},{"name":"code","valueCode":"other"}]})";
  CHECK(result_of(f.call("POST", "ValueSet/$validate-code", body)));
  // Errors: an unknown value set, missing parameters.
  CHECK(f.call("GET", "ValueSet/$validate-code", "",
               {{"url", "http://example.org/vs"}, {"code", "x"}})
            .status == 404);
  CHECK(f.call("GET", "ValueSet/$validate-code", "", {{"url", kGender}}).status == 400);
  // Listed on ValueSet in the CapabilityStatement.
  CHECK(f.call("GET", "metadata").body.find("ValueSet-validate-code") != std::string::npos);
}
