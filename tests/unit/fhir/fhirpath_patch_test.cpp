// FHIRPath Patch (fhir/patch/fhirpath_patch.h) beyond the official cases: the rules on how many
// elements a path may select, primitive `_` halves kept aligned, choice and repeating children
// from the model, and a precise error for every malformed or inapplicable operation.
#include "fhir/patch/fhirpath_patch.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/patch/json_equal.h"

namespace hearth::fhir::patch {
namespace {

JsonDocument json(std::string_view text) {
  auto doc = parse_json(text);
  REQUIRE_MESSAGE(doc.is_ok(), text);
  return std::move(*doc);
}

// One operation parameter from its parts (each a JSON object text without the braces).
std::string operation(std::string_view type, std::string_view path,
                      std::vector<std::string> parts = {}) {
  std::string p = R"({"name":"operation","part":[{"name":"type","valueCode":")" +
                  std::string(type) + R"("},{"name":"path","valueString":")" + std::string(path) +
                  R"("})";
  for (const std::string& part : parts) p += ",{" + part + "}";
  return p + "]}";
}

std::string parameters(const std::vector<std::string>& operations) {
  std::string p = R"({"resourceType":"Parameters","parameter":[)";
  for (std::size_t i = 0; i < operations.size(); ++i) p += (i ? "," : "") + operations[i];
  return p + "]}";
}

Status apply(JsonDocument& doc, const std::vector<std::string>& operations) {
  JsonDocument p = json(parameters(operations));
  return apply_fhirpath_patch(p, doc);
}

void check_result(std::string_view doc_text, const std::vector<std::string>& operations,
                  std::string_view expected) {
  JsonDocument doc = json(doc_text);
  Status s = apply(doc, operations);
  REQUIRE_MESSAGE(s.is_ok(), s.message());
  JsonDocument want = json(expected);
  CHECK_MESSAGE(json_equal(doc, want), write_json(doc));
}

Status failure(std::string_view doc_text, const std::vector<std::string>& operations) {
  JsonDocument doc = json(doc_text);
  Status s = apply(doc, operations);
  CHECK(!s.is_ok());
  return s;
}

constexpr std::string_view kNames =
    R"({"resourceType":"Patient","name":[{"given":["a","b","c"],"_given":[null,{"id":"x"},null]}]})";

}  // namespace

TEST_CASE("fhirpath patch: delete keeps a primitive list and its _ half aligned") {
  check_result(
      kNames, {operation("delete", "Patient.name.given[0]")},
      R"({"resourceType":"Patient","name":[{"given":["b","c"],"_given":[{"id":"x"},null]}]})");
  check_result(kNames, {operation("delete", "Patient.name.given[1]")},
               R"({"resourceType":"Patient","name":[{"given":["a","c"]}]})");
  // Deleting every entry removes the element, then its emptied parents.
  check_result(
      kNames,
      {operation("delete", "Patient.name.given[0]"), operation("delete", "Patient.name.given[0]"),
       operation("delete", "Patient.name.given[0]")},
      R"({"resourceType":"Patient"})");
  // Nothing selected: nothing to do.
  check_result(kNames, {operation("delete", "Patient.birthDate")}, kNames);
  Status s = failure(kNames, {operation("delete", "Patient.name.given")});
  CHECK(s.code() == Code::kUnprocessable);
  CHECK(s.message() ==
        "operation 0 (delete): path 'Patient.name.given' matches 3 elements; delete needs at "
        "most one");
}

