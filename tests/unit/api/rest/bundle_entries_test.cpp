// Reading transaction and batch Bundles into entries: routing of request.url (relative,
// absolute on this base or another), criteria, and the precise errors for what cannot run.
#include "api/rest/bundle_entries.h"

#include <doctest/doctest.h>

namespace hearth::api {
namespace {

constexpr std::string_view kBase = "http://h/fhir";

Result<std::vector<BundleEntry>> read(std::string_view text, BundleKind& kind) {
  static fhir::JsonDocument doc;  // entries point into it
  auto parsed = fhir::parse_json(text);
  REQUIRE(parsed.is_ok());
  doc = std::move(parsed).value();
  return read_bundle_entries(doc, kBase, kind);
}

std::string one(std::string_view method, std::string_view url, std::string_view resource = {},
                std::string_view extra = {}) {
  std::string entry = "{";
  if (!resource.empty()) entry += R"("resource":)" + std::string(resource) + ",";
  entry += R"("request":{"method":")" + std::string(method) + R"(","url":")" + std::string(url) +
           "\"" + std::string(extra) + "}}";
  return R"({"resourceType":"Bundle","type":"transaction","entry":[)" + entry + "]}";
}

TEST_CASE("request.url: relative, on this base, on another base, with criteria") {
  BundleKind kind;
  auto entries = read(one("GET", "Patient/1/_history/2"), kind);
  REQUIRE(entries.is_ok());
  CHECK(kind.transaction);
  CHECK((*entries)[0].route.interaction == Interaction::kVread);
  CHECK((*entries)[0].route.version == 2);

  entries = read(one("DELETE", "http://h/fhir/Patient?identifier=a%7Cb&active=true"), kind);
  REQUIRE(entries.is_ok());
  CHECK((*entries)[0].route.interaction == Interaction::kConditionalDelete);
  REQUIRE((*entries)[0].query.size() == 2);
  CHECK((*entries)[0].query[0].second == "a|b");

  entries = read(one("PUT", "http://other.org/base/Questionnaire/q1",
                     R"({"resourceType":"Questionnaire","id":"q1","status":"draft"})"),
                 kind);
  REQUIRE(entries.is_ok());
  CHECK((*entries)[0].route.interaction == Interaction::kUpdate);
  CHECK((*entries)[0].route.id == "q1");

  entries = read(one("POST", "Patient", R"({"resourceType":"Patient"})",
                     R"(,"ifNoneExist":"Patient?identifier=x")"),
                 kind);
  REQUIRE(entries.is_ok());
  CHECK((*entries)[0].if_none_exist == "identifier=x");
}

TEST_CASE("entries that cannot run are refused with the element named") {
  BundleKind kind;
  auto expect = [&](std::string_view bundle, Code code, std::string_view expression) {
    auto entries = read(bundle, kind);
    REQUIRE_FALSE(entries.is_ok());
    CHECK(entries.status().code() == code);
    CHECK(entries.status().issues()[0].expression == expression);
  };
  expect(R"({"resourceType":"Bundle","type":"collection"})", Code::kInvalidArgument, "Bundle.type");
  expect(one("FETCH", "Patient"), Code::kInvalidArgument, "Bundle.entry[0].request.method");
  expect(one("POST", "Patient"), Code::kInvalidArgument, "Bundle.entry[0].resource");
  expect(one("POST", "Patient/1", R"({"resourceType":"Patient"})"), Code::kInvalidArgument,
         "Bundle.entry[0].request.url");
  expect(one("POST", "Patient", R"({"resourceType":"Observation"})"), Code::kInvalidArgument,
         "Bundle.entry[0].resource");
  expect(one("PUT", "Patient/1", R"({"resourceType":"Patient","id":"2"})"), Code::kInvalidArgument,
         "Bundle.entry[0].resource.id");
  expect(one("DELETE", "Patient"), Code::kInvalidArgument, "Bundle.entry[0].request.url");
  expect(one("POST", "ValueSet/$expand", R"({"resourceType":"Parameters"})"), Code::kNotImplemented,
         "Bundle.entry[0].request.url");
  expect(one("GET", "NotAType/1"), Code::kInvalidArgument, "Bundle.entry[0].request.url");
  expect(R"({"resourceType":"Bundle","type":"transaction","entry":[{"resource":{}}]})",
         Code::kInvalidArgument, "Bundle.entry[0].request");
}

TEST_CASE("a batch keeps an entry that cannot run as that entry's error; the others are read") {
  BundleKind kind;
  auto entries = read(R"({"resourceType":"Bundle","type":"batch","entry":[
      {"request":{"method":"GET","url":"Patient/1"}},
      {"resource":{}},
      {"request":{"method":"GET","url":"NotAType/1"}},
      {"request":{"method":"DELETE","url":"Patient/2"}}]})",
                      kind);
  REQUIRE(entries.is_ok());
  CHECK_FALSE(kind.transaction);
  REQUIRE(entries->size() == 4);
  CHECK((*entries)[0].invalid.is_ok());
  CHECK((*entries)[0].route.interaction == Interaction::kRead);
  REQUIRE_FALSE((*entries)[1].invalid.is_ok());
  CHECK((*entries)[1].invalid.issues()[0].expression == "Bundle.entry[1].request");
  REQUIRE_FALSE((*entries)[2].invalid.is_ok());
  CHECK((*entries)[2].invalid.issues()[0].expression == "Bundle.entry[2].request.url");
  CHECK((*entries)[3].invalid.is_ok());
  CHECK((*entries)[3].route.interaction == Interaction::kDelete);
}

