// Validation (fhir/validate.h): one failing case per rule, asserting the issue's type and
// expression, and the official examples of the package, which must all validate.
#include "fhir/validate.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/model.h"
#include "official_examples.h"

namespace hearth::fhir {
namespace {

Status check(std::string_view json, std::string_view expected_type = {}) {
  Result<JsonDocument> doc = parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  return validate_resource(*doc, expected_type);
}

// Asserts `json` fails with an issue of `type` at `expression`.
void expect_issue(std::string_view json, std::string_view type, std::string_view expression) {
  Status s = check(json);
  INFO(json);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.code() == Code::kUnprocessable);
  bool found = false;
  std::string all;
  for (const Issue& i : s.issues()) {
    all += i.type + " @ " + i.expression + ": " + i.diagnostics + "\n";
    found = found || (i.type == type && i.expression == expression);
  }
  INFO(all);
  CHECK(found);
}

}  // namespace

TEST_CASE("valid resources") {
  CHECK(check(R"({"resourceType":"Patient"})").is_ok());
  CHECK(check(R"({"resourceType":"Patient","id":"p1","active":true,
      "name":[{"family":"Chalmers","given":["Peter","James"]}],"birthDate":"1974-12-25",
      "_birthDate":{"extension":[{"url":"http://x","valueDateTime":"1974-12-25T14:35:45-05:00"}]},
      "multipleBirthInteger":2,"contact":[{"name":{"family":"du March\u00e9"}}]})")
            .is_ok());
  CHECK(check(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueQuantity":{"value":1.50e2,"unit":"mg"}})")
            .is_ok());
  CHECK(check(R"({"resourceType":"Patient","name":[{"given":["a",null],"_given":[null,{"id":"x",
      "extension":[{"url":"http://x","valueString":"y"}]}]}]})")
            .is_ok());
  CHECK(check(R"({"resourceType":"Patient"})", "Patient").is_ok());
}

TEST_CASE("resource shape and resourceType") {
  Status s = check(R"([1])");
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.issues()[0].type == "structure");
  expect_issue(R"({"id":"x"})", "required", "");
  expect_issue(R"({"resourceType":"Nope"})", "invalid", "");
  expect_issue(R"({"resourceType":"DomainResource"})", "invalid", "");
  Status wrong = check(R"({"resourceType":"Patient"})", "Observation");
  REQUIRE_FALSE(wrong.is_ok());
  CHECK(wrong.issues()[0].type == "invalid");
}

TEST_CASE("unknown and duplicate properties") {
  expect_issue(R"({"resourceType":"Patient","foo":1})", "structure", "Patient.foo");
  expect_issue(R"({"resourceType":"Patient","fhir_comments":["x"]})", "structure",
               "Patient.fhir_comments");
  expect_issue(R"({"resourceType":"Patient","contact":[{"name":{"family":"a","nick":"b"}}]})",
               "structure", "Patient.contact[0].name.nick");
  expect_issue(R"({"resourceType":"Patient","active":true,"active":false})", "structure",
               "Patient.active");
  expect_issue(R"({"resourceType":"Patient","resourceType":"Patient"})", "structure", "");
}

TEST_CASE("cardinality and arrays") {
  expect_issue(R"({"resourceType":"Observation","code":{"text":"x"}})", "required",
               "Observation.status");
  expect_issue(R"({"resourceType":"Patient","link":[{"type":"seealso"}]})", "required",
               "Patient.link[0].other");
  expect_issue(R"({"resourceType":"Patient","active":[true]})", "structure", "Patient.active");
  expect_issue(R"({"resourceType":"Patient","name":{"family":"x"}})", "structure", "Patient.name");
  expect_issue(R"({"resourceType":"Patient","name":[]})", "structure", "Patient.name");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":"x"}]})", "structure",
               "Patient.name[0].given");
  expect_issue(R"({"resourceType":"Patient","name":[{}]})", "structure", "Patient.name[0]");
  expect_issue(R"({"resourceType":"Patient","maritalStatus":{}})", "structure",
               "Patient.maritalStatus");
  expect_issue(R"({"resourceType":"Patient","active":null})", "structure", "Patient.active");
  expect_issue(R"({"resourceType":"Patient","name":[null]})", "structure", "Patient.name[0]");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":["a",null]}]})", "structure",
               "Patient.name[0].given[1]");
  expect_issue(R"({"resourceType":"Patient","text":{"status":"generated","div":"<div>x</div>",
      "extension":[{"url":"http://x","valueString":"a"}]},"photo":[{"data":"SGVsbG8=","size":0,"title":"t"}],
      "contact":[{"organization":{"reference":"Organization/1"},"period":{"start":"2020"}}],
      "identifier":[{"system":"http://x","value":"1","period":{"end":"2020-01"}}],
      "telecom":[{"system":"phone","value":"1","rank":0}]})",
               "value", "Patient.telecom[0].rank");
}