TEST_CASE("fhirpath patch: replace, insert and move on lists") {
  check_result(
      kNames,
      {operation("replace", "Patient.name.given[1]", {R"("name":"value","valueString":"B")"})},
      R"({"resourceType":"Patient","name":[{"given":["a","B","c"]}]})");
  check_result(
      kNames,
      {operation("insert", "Patient.name.given",
                 {R"("name":"index","valueInteger":3)", R"("name":"value","valueString":"d")"})},
      R"({"resourceType":"Patient","name":[{"given":["a","b","c","d"],"_given":[null,{"id":"x"},null,null]}]})");
  check_result(
      kNames,
      {operation(
          "move", "Patient.name.given",
          {R"("name":"source","valueInteger":1)", R"("name":"destination","valueInteger":0)"})},
      R"({"resourceType":"Patient","name":[{"given":["b","a","c"],"_given":[{"id":"x"},null,null]}]})");
  Status s = failure(
      kNames,
      {operation("insert", "Patient.name.given",
                 {R"("name":"index","valueInteger":4)", R"("name":"value","valueString":"d")"})});
  CHECK(s.message() == "operation 0 (insert): index 4 is out of range 0..3");
  s = failure(kNames, {operation("move", "Patient.name.given",
                                 {R"("name":"source","valueInteger":3)",
                                  R"("name":"destination","valueInteger":0)"})});
  CHECK(s.message() == "operation 0 (move): source 3 is out of range 0..2");
  s = failure(kNames, {operation("replace", "Patient.name.given",
                                 {R"("name":"value","valueString":"x")"})});
  CHECK(s.message() ==
        "operation 0 (replace): path 'Patient.name.given' matches 3 elements; replace needs "
        "exactly one");
  s = failure(kNames, {operation("replace", "Patient.birthDate",
                                 {R"("name":"value","valueDate":"2000")"})});
  CHECK(s.code() == Code::kUnprocessable);
  s = failure(
      R"({"resourceType":"Patient","birthDate":"2000"})",
      {operation("insert", "Patient.birthDate",
                 {R"("name":"index","valueInteger":0)", R"("name":"value","valueDate":"2001")"})});
  CHECK(s.message().find("does not select the entries of one repeating element") !=
        std::string::npos);
  s = failure(R"({"resourceType":"Patient","name":[{"given":["a"]},{"given":["b"]}]})",
              {operation("move", "Patient.name.given",
                         {R"("name":"source","valueInteger":0)",
                          R"("name":"destination","valueInteger":1)"})});
  CHECK(s.code() == Code::kUnprocessable);
}

