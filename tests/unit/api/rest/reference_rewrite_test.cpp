// Reference rewriting for transactions: every Reference.reference and narrative link found in
// the map is replaced, nothing else is touched; placeholders and conditional references are
// told apart.
#include "api/rest/reference_rewrite.h"

#include <doctest/doctest.h>

#include <vector>

#include "rest_test_support.h"

namespace hearth::api {
namespace {

fhir::JsonDocument parse(std::string_view text) {
  return testing::json_doc(text);
}

TEST_CASE("rewrite_references: references anywhere, narrative links, nothing else") {
  auto doc = parse(R"({"resourceType":"Observation",
    "text":{"status":"generated","div":"<div><a href=\"urn:uuid:1\">p</a><img src='urn:uuid:1'/> urn:uuid:1 <a href=\"urn:uuid:2\">x</a></div>"},
    "contained":[{"resourceType":"Provenance","target":[{"reference":"urn:uuid:1"}]}],
    "extension":[{"url":"urn:uuid:1","valueReference":{"reference":"urn:uuid:1","display":"urn:uuid:1"}}],
    "subject":{"reference":"urn:uuid:1"},
    "performer":[{"reference":"Practitioner/7"},{"reference":"urn:uuid:9"}],
    "note":[{"text":"urn:uuid:1"}]})");
  ReferenceMap map{{"urn:uuid:1", "Patient/p1"}, {"urn:uuid:2", "Encounter/e2"}};
  CHECK(rewrite_references(doc, doc.GetAllocator(), map) == 6);
  const std::string out = fhir::write_json(doc);
  CHECK(out.find(R"("subject":{"reference":"Patient/p1"})") != std::string::npos);
  CHECK(out.find(R"("target":[{"reference":"Patient/p1"}])") != std::string::npos);
  CHECK(out.find(R"("valueReference":{"reference":"Patient/p1","display":"urn:uuid:1"})") !=
        std::string::npos);
  CHECK(out.find(R"({"url":"urn:uuid:1")") != std::string::npos);         // a url, not a reference
  CHECK(out.find(R"({"reference":"urn:uuid:9"})") != std::string::npos);  // not in the map
  CHECK(out.find(R"({"text":"urn:uuid:1"})") != std::string::npos);
  CHECK(out.find(R"(<a href=\"Patient/p1\">p</a><img src='Patient/p1'/> urn:uuid:1 )"
                 R"(<a href=\"Encounter/e2\">x</a>)") != std::string::npos);
}

TEST_CASE("for_each_reference visits every reference, nested ones included") {
  auto doc = parse(R"({"a":{"reference":"x"},"b":[{"c":{"reference":"y"}},{"reference":3}]})");
  std::vector<std::string> seen;
  for_each_reference(doc, [&](std::string_view r) { seen.emplace_back(r); });
  CHECK(seen == std::vector<std::string>{"x", "y"});
}

TEST_CASE("placeholders and conditional references") {
  CHECK(is_placeholder("urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"));
  CHECK(is_placeholder("urn:oid:1.2.3"));
  CHECK_FALSE(is_placeholder("Patient/1"));
  std::string_view type, criteria;
  CHECK(split_conditional_reference("Patient?identifier=a|b", type, criteria));
  CHECK(type == "Patient");
  CHECK(criteria == "identifier=a|b");
  CHECK_FALSE(split_conditional_reference("Patient/1", type, criteria));
  CHECK_FALSE(split_conditional_reference("http://x/Patient?a=b", type, criteria));
  CHECK_FALSE(split_conditional_reference("NotAType?a=b", type, criteria));
}

}  // namespace
}  // namespace hearth::api
