// A profile's own invariants (fhir/profile_constraint.h): vitalsigns' vs-1..vs-3 from the shipped
// tables, and a profile written here with constraints at its root, on a backbone element, on a
// datatype element and on a choice value; their severities, a derived profile inheriting them, a
// repeated base key left to the base validation, an expression that cannot be evaluated, and one
// compile error per malformed constraint.
#include "fhir/profile_constraint.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fhir/profile.h"
#include "fhir/profile_validate.h"
#include "fhir/shipped_profiles.h"

namespace hearth::fhir {
namespace {

JsonDocument parse(std::string_view text) {
  Result<JsonDocument> doc = parse_json(text);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  return std::move(doc).value();
}

std::string text_of(const std::vector<Issue>& issues) {
  std::string out;
  for (const Issue& i : issues) {
    out += std::to_string(static_cast<int>(i.severity)) + " " + i.type + " @ " + i.expression +
           ": " + i.diagnostics + "\n";
  }
  return out;
}

// Is there an issue of `severity`, IssueType invariant, at `expression`, whose diagnostics start
// with `key`?
bool has(const std::vector<Issue>& issues, Severity severity, std::string_view key,
         std::string_view expression) {
  for (const Issue& i : issues) {
    if (i.severity == severity && i.type == "invariant" && i.expression == expression &&
        i.diagnostics.starts_with(std::string(key) + ":")) {
      return true;
    }
  }
  return false;
}

std::size_t count_errors(const std::vector<Issue>& issues) {
  std::size_t n = 0;
  for (const Issue& i : issues) n += i.severity == Severity::kError ? 1 : 0;
  return n;
}

ProfileLookup shipped() {
  return [](std::string_view url) { return shipped_profile(url); };
}

std::vector<Issue> against(std::string_view json, const Profile& p,
                           const ProfileLookup& lookup = shipped()) {
  JsonDocument doc = parse(json);
  return validate_against_profile(doc, p, lookup);
}

constexpr std::string_view kVital = R"({"resourceType":"Observation","status":"final",
  "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
    "code":"vital-signs"}]}],
  "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
  "subject":{"reference":"Patient/example"},"effectiveDateTime":"2012-09-17",
  "valueQuantity":{"value":44,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})";

std::string replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  std::size_t at = out.find(from);
  REQUIRE(at != std::string::npos);
  out.replace(at, from.size(), to);
  return out;
}

TEST_CASE("vitalsigns' own invariants vs-1, vs-2 and vs-3 come from the shipped tables") {
  auto vitals = shipped_profile("http://hl7.org/fhir/StructureDefinition/vitalsigns");
  REQUIRE(vitals != nullptr);
  std::vector<Issue> issues = against(kVital, *vitals);
  INFO(text_of(issues));
  CHECK(count_errors(issues) == 0);

  // vs-2 at the root: neither a value nor a dataAbsentReason, no component or hasMember.
  std::string no_value = replace(kVital, R"(,
  "valueQuantity":{"value":44,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"})",
                                 "");
  issues = against(no_value, *vitals);
  INFO(text_of(issues));
  CHECK(has(issues, Severity::kError, "vs-2", "Observation"));
  CHECK(against(replace(no_value, R"("status":"final",)",
                        R"("status":"final","dataAbsentReason":{"text":"no"},)"),
                *vitals)
            .empty());

  // vs-1 on the choice value: a dateTime of at least a day.
  issues = against(replace(kVital, "2012-09-17", "2012"), *vitals);
  CHECK(has(issues, Severity::kError, "vs-1", "Observation.effective.ofType(dateTime)"));

  // vs-3 on each component: a value or a dataAbsentReason.
  issues = against(replace(kVital, R"("status":"final",)",
                           R"("status":"final","component":[{"code":{"text":"a"},
                              "valueString":"x"},{"code":{"text":"b"}}],)"),
                   *vitals);
  CHECK(has(issues, Severity::kError, "vs-3", "Observation.component[1]"));
  CHECK_FALSE(has(issues, Severity::kError, "vs-3", "Observation.component[0]"));
  // The base definitions' constraints are not among the profile's (the base validation has them).
  for (std::uint32_t i = 0; i < vitals->elements.size(); ++i) {
    for (const ProfileConstraint& c : vitals->elements[i].constraints) {
      CHECK(c.key.starts_with("vs-"));
    }
  }
}

