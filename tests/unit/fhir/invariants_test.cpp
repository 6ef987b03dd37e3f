// Invariants (fhir/constraint.h, fhir/invariants.h, through fhir/validate.h): the generated
// table, every constraint compiled or listed as skipped, the native ele-1 and ext-1, and one
// failing case per kind of site (resource root, backbone element, datatype, choice value,
// contained and Bundle entry resources).
#include "fhir/invariants.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/model.h"
#include "fhir/validate.h"
#include "tests/test_paths.h"

namespace hearth::fhir {
namespace {

std::vector<Issue> issues_of(std::string_view json) {
  Result<JsonDocument> doc = parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  return validation_issues(*doc);
}

// Asserts `json` has an error naming constraint `key` at `expression`.
void expect_invariant(std::string_view json, std::string_view key, std::string_view expression) {
  std::vector<Issue> issues = issues_of(json);
  std::string all;
  bool found = false;
  for (const Issue& i : issues) {
    all += i.type + " @ " + i.expression + ": " + i.diagnostics + "\n";
    found =
        found || (i.severity == Severity::kError && i.type == "invariant" &&
                  i.expression == expression && i.diagnostics.starts_with(std::string(key) + ":"));
  }
  INFO(json);
  INFO(all);
  CHECK(found);
}

bool valid(std::string_view json) {
  Result<JsonDocument> doc = parse_json(json);
  REQUIRE(doc.is_ok());
  Status s = validate_resource(*doc);
  INFO(json, "\n", s.message());
  return s.is_ok();
}

}  // namespace

TEST_CASE("the invariants of the base definitions are in the tables") {
  std::set<std::string_view> keys;
  for (const ConstraintDef& c : all_constraints()) keys.insert(c.key);
  MESSAGE("distinct invariants (severity error): ", keys.size());
  CHECK(keys.size() > 190);
  for (std::string_view key : {"ele-1", "ext-1", "dom-2", "pat-1", "obs-6", "per-1", "qty-3"}) {
    CHECK_MESSAGE(keys.count(key) == 1, key);
  }
  const TypeDef* patient = find_type("Patient");
  REQUIRE(patient != nullptr);
  std::set<std::string_view> root;
  for (const ConstraintDef& c : constraints_of(*patient, 0)) root.insert(c.key);
  CHECK(root.count("dom-2") == 1);  // inherited from DomainResource, on the root
  const ElementDef* contact = find_element("Patient.contact");
  REQUIRE(contact != nullptr);
  auto on_contact =
      constraints_of(*patient, static_cast<std::uint32_t>(contact - patient->elements.data()));
  bool pat1 = false;
  for (const ConstraintDef& c : on_contact) pat1 = pat1 || c.key == "pat-1";
  CHECK(pat1);
  // A datatype's own constraints are not repeated on elements of that type.
  const ElementDef* ext = find_element("Patient.extension");
  REQUIRE(ext != nullptr);
  for (const ConstraintDef& c :
       constraints_of(*patient, static_cast<std::uint32_t>(ext - patient->elements.data()))) {
    CHECK(c.key != "ext-1");
  }
}

TEST_CASE("every invariant compiles, or is listed as skipped with a reason") {
  std::set<std::string_view> skipped;
  for (const SkippedConstraint& s : skipped_constraints()) {
    CHECK_FALSE(s.reason.empty());
    skipped.insert(s.key);
  }
  int compiled = 0;
  for (const ConstraintDef& c : all_constraints()) {
    if (skipped.count(c.key) != 0) continue;
    Result<fhirpath::Expression> e = fhirpath::compile(c.expression);
    CHECK_MESSAGE(e.is_ok(), c.key, ": ", c.expression, ": ", e.status().message());
    compiled += e.is_ok() ? 1 : 0;
  }
  MESSAGE("invariants evaluated through FHIRPath: ", compiled, "; skipped: ", skipped.size());
}

TEST_CASE("the tables hold every error constraint of the package's base definitions") {
  // Read from the package here, not through the generator: every StructureDefinition that
  // defines a type (derivation specialization; logical models aside), every constraint of
  // severity error in its snapshot.
  std::set<std::string> in_package;
  for (const auto& e : std::filesystem::directory_iterator(hearth::test::fhir_package_dir())) {
    if (!e.path().filename().string().starts_with("StructureDefinition-")) continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    Result<JsonDocument> sd = parse_json(text.str());
    REQUIRE_MESSAGE(sd.is_ok(), e.path().string());
    auto member = [&](const char* name) {
      auto it = sd->FindMember(name);
      return it != sd->MemberEnd() && it->value.IsString() ? std::string(it->value.GetString())
                                                           : std::string();
    };
    if (member("derivation") != "specialization" || member("kind") == "logical") continue;
    for (const JsonValue& el : (*sd)["snapshot"]["element"].GetArray()) {
      if (!el.HasMember("constraint")) continue;
      for (const JsonValue& c : el["constraint"].GetArray()) {
        if (std::string_view(c["severity"].GetString()) == "error") {
          in_package.insert(c["key"].GetString());
        }
      }
    }
  }
  std::set<std::string> in_tables;
  for (const ConstraintDef& c : all_constraints()) in_tables.emplace(c.key);
  MESSAGE("error constraints in the package: ", in_package.size(),
          ", in the tables: ", in_tables.size());
  CHECK(in_package.size() > 190);
  CHECK(in_tables == in_package);
}

TEST_CASE("docs/validation.md lists exactly the skipped constraints") {
  std::ifstream in(hearth::test::source_dir() + "/docs/validation.md");
  REQUIRE(in.good());
  std::set<std::string> listed;
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("### ")) in_table = line == "### Checked natively, or skipped";
    if (in_table && line.starts_with("| `")) {
      listed.insert(line.substr(3, line.find('`', 3) - 3));
    }
  }
  std::set<std::string> skipped;
  for (const SkippedConstraint& s : skipped_constraints()) skipped.emplace(s.key);
  CHECK(listed == skipped);
}