TEST_CASE("primitive values") {
  expect_issue(R"({"resourceType":"Patient","active":"true"})", "value", "Patient.active");
  expect_issue(R"({"resourceType":"Patient","birthDate":"1974-13-01"})", "value",
               "Patient.birthDate");
  expect_issue(R"({"resourceType":"Patient","birthDate":19741201})", "value", "Patient.birthDate");
  expect_issue(R"({"resourceType":"Patient","id":"a_b"})", "value", "Patient.id");
  expect_issue(R"({"resourceType":"Patient","gender":" male"})", "value", "Patient.gender");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":["ok",""]}]})", "value",
               "Patient.name[0].given[1]");
  expect_issue(R"({"resourceType":"Patient","multipleBirthInteger":"2"})", "value",
               "Patient.multipleBirth.ofType(integer)");
  expect_issue(R"({"resourceType":"Patient","multipleBirthInteger":2.5})", "value",
               "Patient.multipleBirth.ofType(integer)");
  expect_issue(R"({"resourceType":"Patient","multipleBirthInteger":2147483648})", "value",
               "Patient.multipleBirth.ofType(integer)");
  expect_issue(R"({"resourceType":"Patient","photo":[{"size":-1}]})", "value",
               "Patient.photo[0].size");
  expect_issue(R"({"resourceType":"Patient","photo":[{"data":"abc"}]})", "value",
               "Patient.photo[0].data");
  expect_issue(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "valueQuantity":{"value":"1.5"}})",
               "value", "Observation.value.ofType(Quantity).value");
  expect_issue(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "issued":"2015-02-07"})",
               "value", "Observation.issued");
  expect_issue(R"({"resourceType":"Patient","text":{"status":"generated","div":"<p>x</p>"}})",
               "value", "Patient.text.div");
  expect_issue(R"({"resourceType":"Patient","implicitRules":"a b"})", "value",
               "Patient.implicitRules");
  expect_issue(R"({"resourceType":"Patient","extension":[{"url":"http://x","valueUuid":"x"}]})",
               "value", "Patient.extension[0].value.ofType(uuid)");
}

TEST_CASE("primitive extensions") {
  expect_issue(R"({"resourceType":"Patient","_birthDate":"x"})", "structure", "Patient.birthDate");
  expect_issue(R"({"resourceType":"Patient","_birthDate":{}})", "structure", "Patient.birthDate");
  expect_issue(R"({"resourceType":"Patient","_birthDate":{"value":"1"}})", "structure",
               "Patient.birthDate.value");
  expect_issue(R"({"resourceType":"Patient","_birthDate":{"extension":[{"valueString":"x"}]}})",
               "required", "Patient.birthDate.extension[0].url");
  expect_issue(R"({"resourceType":"Patient","_maritalStatus":{"id":"x"}})", "structure",
               "Patient.maritalStatus");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":["a"],"_given":{"id":"x"}}]})",
               "structure", "Patient.name[0].given");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":["a","b"],"_given":[null]}]})",
               "structure", "Patient.name[0].given");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":["a",null],"_given":[null,null]}]})",
               "structure", "Patient.name[0].given[1]");
  CHECK(check(R"({"resourceType":"Patient","birthDate":"2000","_birthDate":{"id":"b"}})").is_ok());
}

TEST_CASE("choice types") {
  expect_issue(R"({"resourceType":"Patient","deceasedString":"x"})", "structure",
               "Patient.deceasedString");
  expect_issue(R"({"resourceType":"Patient","deceasedBoolean":true,"deceasedDateTime":"2020"})",
               "structure", "Patient.deceased.ofType(dateTime)");
  expect_issue(R"({"resourceType":"Patient","deceased":true})", "structure", "Patient.deceased");
  expect_issue(R"({"resourceType":"Patient","extension":[{"url":"http://x",
      "valueString":"a","valueCode":"b"}]})",
               "structure", "Patient.extension[0].value.ofType(code)");
}

TEST_CASE("nested resources, backbones and contentReference") {
  expect_issue(R"({"resourceType":"Patient","contained":[{"resourceType":"Observation",
      "status":"final","code":{"text":"x"},"foo":1}]})",
               "structure", "Patient.contained[0].foo");
  expect_issue(R"({"resourceType":"Patient","contained":[{"id":"x"}]})", "required",
               "Patient.contained[0]");
  expect_issue(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":
      {"resourceType":"Patient","active":1}}]})",
               "value", "Bundle.entry[0].resource.active");
  expect_issue(R"({"resourceType":"Parameters","parameter":[{"name":"p","resource":
      {"resourceType":"Patient","gender":1}}]})",
               "value", "Parameters.parameter[0].resource.gender");
  expect_issue(R"({"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1",
      "type":"group","item":[{"linkId":"1.1","type":"string","item":[{"type":"string"}]}]}]})",
               "required", "Questionnaire.item[0].item[0].item[0].linkId");
}

