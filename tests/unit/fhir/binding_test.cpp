// Required bindings (fhir/value_set.h, fhir/binding_check.h, through fhir/validate.h): the
// generated expansions, then one case per coded shape, each with the issue's severity, type and
// expression.
#include <doctest/doctest.h>

#include <string>

#include "fhir/binding_check.h"
#include "fhir/model.h"
#include "fhir/validate.h"
#include "fhir/value_set.h"

namespace hearth::fhir {
namespace {

std::vector<Issue> issues_of(std::string_view json) {
  Result<JsonDocument> doc = parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  return validation_issues(*doc);
}

// The one issue of `json`, which must have exactly one.
Issue only_issue(std::string_view json) {
  std::vector<Issue> issues = issues_of(json);
  INFO(json);
  REQUIRE(issues.size() == 1);
  INFO(issues[0].diagnostics);
  return issues[0];
}

constexpr std::string_view kGender = "http://hl7.org/fhir/ValueSet/administrative-gender";
constexpr std::string_view kGenderSystem = "http://hl7.org/fhir/administrative-gender";

}  // namespace

TEST_CASE("the required value sets are expanded from the package") {
  CHECK(value_sets().size() > 200);
  const ValueSetDef* gender = find_value_set(std::string(kGender) + "|4.0.1");
  REQUIRE(gender != nullptr);
  CHECK(gender->codes.size() == 4);
  CHECK(gender->unknown_systems.empty());
  for (std::string_view code : {"male", "female", "other", "unknown"}) {
    CHECK(check_code(*gender, kGenderSystem, code) == Membership::kMember);
    CHECK(check_code(*gender, {}, code) == Membership::kMember);
  }
  CHECK(check_code(*gender, kGenderSystem, "robot") == Membership::kNotMember);
  CHECK(check_code(*gender, "http://other", "male") == Membership::kNotMember);
  CHECK(check_code(*gender, {}, "Male") == Membership::kNotMember);  // codes are case-sensitive
  CHECK(find_value_set("http://hl7.org/fhir/ValueSet/no-such") == nullptr);
  const ValueSetDef* obs = find_value_set("http://hl7.org/fhir/ValueSet/observation-status");
  REQUIRE(obs != nullptr);
  CHECK(obs->codes.size() == 8);
  CHECK(check_code(*obs, {}, "unknown") == Membership::kMember);
  CHECK(check_code(*obs, {}, "corrected") == Membership::kMember);  // nested under amended

  // A whole code system with nested concepts (observation-status has none; bundle-type none):
  // request-status draws from a complete CodeSystem.
  const ValueSetDef* status = find_value_set("http://hl7.org/fhir/ValueSet/request-status");
  REQUIRE(status != nullptr);
  CHECK(check_code(*status, {}, "active") == Membership::kMember);
  CHECK(check_code(*status, {}, "finished") == Membership::kNotMember);

  // MIME types (urn:ietf:bcp:13) are not in the package: unknown, never refused.
  const ValueSetDef* mime = find_value_set("http://hl7.org/fhir/ValueSet/mimetypes");
  REQUIRE(mime != nullptr);
  CHECK(check_code(*mime, {}, "text/plain") == Membership::kUnknown);
  CHECK(uses_system(*mime, "urn:ietf:bcp:13"));
}

TEST_CASE("every required binding of the model points at its expanded value set") {
  int bound = 0;
  for (const TypeDef& type : all_types()) {
    for (const ElementDef& e : type.elements) {
      if (e.binding_strength != BindingStrength::kRequired) {
        CHECK(e.value_set_index == -1);
        continue;
      }
      REQUIRE(e.value_set_index >= 0);
      std::string_view url = e.value_set.substr(0, e.value_set.find('|'));
      CHECK(value_sets()[static_cast<std::size_t>(e.value_set_index)].url == url);
      ++bound;
    }
  }
  CHECK(bound > 300);
}

TEST_CASE("a code outside its required value set is an error at its element") {
  Issue i = only_issue(R"({"resourceType":"Patient","gender":"robot"})");
  CHECK(i.severity == Severity::kError);
  CHECK(i.type == "code-invalid");
  CHECK(i.expression == "Patient.gender");
  CHECK(i.diagnostics.find("'robot'") != std::string::npos);
  CHECK(i.diagnostics.find(kGender) != std::string::npos);

  CHECK(issues_of(R"({"resourceType":"Patient","gender":"female"})").empty());
  CHECK(only_issue(R"({"resourceType":"Patient","contact":[{"name":{"family":"x"}},
      {"name":{"family":"y"},"gender":"f"}]})")
            .expression == "Patient.contact[1].gender");

  Result<JsonDocument> doc = parse_json(R"({"resourceType":"Patient","gender":"robot"})");
  REQUIRE(doc.is_ok());
  Status s = validate_resource(*doc, "Patient");
  CHECK(s.code() == Code::kUnprocessable);
}