TEST_CASE("ele-1 and ext-1 are checked natively") {
  expect_invariant(R"({"resourceType":"Patient","name":[{"id":"n1"}]})", "ele-1",
                   "Patient.name[0]");
  expect_invariant(R"({"resourceType":"Patient","_birthDate":{"id":"b"}})", "ele-1",
                   "Patient.birthDate");
  expect_invariant(R"({"resourceType":"Patient","name":[{"given":["a",null],
      "_given":[null,{"id":"x"}]}]})",
                   "ele-1", "Patient.name[0].given[1]");
  CHECK(valid(R"({"resourceType":"Patient","_birthDate":{"id":"b",
      "extension":[{"url":"http://x","valueString":"y"}]}})"));
  CHECK(valid(R"({"resourceType":"Patient","birthDate":"2000-01-01","_birthDate":{"id":"b"}})"));
  expect_invariant(R"({"resourceType":"Patient","extension":[{"url":"http://x"}]})", "ext-1",
                   "Patient.extension[0]");
  expect_invariant(R"({"resourceType":"Patient","extension":[{"url":"http://x","valueString":"a",
      "extension":[{"url":"y","valueString":"b"}]}]})",
                   "ext-1", "Patient.extension[0]");
  CHECK(valid(R"({"resourceType":"Patient","extension":[{"url":"http://x",
      "extension":[{"url":"y","valueString":"b"}]}]})"));
}

TEST_CASE("a failing invariant is an error naming its key and element") {
  // On a backbone element.
  expect_invariant(R"({"resourceType":"Patient","contact":[{"name":{"family":"a"}},
      {"gender":"male"}]})",
                   "pat-1", "Patient.contact[1]");
  CHECK(valid(R"({"resourceType":"Patient","contact":[{"name":{"family":"a"}}]})"));
  // On the resource root.
  expect_invariant(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueString":"a","dataAbsentReason":{"text":"b"}})",
                   "obs-6", "Observation");
  // On a datatype, reached through a choice element.
  expect_invariant(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueQuantity":{"value":1,"code":"mg"}})",
                   "qty-3", "Observation.value.ofType(Quantity)");
  // A datatype deep inside: Period.start after end.
  expect_invariant(R"({"resourceType":"Patient","name":[{"family":"a",
      "period":{"start":"2020-02-01","end":"2020-01-01"}}]})",
                   "per-1", "Patient.name[0].period");
  CHECK(valid(R"({"resourceType":"Patient","name":[{"family":"a",
      "period":{"start":"2020-01-01","end":"2020-02-01"}}]})"));
  // dom-2: a contained resource containing another.
  expect_invariant(R"({"resourceType":"Patient","contained":[{"resourceType":"Patient","id":"c",
      "contained":[{"resourceType":"Patient","id":"d"}]}]})",
                   "dom-2", "Patient");
  // ref-1 looks up %rootResource's contained ids: a contained reference that resolves is fine.
  CHECK(valid(R"({"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o",
      "name":"x"}],"managingOrganization":{"reference":"#o"}})"));
  expect_invariant(R"({"resourceType":"Patient","managingOrganization":{"reference":"#nowhere"}})",
                   "ref-1", "Patient.managingOrganization");
  // A Bundle entry's resource has its own invariants, at its own path.
  expect_invariant(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":
      {"resourceType":"Patient","contact":[{"gender":"male"}]}}]})",
                   "pat-1", "Bundle.entry[0].resource.contact[0]");
}

