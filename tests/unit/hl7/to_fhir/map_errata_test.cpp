// The errata of the IG's rows (map_errata.h): each still names exactly one row of the vendored
// maps, as the IG writes it, and what it corrects shows in the mapping (VXU: the observations
// about a vaccination, found again by the immunization's filler number).
#include "hl7/to_fhir/map_errata.h"

#include <doctest/doctest.h>

#include <string>

#include "core/url_encoding.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::map_text;
using testing::reference;

}  // namespace

TEST_CASE("every erratum names one row of the vendored maps, with the IG's text") {
  REQUIRE_FALSE(condition_errata().empty());
  for (const ConditionErratum& e : condition_errata()) {
    INFO(e.identifier);
    int rows = 0;
    for (const MessageMapTable& table : message_maps()) {
      if (table.name != e.message) continue;
      for (const MessageRow& row : table.rows) {
        if (row.identifier != e.identifier || row.condition != e.written) continue;
        ++rows;
        CHECK(condition_of(table.name, row) == e.meant);
      }
    }
    CHECK(rows == 1);  // 0: the IG changed the row; the erratum is to be reviewed
    CHECK(e.meant != e.written);
  }
}

TEST_CASE("every assignment erratum names one row of the vendored maps, with the IG's text") {
  REQUIRE_FALSE(assignment_errata().empty());
  for (const AssignmentErratum& e : assignment_errata()) {
    INFO(e.map << " " << e.source << " " << e.target);
    int rows = 0;
    for (const MapTable& table : segment_maps()) {
      if (table.name != e.map) continue;
      for (const MapRow& row : table.rows) {
        if (row.source != e.source || row.target != e.target || row.assignment != e.written) {
          continue;
        }
        ++rows;
        CHECK(assignment_of(table.name, row) == e.meant);
      }
    }
    CHECK(rows == 1);  // 0: the IG changed the row; the erratum is to be reviewed
    CHECK(e.meant != e.written);
  }
}

TEST_CASE("PID-19: the SSN's identifier system as every registry writes it") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|REG|HOSP|HEARTH|HUB|20260309140000||ADT^A04^ADT_A01|S1|P|2.5.1\r"
      "EVN|A04|20260309140000\r"
      "PID|1||7788^^^HOSP^MR||PAGE^LENA||19800101|F|||||||||||123-45-6789\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["Patient"].size() == 1);
  const rapidjson::Value& patient = *bundle.by_type["Patient"][0];
  std::string ssn_system;
  for (const auto& identifier : patient["identifier"].GetArray()) {
    if (std::string(identifier["value"].GetString()) == "123-45-6789") {
      ssn_system = identifier["system"].GetString();
    }
  }
  CHECK(ssn_system == "http://hl7.org/fhir/sid/us-ssn");
}

TEST_CASE("VXU^V04: an OBX about the vaccination is an Observation, part of the Immunization") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|EHR|CLINIC|IIS|STATE|20260402100000||VXU^V04^VXU_V04|V1|P|2.5.1\r"
      "PID|1||4455^^^CLINIC^MR||GREEN^ANNA||20200102|F\r"
      "ORC|RE||IZ-783274^CLINIC\r"
      "RXA|0|1|20260402|20260402|115^Tdap^CVX|0.5|mL^mL^UCUM||00^New record^NIP001\r"
      "OBX|1|CE|64994-7^Vaccine funding program eligibility category^LN|1|"
      "V02^VFC eligible - Medicaid/Medicaid Managed Care^HL70064||||||F|||20260402\r"
      "OBX|2|DT|29769-7^Date Vis Presented^LN|2|20260402||||||F\r"
      "OBX|3|NM|30973-2^Dose number in series^LN|3|2|{#}^dose^UCUM|||||F\r",
      bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "VXU_V04");
  REQUIRE(bundle.by_type["Immunization"].size() == 1);
  const std::string immunization = bundle.url_of("Immunization");
  const std::string patient = bundle.url_of("Patient");
  REQUIRE(bundle.by_type["Observation"].size() == 3);
  const char* codes[] = {"64994-7", "29769-7", "30973-2"};
  for (std::size_t i = 0; i < 3; ++i) {
    const rapidjson::Value& obs = *bundle.by_type["Observation"][i];
    INFO(codes[i]);
    CHECK(std::string(obs["code"]["coding"][0]["code"].GetString()) == codes[i]);
    CHECK(reference(obs, "subject") == patient);
    CHECK(reference(obs, "partOf") == immunization);
  }
  const rapidjson::Value& eligibility = *bundle.by_type["Observation"][0];
  CHECK(std::string(eligibility["valueCodeableConcept"]["coding"][0]["code"].GetString()) == "V02");
  CHECK(std::string((*bundle.by_type["Observation"][1])["valueDateTime"].GetString()) ==
        "2026-04-02");
  // Found again by ORC-3 (the filler number, here without a system: Hearth's own key) and, for
  // each observation, that number, its code and occurrence: an updated record (RXA-21 = U)
  // replaces them instead of adding more.
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    const std::string type = entry["resource"]["resourceType"].GetString();
    const std::string url = entry["request"]["url"].GetString();
    if (type == "Immunization") {
      CHECK(std::string(entry["request"]["method"].GetString()) == "PUT");
      CHECK(url ==
            "Immunization?identifier=" + url_encode("urn:hearth:hl7-immunization|^IZ-783274"));
    } else if (type == "Observation") {
      CHECK(std::string(entry["request"]["method"].GetString()) == "PUT");
      const std::string code = entry["resource"]["code"]["coding"][0]["code"].GetString();
      CHECK(url == "Observation?identifier=" +
                       url_encode("urn:hearth:hl7-result|immunization^^IZ-783274^" + code + "^1"));
    }
  }
}

}  // namespace hearth::hl7::to_fhir
