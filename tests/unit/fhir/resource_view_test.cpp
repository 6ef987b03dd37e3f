// Summary and _elements views (fhir/resource_view.h) over real R4 definitions: which elements
// each view keeps, at which level, and the SUBSETTED tag.
#include "fhir/resource_view.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fhir/json.h"

namespace hearth::fhir {
namespace {

constexpr std::string_view kPatient = R"({"resourceType":"Patient","id":"p1",
  "meta":{"versionId":"2","tag":[{"system":"http://x","code":"keep"}]},
  "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">P</div>"},
  "extension":[{"url":"http://x/e","valueString":"e"}],
  "identifier":[{"system":"http://id","value":"7"}],"active":true,
  "name":[{"family":"Chalmers","given":["Peter"],"use":"official"}],
  "gender":"male","birthDate":"1974-12-25","_birthDate":{"extension":[{"url":"http://x/t",
  "valueString":"t"}]},"maritalStatus":{"text":"M"},"multipleBirthInteger":2,
  "contact":[{"name":{"family":"Du Marché"}}],
  "link":[{"other":{"reference":"Patient/p2"},"type":"seealso"}]})";

constexpr std::string_view kObservation = R"({"resourceType":"Observation","id":"o1",
  "meta":{"versionId":"1"},"status":"final","code":{"text":"bp"},"note":[{"text":"n"}],
  "valueQuantity":{"value":1.50,"unit":"mmHg"},
  "component":[{"code":{"text":"sys"},"valueQuantity":{"value":120},
  "interpretation":[{"text":"high"}]}]})";

JsonDocument viewed(std::string_view json, const ResourceView& view) {
  Result<std::string> out = apply_view(json, view);
  INFO(out.status().message());
  REQUIRE(out.is_ok());
  Result<JsonDocument> doc = parse_json(*out);
  REQUIRE(doc.is_ok());
  return std::move(doc).value();
}

std::vector<std::string> members(const JsonValue& object) {
  std::vector<std::string> names;
  for (const auto& m : object.GetObject()) names.emplace_back(m.name.GetString());
  return names;
}

bool subsetted(const JsonDocument& doc) {
  for (const JsonValue& tag : doc["meta"]["tag"].GetArray()) {
    if (json_string(tag["code"]) == "SUBSETTED" &&
        json_string(tag["system"]) == "http://terminology.hl7.org/CodeSystem/v3-ObservationValue") {
      return true;
    }
  }
  return false;
}

ResourceView summary(SummaryMode mode) {
  ResourceView view;
  view.summary = mode;
  return view;
}

TEST_CASE("resource view: _summary=true keeps the isSummary and mandatory elements") {
  JsonDocument p = viewed(kPatient, summary(SummaryMode::kTrue));
  CHECK(members(p) == std::vector<std::string>{"resourceType", "id", "meta", "identifier", "active",
                                               "name", "gender", "birthDate", "_birthDate",
                                               "link"});
  // A kept data type stays whole; the existing tag stays and SUBSETTED joins it once.
  CHECK(members(p["name"][0]) == std::vector<std::string>{"family", "given", "use"});
  CHECK(p["meta"]["tag"].Size() == 2);
  CHECK(subsetted(p));
  CHECK(json_string(p["meta"]["versionId"]) == "2");

  // Backbone elements are cut level by level; the mandatory status and code stay; decimals
  // keep their text.
  JsonDocument o = viewed(kObservation, summary(SummaryMode::kTrue));
  CHECK(members(o) == std::vector<std::string>{"resourceType", "id", "meta", "status", "code",
                                               "valueQuantity", "component"});
  CHECK(members(o["component"][0]) == std::vector<std::string>{"code", "valueQuantity"});
  CHECK(json_number_text(o["valueQuantity"]["value"]) == "1.50");
}

TEST_CASE("resource view: _summary=text and _summary=data") {
  JsonDocument text = viewed(kObservation, summary(SummaryMode::kText));
  CHECK(members(text) == std::vector<std::string>{"resourceType", "id", "meta", "status", "code"});
  JsonDocument p = viewed(kPatient, summary(SummaryMode::kText));
  CHECK(members(p) == std::vector<std::string>{"resourceType", "id", "meta", "text"});
  CHECK(subsetted(p));

  JsonDocument data = viewed(kPatient, summary(SummaryMode::kData));
  std::vector<std::string> names = members(data);
  CHECK(std::find(names.begin(), names.end(), "text") == names.end());
  CHECK(names.size() == members(viewed(kPatient, summary(SummaryMode::kFalse))).size() - 1);
  CHECK(members(data["contact"][0]) == std::vector<std::string>{"name"});
  CHECK(subsetted(data));
}

TEST_CASE("resource view: _elements keeps id, meta, the named and the mandatory elements") {
  ResourceView view;
  view.elements = {"value", "note"};
  JsonDocument o = viewed(kObservation, view);
  CHECK(members(o) == std::vector<std::string>{"resourceType", "id", "meta", "status", "code",
                                               "note", "valueQuantity"});
  CHECK(members(o["valueQuantity"]) == std::vector<std::string>{"value", "unit"});
  CHECK(subsetted(o));

  view.elements = {"birthDate", "contact"};
  JsonDocument p = viewed(kPatient, view);
  CHECK(members(p) == std::vector<std::string>{"resourceType", "id", "meta", "birthDate",
                                               "_birthDate", "contact"});
}

TEST_CASE("resource view: the full view is the body as stored") {
  Result<std::string> same = apply_view(kPatient, ResourceView{});
  REQUIRE(same.is_ok());
  CHECK(*same == kPatient);
  CHECK(apply_view("{\"resourceType\":\"Nope\"}", summary(SummaryMode::kTrue)).status().code() ==
        Code::kInternal);
  CHECK(apply_view("not json", summary(SummaryMode::kTrue)).status().code() == Code::kInternal);
}

TEST_CASE("resource view: parsing _summary and _elements") {
  CHECK(*parse_summary_mode("true") == SummaryMode::kTrue);
  CHECK(*parse_summary_mode("text") == SummaryMode::kText);
  CHECK(*parse_summary_mode("data") == SummaryMode::kData);
  CHECK(*parse_summary_mode("false") == SummaryMode::kFalse);
  CHECK(parse_summary_mode("count").status().code() == Code::kInvalidArgument);

  const std::vector<std::string> both{"Patient", "Observation"};
  Result<std::vector<std::string>> names = parse_elements("birthDate,status", both, 10);
  REQUIRE(names.is_ok());
  CHECK(*names == std::vector<std::string>{"birthDate", "status"});
  CHECK(parse_elements("nope", both, 10).status().message().find("Patient, Observation") !=
        std::string::npos);
  CHECK(parse_elements("a,b", {}, 1).status().code() == Code::kInvalidArgument);
  // Without types, any resource type's element is known.
  CHECK(parse_elements("birthDate", {}, 10).is_ok());
  CHECK_FALSE(parse_elements("nope", {}, 10).is_ok());
}

}  // namespace
}  // namespace hearth::fhir