TEST_CASE("fhirpath patch: add names children from the model") {
  // A repeating child is appended; a choice element takes its typed JSON name.
  check_result(
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})",
      {operation("add", "Observation",
                 {R"("name":"name","valueString":"value")",
                  R"("name":"value","valueQuantity":{"value":1.50})"}),
       operation("add", "Observation",
                 {R"("name":"name","valueString":"note")",
                  R"("name":"value","valueAnnotation":{"text":"n"})"})},
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1.50},"note":[{"text":"n"}]})");
  // Anonymous types by parts, repeating grandchildren as arrays.
  check_result(
      R"({"resourceType":"Patient"})",
      {operation(
          "add", "Patient",
          {R"("name":"name","valueString":"contact")",
           R"("name":"value","part":[{"name":"telecom","valueContactPoint":{"value":"1"}},{"name":"gender","valueCode":"other"}])"})},
      R"({"resourceType":"Patient","contact":[{"telecom":[{"value":"1"}],"gender":"other"}]})");
  // An extension on a primitive goes to its `_` half.
  check_result(
      R"({"resourceType":"Patient","birthDate":"2000"})",
      {operation(
          "add", "Patient.birthDate",
          {R"("name":"name","valueString":"extension")",
           R"("name":"value","part":[{"name":"url","valueUri":"http://x"},{"name":"value","valueString":"y"}])"})},
      R"({"resourceType":"Patient","birthDate":"2000","_birthDate":{"extension":[{"url":"http://x","valueString":"y"}]}})");
}

TEST_CASE("fhirpath patch: add errors") {
  Status s = failure(R"({"resourceType":"Patient","birthDate":"2000"})",
                     {operation("add", "Patient",
                                {R"("name":"name","valueString":"birthDate")",
                                 R"("name":"value","valueDate":"2001")"})});
  CHECK(s.message() ==
        "operation 0 (add): 'birthDate' already exists and does not repeat; use replace");
  s = failure(R"({"resourceType":"Patient"})",
              {operation("add", "Patient",
                         {R"("name":"name","valueString":"nickname")",
                          R"("name":"value","valueString":"x")"})});
  CHECK(s.message() == "operation 0 (add): Patient has no element 'nickname'");
  s = failure(R"({"resourceType":"Patient"})",
              {operation("add", "Patient.contact",
                         {R"("name":"name","valueString":"gender")",
                          R"("name":"value","valueCode":"male")"})});
  CHECK(s.message() ==
        "operation 0 (add): path 'Patient.contact' matches 0 elements; add needs exactly one");
  s = failure(R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})",
              {operation("add", "Observation",
                         {R"("name":"name","valueString":"value")",
                          R"("name":"value","part":[{"name":"value","valueDecimal":1}])"})});
  CHECK(s.code() == Code::kUnprocessable);
  s = failure(
      R"({"resourceType":"Patient"})",
      {operation(
          "add", "Patient",
          {R"("name":"name","valueString":"contact")",
           R"("name":"value","part":[{"name":"gender","valueCode":"a"},{"name":"gender","valueCode":"b"}])"})});
  CHECK(s.message().find("'gender' is given twice") != std::string::npos);
}

TEST_CASE("fhirpath patch: malformed operations are 400s with the operation named") {
  const std::string_view doc = R"({"resourceType":"Patient","active":true})";
  JsonDocument d = json(doc);
  JsonDocument not_parameters = json(R"({"resourceType":"Patient"})");
  CHECK(apply_fhirpath_patch(not_parameters, d).code() == Code::kInvalidArgument);
  JsonDocument empty = json(R"({"resourceType":"Parameters"})");
  CHECK(apply_fhirpath_patch(empty, d).is_ok());

  auto code_of = [&](const std::vector<std::string>& ops) { return failure(doc, ops).code(); };
  CHECK(code_of({operation("frob", "Patient")}) == Code::kInvalidArgument);
  CHECK(code_of({operation("delete", "Patient.(")}) == Code::kInvalidArgument);
  CHECK(code_of({operation("delete", "Patient.active",
                           {R"("name":"value","valueBoolean":true)"})}) == Code::kInvalidArgument);
  CHECK(code_of({operation("replace", "Patient.active")}) == Code::kInvalidArgument);
  CHECK(code_of({operation("delete", "Patient.active",
                           {R"("name":"colour","valueString":"x")"})}) == Code::kInvalidArgument);
  CHECK(code_of({operation("delete", "Patient.active", {R"("name":"path","valueString":"x")"})}) ==
        Code::kInvalidArgument);
  CHECK(code_of({operation("move", "Patient.active",
                           {R"("name":"source","valueInteger":-1)",
                            R"("name":"destination","valueInteger":0)"})}) ==
        Code::kInvalidArgument);
  CHECK(code_of({operation("replace", "Patient.active", {R"("name":"value")"})}) ==
        Code::kInvalidArgument);
  Status s =
      failure(doc, {operation("delete", "Patient.active"), operation("replace", "Patient.active")});
  CHECK(s.message() == "operation 1 (replace): needs a 'value' part");
  // Computed values and the resource itself are not elements that can be edited.
  CHECK(failure(doc, {operation("delete", "1 + 1")}).code() == Code::kUnprocessable);
  CHECK(failure(doc, {operation("delete", "Patient")}).code() == Code::kUnprocessable);
  CHECK(failure(doc, {operation("replace", "Patient", {R"("name":"value","valueString":"x")"})})
            .code() == Code::kUnprocessable);
  // An evaluation error (a singleton expected) is the patch's problem, not a crash.
  CHECK(failure(R"({"resourceType":"Patient","name":[{"family":"a"},{"family":"b"}]})",
                {operation("delete", "Patient.name.where(family = 'a' or family.substring(0))")})
            .code() != Code::kOk);
}

}  // namespace hearth::fhir::patch