TEST_CASE("issues are capped") {
  std::string json = R"({"resourceType":"Patient","name":[)";
  for (int i = 0; i < 300; ++i) json += std::string(i ? "," : "") + R"({"family":1})";
  json += "]}";
  Status s = check(json);
  CHECK(s.issues().size() == kMaxValidationIssues);
  CHECK(s.issues()[99].expression == "Patient.name[99].family");
}

TEST_CASE("an envelope's own invariants are left out, its entries' are not (kBelowEnvelope)") {
  // Two entries with one fullUrl (bdl-7) and a request in a collection (bdl-3); the second
  // entry's Patient has a contact with no details (pat-1), and holds a contained Bundle that
  // breaks bdl-7 too: a nested resource is checked whatever its type.
  Result<JsonDocument> doc = parse_json(R"({"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"},
       "request":{"method":"POST","url":"Patient"}},
      {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","contact":[{"gender":"male"}]}},
      {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Bundle","type":"collection","entry":[
          {"fullUrl":"urn:uuid:9","resource":{"resourceType":"Basic","code":{"text":"a"}}},
          {"fullUrl":"urn:uuid:9","resource":{"resourceType":"Basic","code":{"text":"b"}}}]}}]})");
  REQUIRE(doc.is_ok());
  const auto keys = [&](Invariants invariants) {
    std::set<std::string> out;
    for (const Issue& i : validation_issues(*doc, "Bundle", invariants)) {
      out.insert(i.diagnostics.substr(0, i.diagnostics.find(':')) + " @ " + i.expression);
    }
    return out;
  };
  CHECK(keys(Invariants::kChecked) ==
        std::set<std::string>{"bdl-3 @ Bundle", "bdl-7 @ Bundle",
                              "bdl-7 @ Bundle.entry[2].resource",
                              "pat-1 @ Bundle.entry[1].resource.contact[0]"});
  CHECK(keys(Invariants::kBelowEnvelope) ==
        std::set<std::string>{"bdl-7 @ Bundle.entry[2].resource",
                              "pat-1 @ Bundle.entry[1].resource.contact[0]"});
  CHECK_FALSE(validate_resource(*doc, "Bundle", Invariants::kBelowEnvelope).is_ok());
}