constexpr std::string_view kProfile = R"json({"resourceType":"StructureDefinition",
  "url":"http://example.org/StructureDefinition/checked-patient","name":"CheckedPatient",
  "type":"Patient","kind":"resource","derivation":"constraint",
  "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
  "differential":{"element":[
    {"id":"Patient","path":"Patient","constraint":[
      {"key":"cp-1","severity":"error","human":"a name or an identifier",
       "expression":"name.exists() or identifier.exists()"},
      {"key":"cp-2","severity":"warning","human":"a birth date is expected",
       "expression":"birthDate.exists()"},
      {"key":"ele-1","severity":"error","human":"repeated from the base",
       "expression":"false"}]},
    {"id":"Patient.name","path":"Patient.name","constraint":[
      {"key":"cp-3","severity":"error","human":"a family name",
       "expression":"family.exists()"}]},
    {"id":"Patient.contact","path":"Patient.contact","constraint":[
      {"key":"cp-4","severity":"error","human":"a contact has a telecom",
       "expression":"telecom.exists()"}]},
    {"id":"Patient.deceased[x]","path":"Patient.deceased[x]","constraint":[
      {"key":"cp-5","severity":"error","human":"only true",
       "expression":"($this as boolean) != false"}]},
    {"id":"Patient.gender","path":"Patient.gender","constraint":[
      {"key":"cp-6","severity":"error","human":"a name that does not exist",
       "expression":"nosuchchild.exists()"}]}]}})json";

TEST_CASE("a profile's constraints: root, datatype, backbone and choice values, severities") {
  JsonDocument sd = parse(kProfile);
  Result<std::shared_ptr<const Profile>> compiled = compile_profile(sd, shipped());
  REQUIRE_MESSAGE(compiled.is_ok(), compiled.status().message());
  const Profile& p = **compiled;
  const std::string good = R"({"resourceType":"Patient","birthDate":"2000",
    "name":[{"family":"Chalmers"}],"contact":[{"telecom":[{"system":"phone","value":"1"}]}],
    "deceasedBoolean":true})";
  std::vector<Issue> issues = against(good, p);
  INFO(text_of(issues));
  CHECK(issues.empty());

  issues = against(R"({"resourceType":"Patient"})", p);
  INFO(text_of(issues));
  CHECK(has(issues, Severity::kError, "cp-1", "Patient"));
  CHECK(has(issues, Severity::kWarning, "cp-2", "Patient"));
  CHECK(count_errors(issues) == 1);  // ele-1 in the differential is the base's, not re-run

  issues = against(replace(good, R"("name":[{"family":"Chalmers"}])",
                           R"("name":[{"family":"Chalmers"},{"given":["Jim"]}])"),
                   p);
  CHECK(has(issues, Severity::kError, "cp-3", "Patient.name[1]"));
  CHECK(count_errors(issues) == 1);

  issues = against(replace(good, R"("contact":[{"telecom":[{"system":"phone","value":"1"}]}])",
                           R"("contact":[{"telecom":[{"value":"1"}]},{"gender":"male"}])"),
                   p);
  CHECK(has(issues, Severity::kError, "cp-4", "Patient.contact[1]"));

  issues = against(replace(good, R"("deceasedBoolean":true)", R"("deceasedBoolean":false)"), p);
  CHECK(has(issues, Severity::kError, "cp-5", "Patient.deceased.ofType(boolean)"));
  CHECK(against(replace(good, R"("deceasedBoolean":true)", R"("deceasedDateTime":"2020")"), p)
            .empty());

  // An expression naming an element the type does not define cannot be evaluated: a warning.
  issues = against(replace(good, R"("birthDate")", R"("gender":"male","birthDate")"), p);
  INFO(text_of(issues));
  CHECK(has(issues, Severity::kWarning, "cp-6", "Patient.gender"));
  CHECK(count_errors(issues) == 0);
}