TEST_CASE("a Coding is checked by system and code") {
  // No R4 element binds a Coding `required`, so the check is called directly.
  const ValueSetDef* gender = find_value_set(kGender);
  REQUIRE(gender != nullptr);
  auto coding = [&](std::string_view json) {
    Result<JsonDocument> doc = parse_json(json);
    REQUIRE(doc.is_ok());
    return check_binding(*doc, "Coding", *gender);
  };
  CHECK_FALSE(coding(R"({"system":"http://hl7.org/fhir/administrative-gender","code":"male"})"));
  auto bad = coding(R"({"system":"http://hl7.org/fhir/administrative-gender","code":"robot"})");
  REQUIRE(bad);
  CHECK(bad->severity == Severity::kError);
  CHECK(coding(R"({"system":"http://other","code":"male"})"));
  CHECK_FALSE(coding(R"({"display":"no code"})"));
}

TEST_CASE(
    "a CodeableConcept needs one coding in the value set once it has codings of its "
    "systems") {
  // Condition.clinicalStatus: required, condition-clinical.
  constexpr std::string_view kSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
  auto condition = [&](std::string codings) {
    return R"({"resourceType":"Condition","subject":{"reference":"Patient/1"},
        "clinicalStatus":{"coding":[)" +
           codings + "]}}";
  };
  CHECK(issues_of(condition(R"({"system":")" + std::string(kSystem) + R"(","code":"active"})"))
            .empty());
  // One good coding among others is enough.
  CHECK(issues_of(condition(R"({"system":"http://local","code":"x"},{"system":")" +
                            std::string(kSystem) + R"(","code":"active"})"))
            .empty());
  Issue bad =
      only_issue(condition(R"({"system":")" + std::string(kSystem) + R"(","code":"sleeping"})"));
  CHECK(bad.severity == Severity::kError);
  CHECK(bad.type == "code-invalid");
  CHECK(bad.expression == "Condition.clinicalStatus");
  // Codings of other systems only: a warning, the resource is still valid.
  Issue other = only_issue(condition(R"({"system":"http://local","code":"x"})"));
  CHECK(other.severity == Severity::kWarning);
  Result<JsonDocument> doc = parse_json(condition(R"({"system":"http://local","code":"x"})"));
  REQUIRE(doc.is_ok());
  CHECK(validate_resource(*doc).is_ok());
  // Text only: nothing to check.
  CHECK(issues_of(R"({"resourceType":"Condition","subject":{"reference":"Patient/1"},
      "clinicalStatus":{"text":"active"}})")
            .empty());
}

TEST_CASE("codes of systems Hearth cannot expand are warnings, not errors") {
  // Attachment.contentType is bound (required) to MIME types, urn:ietf:bcp:13.
  Issue i = only_issue(R"({"resourceType":"DocumentReference","status":"current",
      "content":[{"attachment":{"contentType":"text/plain"}}]})");
  CHECK(i.severity == Severity::kWarning);
  CHECK(i.type == "code-invalid");
  CHECK(i.expression == "DocumentReference.content[0].attachment.contentType");
}

TEST_CASE("a choice element's binding issue is written with ofType()") {
  // Extension values are unbound, so the choice path is shown through a bound element inside a
  // choice-typed value: Observation.valueQuantity.comparator (required, quantity-comparator).
  Issue i = only_issue(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueQuantity":{"value":1,"comparator":"about"}})");
  CHECK(i.type == "code-invalid");
  CHECK(i.expression == "Observation.value.ofType(Quantity).comparator");
}

}  // namespace hearth::fhir