namespace {

// Official examples that break R4 rules, with the issue type and expression of the break.
struct KnownBad {
  const char* file;
  const char* issue_type;
  const char* expression;
  const char* rule;
};
constexpr const char* kNoBase =
    "SearchParameter.base is 1..*; these extension search "
    "parameters have no base";
constexpr const char* kEmptyNarrative =
    "txt-2: the narrative div has no non-whitespace content (and so fails txt-1's htmlChecks())";
constexpr const char* kNoBaseDefinition =
    "sdf-4: a logical model that is not abstract has no baseDefinition";
const std::vector<KnownBad> kKnownBad = {
    {"ActivityDefinition-blood-tubes-supply.json", "invariant", "ActivityDefinition.text.div",
     kEmptyNarrative},
    {"ActivityDefinition-heart-valve-replacement.json", "invariant", "ActivityDefinition.text.div",
     kEmptyNarrative},
    {"EventDefinition-example.json", "invariant", "EventDefinition.text.div", kEmptyNarrative},
    {"Questionnaire-zika-virus-exposure-assessment.json", "invariant", "Questionnaire.text.div",
     kEmptyNarrative},
    {"Bundle-dataelements.json", "invariant", "Bundle",
     "bdl-7: fullUrls repeat (de-Quantity.value, ...) without distinct meta.versionId"},
    {"StructureDefinition-Definition.json", "invariant", "StructureDefinition", kNoBaseDefinition},
    {"StructureDefinition-Event.json", "invariant", "StructureDefinition", kNoBaseDefinition},
    {"StructureDefinition-FiveWs.json", "invariant", "StructureDefinition", kNoBaseDefinition},
    {"StructureDefinition-Request.json", "invariant", "StructureDefinition", kNoBaseDefinition},
    {"ImplementationGuide-fhir.json", "required", "ImplementationGuide.name",
     "ImplementationGuide.name and .status are 1..1; both are missing"},
    {"ig-r4.json", "required", "ImplementationGuide.name",
     "ImplementationGuide.name and .status are 1..1; both are missing"},
    {"Questionnaire-qs1.json", "required", "Questionnaire.item[0].item[0].linkId",
     "Questionnaire.item.linkId is 1..1; the nested display items have none"},
    {"SearchParameter-codesystem-extensions-CodeSystem-author.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-codesystem-extensions-CodeSystem-effective.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-codesystem-extensions-CodeSystem-end.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-codesystem-extensions-CodeSystem-keyword.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-codesystem-extensions-CodeSystem-workflow.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-valueset-extensions-ValueSet-author.json", "required", "SearchParameter.base",
     kNoBase},
    {"SearchParameter-valueset-extensions-ValueSet-effective.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-valueset-extensions-ValueSet-end.json", "required", "SearchParameter.base",
     kNoBase},
    {"SearchParameter-valueset-extensions-ValueSet-keyword.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-valueset-extensions-ValueSet-workflow.json", "required",
     "SearchParameter.base", kNoBase},
    {"SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json",
     "value", "SearchParameter.id", "an id is at most 64 characters; this one has 67"},
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

TEST_CASE("every official example validates") {
  const std::vector<std::filesystem::path> files = testing::official_example_files();
  int validated = 0, definitions = 0, failed = 0, warnings = 0, unevaluated = 0, compared = 0;
  int known_bad = 0;
  std::set<std::string> unevaluated_keys;
  for (const auto& path : files) {
    std::string name = path.filename().string();
    Result<JsonDocument> doc = parse_json(read_file(path));
    if (!doc.is_ok() || !doc->IsObject() || !doc->HasMember("resourceType")) continue;
    if (!is_resource_type(json_string((*doc)["resourceType"]))) continue;
    std::vector<Issue> issues = validation_issues(*doc);
    // Skipping the constraints decided by an absent child changes nothing (fhir/invariants.h).
    std::vector<Issue> unguarded = validation_issues(*doc, {}, Invariants::kUnguarded);
    bool same = issues.size() == unguarded.size();
    for (std::size_t i = 0; same && i < issues.size(); ++i) {
      same = issues[i].severity == unguarded[i].severity && issues[i].type == unguarded[i].type &&
             issues[i].diagnostics == unguarded[i].diagnostics &&
             issues[i].expression == unguarded[i].expression;
    }
    CHECK_MESSAGE(same, name, ": the issues differ when every invariant is evaluated");
    compared += same ? 1 : 0;
    bool has_error = false;
    for (const Issue& i : issues) {
      has_error = has_error || i.severity == Severity::kError;
      warnings += i.severity == Severity::kWarning && i.type != "invariant" ? 1 : 0;
      if (i.severity == Severity::kWarning && i.type == "invariant") {
        ++unevaluated;
        unevaluated_keys.insert(i.diagnostics + " (" + name + ")");
      }
    }
    Status s = has_error ? Status(Code::kUnprocessable, std::move(issues)) : Status::ok();
    const KnownBad* known = nullptr;
    for (const KnownBad& k : kKnownBad) {
      if (name == k.file) known = &k;
    }
    if (known != nullptr) {
      ++known_bad;
      INFO(name, ": ", known->rule);
      REQUIRE_FALSE(s.is_ok());
      bool found = false;
      for (const Issue& i : s.issues()) {
        found = found || (i.type == known->issue_type && i.expression == known->expression);
      }
      CHECK(found);
      continue;
    }
    std::string rt(json_string((*doc)["resourceType"]));
    bool definition = rt == "StructureDefinition" || rt == "SearchParameter" ||
                      rt == "CodeSystem" || rt == "ValueSet" || rt == "ConceptMap" ||
                      rt == "CompartmentDefinition" || rt == "OperationDefinition" ||
                      rt == "CapabilityStatement" || rt == "NamingSystem";
    (definition ? definitions : validated)++;
    if (!s.is_ok()) {
      ++failed;
      std::string all;
      for (const Issue& i : s.issues()) {
        all += "  " + i.type + " @ " + i.expression + ": " + i.diagnostics + "\n";
      }
      FAIL_CHECK(name << "\n" << all);
    }
  }
  MESSAGE("official examples validated: ", validated, " examples + ", definitions,
          " definitions; failures: ", failed, "; known-bad: ", known_bad,
          "; warnings (codes of systems Hearth cannot expand): ", warnings,
          "; invariants that could not be evaluated: ", unevaluated);
  for (const std::string& k : unevaluated_keys) MESSAGE("  not evaluated: ", k);
  MESSAGE("official examples with the same issues with and without absence guards: ", compared);
  CHECK(validated + definitions + known_bad > testing::at_least(5300));
  if (testing::example_stride() == 1) CHECK(known_bad == static_cast<int>(kKnownBad.size()));
}

}  // namespace hearth::fhir