TEST_CASE("a constraint decided by an absent child still fires when the child is present") {
  const TypeDef* patient = find_type("Patient");
  REQUIRE(patient != nullptr);
  std::span<const ConstraintDef> root = constraints_of(*patient, 0);
  bool dom2_guarded = false;
  for (const ConstraintDef& c : root) {
    if (c.key != "dom-2") continue;
    for (const std::string& g : constraint_guards(c))
      dom2_guarded = dom2_guarded || g == "contained";
  }
  CHECK(dom2_guarded);
  // Without `contained` the DomainResource constraints need no evaluation; with it they do.
  Result<JsonDocument> bare = parse_json(R"({"resourceType":"Patient","active":true})");
  Result<JsonDocument> with =
      parse_json(R"({"resourceType":"Patient","contained":[{"resourceType":"Patient","id":"c"}]})");
  REQUIRE(bare.is_ok());
  REQUIRE(with.is_ok());
  fhirpath::Item node;
  node.type = node.owner = patient;
  node.json = &*bare;
  CHECK_FALSE(needs_evaluation(root, node));
  CHECK(needs_evaluation(root, node, Guarding::kOff));
  node.json = &*with;
  CHECK(needs_evaluation(root, node));
  // Each guarded constraint of a Patient's datatypes, with its child present, still fails.
  expect_invariant(R"({"resourceType":"Patient","telecom":[{"value":"555"}]})", "cpt-2",
                   "Patient.telecom[0]");
  expect_invariant(R"({"resourceType":"Patient","telecom":[{"_value":{"extension":[
      {"url":"http://x","valueString":"y"}]}}]})",
                   "cpt-2", "Patient.telecom[0]");
  expect_invariant(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueQuantity":{"value":1,"code":"mg"}})",
                   "qty-3", "Observation.value.ofType(Quantity)");
  expect_invariant(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueBoolean":true,"dataAbsentReason":{"text":"b"}})",
                   "obs-6", "Observation");
  expect_invariant(R"({"resourceType":"Patient","contained":[{"resourceType":"Patient","id":"c",
      "meta":{"versionId":"1"}}],"link":[{"other":{"reference":"#c"},"type":"seealso"}]})",
                   "dom-4", "Patient");
  // Absent, the same resources pass.
  CHECK(valid(R"({"resourceType":"Patient","telecom":[{"system":"phone","value":"555"}]})"));
  CHECK(valid(R"({"resourceType":"Patient","telecom":[{"system":"phone"}]})"));
}

TEST_CASE("ref-1 is evaluated only on a local reference") {
  const TypeDef* reference = find_type("Reference");
  REQUIRE(reference != nullptr);
  std::span<const ConstraintDef> constraints = constraints_of(*reference, 0);
  const auto needs = [&](const char* json, Guarding guarding = Guarding::kOn) {
    Result<JsonDocument> doc = parse_json(json);
    REQUIRE(doc.is_ok());
    fhirpath::Item node;
    node.type = node.owner = reference;
    node.json = &*doc;
    return needs_evaluation(constraints, node, guarding);
  };
  CHECK_FALSE(needs(R"({"reference":"Patient/1"})"));
  CHECK_FALSE(needs(R"({"reference":"urn:uuid:0a1b"})"));
  CHECK(needs(R"({"reference":"#o"})"));
  CHECK(needs(R"({"reference":"Patient/1"})", Guarding::kOff));
  // Only an extension, no value: not known to be a string, evaluated.
  CHECK(needs(R"({"_reference":{"extension":[{"url":"http://x","valueString":"y"}]}})"));
  CHECK_FALSE(needs(R"({"display":"x"})"));  // absent: the absence guard
  // The outcome is the evaluation's either way.
  CHECK(
      valid(R"({"resourceType":"Patient","managingOrganization":{"reference":"Organization/1"}})"));
  expect_invariant(R"({"resourceType":"Patient","managingOrganization":{"reference":"#o"}})",
                   "ref-1", "Patient.managingOrganization");
}

TEST_CASE("invariants are not evaluated over a broken structure") {
  std::vector<Issue> issues =
      issues_of(R"({"resourceType":"Patient","active":"yes","contact":[{"gender":"male"}]})");
  for (const Issue& i : issues) CHECK(i.type != "invariant");
  CHECK_FALSE(issues.empty());
}

}  // namespace hearth::fhir
