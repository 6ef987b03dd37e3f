// ADT^A03 (discharge / end visit) by Hearth's own map (hl7/to_fhir/maps/hearth: ADT_A03, built
// from the IG's ADT_A01 rows in ADT_A03's segment order, and PV1[Encounter-Discharge]): the
// same resources as an A01, an OBX after the PROCEDURE group still an Observation, and the
// Encounter finished whether PV1-45 (discharge time) is valued or not.
#include <doctest/doctest.h>

#include <string>

#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::map_text;

// ADT_A03's order: ... DG1, PROCEDURE (PR1, ROL), OBX after it (ADT_A01 has OBX before AL1).
const char* kDischarge =
    "MSH|^~\\&|ADT|H|EHR|H|20260402100000||ADT^A03^ADT_A03|D1|P|2.8\r"
    "EVN|A03|20260402100000\r"
    "PID|1||4455^^^H^MR||GREEN^ANNA||19700102|F\r"
    "PV1|1|I|WARD^12^B||||||||||||||||V77^^^H^VN|||||||||||||||||||||||||20260330080000|"
    "20260402093000\r"
    "AL1|1|DA|70618^Penicillin^RXNORM\r"
    "DG1|1||J18.9^Pneumonia^I10\r"
    "PR1|1||0BH17EZ^Intubation^ICD10PCS||20260330\r"
    "OBX|1|NM|8302-2^Body height^LN||170|cm|||||F\r";

const char* kNoDischargeTime =
    "MSH|^~\\&|ADT|H|EHR|H|20260402100000||ADT^A03|D2|P|2.5\r"
    "EVN||20260402100000\r"
    "PID|||5566^^^H^MR||BLUE^TOM||19800304|M\r"
    "PV1||I|WARD^1^A||||||||||||||||V78^^^H^VN\r";

}  // namespace

TEST_CASE("ADT^A03: the A01 resources, an OBX after PR1, a finished Encounter") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(kDischarge, bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "ADT_A03");
  REQUIRE(bundle.by_type["Patient"].size() == 1);
  REQUIRE(bundle.by_type["Encounter"].size() == 1);
  CHECK(bundle.by_type["AllergyIntolerance"].size() == 1);
  CHECK(bundle.by_type["Condition"].size() == 1);
  CHECK(bundle.by_type["Procedure"].size() == 1);
  REQUIRE(bundle.by_type["Observation"].size() == 1);
  const std::string patient = bundle.url_of("Patient");

  const rapidjson::Value& encounter = *bundle.by_type["Encounter"][0];
  CHECK(std::string(encounter["status"].GetString()) == "finished");
  CHECK(std::string(encounter["period"]["end"].GetString()).rfind("2026-04-02T09:30:00", 0) == 0);
  CHECK(std::string(encounter["subject"]["reference"].GetString()) == patient);
  CHECK(std::string(encounter["identifier"][0]["value"].GetString()) == "V77");

  const rapidjson::Value& height = *bundle.by_type["Observation"][0];
  CHECK(std::string(height["code"]["coding"][0]["code"].GetString()) == "8302-2");
  CHECK(std::string(height["subject"]["reference"].GetString()) == patient);
}

TEST_CASE("ADT^A03 without PV1-45 and without MSH-9.3: the visit still ends") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(kNoDischargeTime, bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "ADT_A03");  // A03's structure from the IG's event table
  REQUIRE(bundle.by_type["Encounter"].size() == 1);
  const rapidjson::Value& encounter = *bundle.by_type["Encounter"][0];
  CHECK(std::string(encounter["status"].GetString()) == "finished");
  CHECK_FALSE(encounter.HasMember("period"));
}

TEST_CASE("ADT^A01 keeps the IG's status: from PV1-2 while PV1-45 is not valued") {
  // The discharge row belongs to ADT_A03 only; an admit of the same visit is in progress.
  std::string admit = kNoDischargeTime;
  admit.replace(admit.find("ADT^A03"), 7, "ADT^A01");
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(admit, bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "ADT_A01");
  REQUIRE(bundle.by_type["Encounter"].size() == 1);
  CHECK(std::string((*bundle.by_type["Encounter"][0])["status"].GetString()) == "in-progress");
}

}  // namespace hearth::hl7::to_fhir