TEST_CASE("a profile derived from a profile keeps its base's constraints") {
  JsonDocument base_sd = parse(kProfile);
  Result<std::shared_ptr<const Profile>> base = compile_profile(base_sd, shipped());
  REQUIRE(base.is_ok());
  ProfileLookup lookup = [&](std::string_view url) -> std::shared_ptr<const Profile> {
    if (url == (*base)->url) return *base;
    return shipped_profile(url);
  };
  JsonDocument derived_sd = parse(R"json({"resourceType":"StructureDefinition",
    "url":"http://example.org/StructureDefinition/derived","name":"Derived","type":"Patient",
    "kind":"resource","derivation":"constraint",
    "baseDefinition":"http://example.org/StructureDefinition/checked-patient",
    "differential":{"element":[{"id":"Patient","path":"Patient","constraint":[
      {"key":"cp-1","severity":"error","human":"repeated","expression":"true"},
      {"key":"dp-1","severity":"error","human":"active is set","expression":"active.exists()"}
    ]}]}})json");
  Result<std::shared_ptr<const Profile>> derived = compile_profile(derived_sd, lookup);
  REQUIRE_MESSAGE(derived.is_ok(), derived.status().message());
  std::vector<Issue> issues = against(R"({"resourceType":"Patient"})", **derived, lookup);
  INFO(text_of(issues));
  CHECK(has(issues, Severity::kError, "cp-1", "Patient"));  // the base's, not the repeat
  CHECK(has(issues, Severity::kError, "dp-1", "Patient"));
}

TEST_CASE("a malformed constraint refuses the profile, naming it") {
  auto error_of = [](std::string_view constraint) {
    std::string text = replace(kProfile, R"({"key":"cp-1","severity":"error",)",
                               std::string(constraint) + R"(,{"key":"cp-1","severity":"error",)");
    INFO(constraint.substr(0, 100));
    JsonDocument sd = parse(text);
    Result<std::shared_ptr<const Profile>> p = compile_profile(sd, shipped());
    REQUIRE_FALSE(p.is_ok());
    CHECK(p.status().code() == Code::kInvalidArgument);
    return p.status().issues()[0].expression + " " + p.status().message();
  };
  const std::string at = "StructureDefinition.differential.element('Patient').constraint[0]";
  std::string e = error_of(R"({"key":"x-1","severity":"error","human":"h","expression":"(("})");
  CHECK(e.starts_with(at + ".expression "));
  CHECK(e.find("does not compile") != std::string::npos);
  e = error_of(R"({"key":"x-1","severity":"fatal","human":"h","expression":"true"})");
  CHECK(e.starts_with(at + ".severity "));
  e = error_of(R"({"key":"x-1","severity":"error","expression":"true"})");
  CHECK(e.starts_with(at + " "));
  CHECK(e.find("human") != std::string::npos);
  e = error_of(R"({"key":"x-1","severity":"error","human":"h","expression":")" +
               std::string(kMaxConstraintExpression + 1, 'a') + R"("})");
  CHECK(e.find("longer than") != std::string::npos);
  e = error_of(R"("not an object")");
  CHECK(e.find("not an object") != std::string::npos);
  std::string many;
  for (std::size_t i = 0; i <= kMaxElementConstraints; ++i) {
    many += std::string(i ? "," : "") + R"({"key":"m-)" + std::to_string(i) +
            R"(","severity":"error","human":"h","expression":"true"})";
  }
  e = error_of(many);
  CHECK(e.find("more than") != std::string::npos);
}

}  // namespace
}  // namespace hearth::fhir
