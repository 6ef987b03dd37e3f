// The engine applying the IG's segment maps to corpus messages: the values each resource gets
// are read back from the message through the v2 parser (not typed here), and the conversions
// (vocabulary, dates) are checked against the IG's own tables.
#include "hl7/to_fhir/map_engine.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iterator>
#include <string>

#include "to_fhir/corpus_support.h"

namespace hearth::hl7::to_fhir {
namespace {

std::string corpus(const std::string& path) {
  std::string text = testing::read_file(testing::corpus_dir() / path);
  REQUIRE_FALSE(text.empty());
  return text;
}

std::size_t segment_index(const Message& message, std::string_view id) {
  for (std::size_t i = 0; i < message.segment_count(); ++i) {
    if (message.segment_id(i) == id) return i;
  }
  FAIL("no " << std::string(id) << " segment");
  return 0;
}

struct Mapped {
  std::string json;
  rapidjson::Document doc;
  std::vector<MappingIssue> issues;
};

Mapped map_segment(const Message& message, std::string_view segment, std::string_view map_name) {
  const MapTable* map = find_segment_map(map_name);
  REQUIRE(map != nullptr);
  int ids = 0;
  ResourceBuilder builder([&ids] { return "r" + std::to_string(++ids); });
  const std::string type(
      map_name.substr(map_name.find('[') + 1, map_name.find(']') - map_name.find('[') - 1));
  Resource* resource = *builder.add(type);
  Mapped out;
  MapEngine().apply_segment(message, segment_index(message, segment), *map, *resource->root,
                            builder, out.issues);
  out.json = ResourceBuilder::to_json(*resource);
  out.doc.Parse(out.json.c_str());
  REQUIRE_FALSE(out.doc.HasParseError());
  return out;
}

std::string text(const Message& message, std::string_view path) {
  Result<std::string> value = message.get_text(path);
  REQUIRE(value.is_ok());
  return *value;
}

bool has_identifier(const rapidjson::Value& resource, const std::string& value) {
  if (!resource.HasMember("identifier")) return false;
  for (const auto& id : resource["identifier"].GetArray()) {
    if (id.HasMember("value") && value == id["value"].GetString()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("map engine: PID -> Patient (FHIR-Converter's ADT^A01 sample)") {
  const std::string raw = corpus("fhir-converter/ADT-A01-01.hl7");
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  Mapped patient = map_segment(*message, "PID", "PID[Patient]");
  MESSAGE(patient.json);
  const rapidjson::Value& p = patient.doc;
  // PID-3 (both repetitions) and PID-2 as identifiers.
  CHECK(has_identifier(p, text(*message, "PID-3[1].1")));
  CHECK(has_identifier(p, text(*message, "PID-3[2].1")));
  CHECK(has_identifier(p, text(*message, "PID-2.1")));
  // CX.5 through the IdentifierType vocabulary: the Coding gets the map's system and display.
  const ConceptMapTable* id_types = find_concept_map("IdentifierType");
  REQUIRE(id_types != nullptr);
  const ConceptRow* mr = nullptr;
  for (const ConceptRow& row : id_types->rows) {
    if (row.v2_code == text(*message, "PID-3[1].5")) mr = &row;
  }
  REQUIRE(mr != nullptr);
  const auto& type_coding = p["identifier"][0]["type"]["coding"][0];
  CHECK(std::string(type_coding["system"].GetString()) == mr->fhir_system);
  CHECK(std::string(type_coding["display"].GetString()) == mr->display);
  // PID-5: family from XPN.1 (FN.1), given from XPN.2 and XPN.3.
  REQUIRE(p.HasMember("name"));
  const auto& name = p["name"][0];
  CHECK(std::string(name["family"].GetString()) == text(*message, "PID-5.1.1"));
  CHECK(std::string(name["given"][0].GetString()) == text(*message, "PID-5.2"));
  // PID-7 "198808181126+0215": the date part, and the time as the IG's birthTime extension.
  CHECK(std::string(p["birthDate"].GetString()) == "1988-08-18");
  REQUIRE(p.HasMember("_birthDate"));
  CHECK(std::string(p["_birthDate"]["extension"][0]["valueDateTime"].GetString()) ==
        "1988-08-18T11:26:00+02:15");
  // PID-8 "M" through the AdministrativeSex vocabulary map.
  const ConceptMapTable* sex = find_concept_map("AdministrativeSex");
  REQUIRE(sex != nullptr);
  std::string expected_gender;
  for (const ConceptRow& row : sex->rows) {
    if (row.v2_code == text(*message, "PID-8")) expected_gender = std::string(row.fhir_code);
  }
  CHECK(std::string(p["gender"].GetString()) == expected_gender);
  // PID-11 address, PID-13 telecom.
  REQUIRE(p.HasMember("address"));
  CHECK(std::string(p["address"][0]["city"].GetString()) == text(*message, "PID-11.3"));
  REQUIRE(p.HasMember("telecom"));
  CHECK(patient.issues.empty());
}

TEST_CASE("map engine: OBX -> Observation (FHIR-Converter's lab ORU^R01 sample)") {
  const std::string raw = corpus("fhir-converter/LAB-ORU-1.hl7");
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  // The second OBX carries a value and units.
  std::size_t obx = segment_index(*message, "OBX");
  REQUIRE(text(*message, "OBX[2]-1") == "2");
  const MapTable* map = find_segment_map("OBX[Observation]");
  REQUIRE(map != nullptr);
  ResourceBuilder builder([] { return std::string("x"); });
  Resource* observation = *builder.add("Observation");
  std::vector<MappingIssue> issues;
  MapEngine().apply_segment(*message, obx + 1, *map, *observation->root, builder, issues);
  rapidjson::Document doc;
  const std::string json = ResourceBuilder::to_json(*observation);
  MESSAGE(json);
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  const auto& coding = doc["code"]["coding"][0];
  CHECK(std::string(coding["code"].GetString()) == text(*message, "OBX[2]-3.1"));
  CHECK(std::string(coding["display"].GetString()) == text(*message, "OBX[2]-3.2"));
  REQUIRE(doc.HasMember("valueQuantity"));
  CHECK(doc["valueQuantity"]["value"].IsNumber());
  CHECK(doc["valueQuantity"]["value"].GetDouble() == std::stod(text(*message, "OBX[2]-5")));
  CHECK(std::string(doc["valueQuantity"]["unit"].GetString()) == text(*message, "OBX[2]-6.1"));
  CHECK(std::string(doc["status"].GetString()) == "preliminary");  // OBX-11 "P"
  CHECK(issues.empty());
}

TEST_CASE("map engine: an OBX value type without a typed row falls back to the IG's joined text") {
  // OBX-2 "SN" with OBX-5.1 "<>": the IG joins OBX-5 and the units into valueString.
  const std::string raw =
      "MSH|^~\\&|LAB|HOSP|HEARTH|HOSP|20260101000000||ORU^R01|1|P|2.5.1\r"
      "PID|1||123^^^HOSP^MR||DOE^JANE\r"
      "OBR|1||F1|24331-1^Lipid panel^LN\r"
      "OBX|1|SN|2093-3^Cholesterol^LN||<>^200^-^240|mg/dL^^UCUM|||||F\r";
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  Mapped observation = map_segment(*message, "OBX", "OBX[Observation]");
  MESSAGE(observation.json);
  REQUIRE(observation.doc.HasMember("valueString"));
  CHECK(std::string(observation.doc["valueString"].GetString()) == "<> 200 - 240 mg/dL");
  CHECK_FALSE(observation.doc.HasMember("valueQuantity"));
  CHECK(std::string(observation.doc["status"].GetString()) == "final");
}

TEST_CASE("map engine: OBX-6's coding system name becomes the quantity's system URI") {
  // CWE[Quantity] writes CWE.3 to Quantity.system: "UCUM" is table 0396's name for
  // http://unitsofmeasure.org, the system a value-quantity search names.
  const std::string raw =
      "MSH|^~\\&|LAB|HOSP|HEARTH|HOSP|20260101000000||ORU^R01|1|P|2.5.1\r"
      "PID|1||123^^^HOSP^MR||DOE^JANE\r"
      "OBR|1||F1|24331-1^Lipid panel^LN\r"
      "OBX|1|NM|2093-3^Cholesterol^LN||182|mg/dL^milligram per deciliter^UCUM|||||F\r";
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  Mapped observation = map_segment(*message, "OBX", "OBX[Observation]");
  MESSAGE(observation.json);
  REQUIRE(observation.doc.HasMember("valueQuantity"));
  const rapidjson::Value& quantity = observation.doc["valueQuantity"];
  CHECK(std::string(quantity["system"].GetString()) == "http://unitsofmeasure.org");
  CHECK(std::string(quantity["code"].GetString()) == "mg/dL");
  CHECK(std::string(quantity["unit"].GetString()) == "milligram per deciliter");
}

TEST_CASE("map engine: a value the FHIR type refuses is an issue at its v2 location") {
  const std::string raw =
      "MSH|^~\\&|LAB|HOSP|HEARTH|HOSP|20260101000000||ADT^A01|1|P|2.5.1\r"
      "EVN|A01|20260101000000\r"
      "PID|1||123^^^HOSP^MR||DOE^JANE||19621340|F\r";
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  Mapped patient = map_segment(*message, "PID", "PID[Patient]");
  CHECK_FALSE(patient.doc.HasMember("birthDate"));
  CHECK(std::string(patient.doc["gender"].GetString()) == "female");
  REQUIRE(patient.issues.size() == 1);
  const MappingIssue& issue = patient.issues.front();
  CHECK(issue.segment == "PID");
  CHECK(issue.sequence == 3);
  CHECK(issue.field == 7);
  CHECK(issue.repetition == 1);
  CHECK(issue.message.find("19621340") != std::string::npos);
}

}  // namespace hearth::hl7::to_fhir
