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
  expect(R"({"resourceType":"Bundle","type":"batch","entry":[{"resource":{}}]})",
         Code::kInvalidArgument, "Bundle.entry[0].request");
}

}  // namespace
}  // namespace hearth::api