TEST_CASE("validation issues of a batch go to their entries, unless one lies outside them") {
  std::vector<BundleEntry> entries(3);
  const auto issue = [](Severity severity, std::string expression) {
    return Issue{severity, "value", "bad", std::move(expression)};
  };
  Status validation(
      Code::kUnprocessable,
      {issue(Severity::kError, "Bundle.entry[1].resource.birthDate"),
       issue(Severity::kWarning, "Bundle.entry[1].resource.name[0]"),
       issue(Severity::kWarning, "Bundle.entry[2].resource.text"),
       issue(Severity::kFatal, "Bundle.entry[12]"), issue(Severity::kWarning, "Bundle.meta")});
  std::vector<BundleEntry> thirteen(13);
  REQUIRE(confine_issues_to_entries(validation, thirteen));
  CHECK(thirteen[0].invalid.is_ok());
  REQUIRE_FALSE(thirteen[1].invalid.is_ok());
  CHECK(thirteen[1].invalid.code() == Code::kUnprocessable);
  CHECK(thirteen[1].invalid.issues().size() == 2);  // its warning travels with its error
  CHECK(thirteen[2].invalid.is_ok());               // a warning alone does not stop an entry
  CHECK_FALSE(thirteen[12].invalid.is_ok());

  CHECK_FALSE(confine_issues_to_entries(
      Status(Code::kUnprocessable, {issue(Severity::kError, "Bundle.entry[0].resource.active"),
                                    issue(Severity::kError, "Bundle")}),
      entries));
  // "Bundle.entry[1]x" and "Bundle.entry" name no entry; an index past the entries neither.
  CHECK_FALSE(confine_issues_to_entries(
      Status(Code::kUnprocessable, {issue(Severity::kError, "Bundle.entry[1]x")}), entries));
  CHECK_FALSE(confine_issues_to_entries(
      Status(Code::kUnprocessable, {issue(Severity::kError, "Bundle.entry")}), entries));
  CHECK_FALSE(confine_issues_to_entries(
      Status(Code::kUnprocessable, {issue(Severity::kError, "Bundle.entry[3].resource")}),
      entries));
}

}  // namespace
}  // namespace hearth::api
