// DG1 -> Condition as the IG's message maps place it: an order's reason (ORM_O01's
// "ServiceRequest[1].reasonReference(Condition)", OML_O21's Condition[1] referenced from
// ServiceRequest[1].reasonReference), and in an ADT one Condition of the patient that the visit's
// Encounter.diagnosis references (the rows "If in context of the patient / an encounter").
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::full_url_of;
using testing::map_text;

// The codes of the Conditions `request`'s reasonReference lists.
std::multiset<std::string> reason_codes(const Bundle& bundle, const rapidjson::Value& request) {
  std::multiset<std::string> out;
  if (!request.HasMember("reasonReference")) return out;
  for (const auto& reason : request["reasonReference"].GetArray()) {
    auto found = bundle.by_url.find(reason["reference"].GetString());
    REQUIRE(found != bundle.by_url.end());
    const rapidjson::Value& condition = *found->second;
    CHECK(std::string(condition["resourceType"].GetString()) == "Condition");
    out.insert(condition["code"]["coding"][0]["code"].GetString());
  }
  return out;
}

}  // namespace

TEST_CASE("DG1 as an order's reason: ORM^O01, a Condition per DG1 of each order") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ORD|H|LAB|H|20260101120000||ORM^O01^ORM_O01|1|P|2.5.1\r"
      "PID|1||123^^^H^MR||DOE^JANE||19700101|F\r"
      "ORC|NW|P1^EHR|F1^LAB\r"
      "OBR|1|P1^EHR|F1^LAB|24725-4^CT Head^LN\r"
      "DG1|1||S06.9^Traumatic brain injury^I10|||F\r"
      "DG1|2||R51^Headache^I10|||F\r"
      "ORC|NW|P2^EHR|F2^LAB\r"
      "OBR|2|P2^EHR|F2^LAB|24590-2^MR Brain^LN\r"
      "DG1|1||G43.9^Migraine^I10|||F\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["ServiceRequest"].size() == 2);
  CHECK(bundle.by_type["Condition"].size() == 3);
  CHECK(reason_codes(bundle, *bundle.by_type["ServiceRequest"][0]) ==
        std::multiset<std::string>{"S06.9", "R51"});
  CHECK(reason_codes(bundle, *bundle.by_type["ServiceRequest"][1]) ==
        std::multiset<std::string>{"G43.9"});
  // The References clause "Condition.subject.reference=Patient[1].id".
  const std::string patient = bundle.url_of("Patient");
  for (const rapidjson::Value* condition : bundle.by_type["Condition"]) {
    CHECK(std::string((*condition)["subject"]["reference"].GetString()) == patient);
  }
}

TEST_CASE("DG1 as an order's reason: a DG1 outside any order makes nothing") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ORD|H|LAB|H|20260101120000||ORM^O01^ORM_O01|1|P|2.5.1\r"
      "PID|1||123^^^H^MR||DOE^JANE\r"
      "DG1|1||R51^Headache^I10\r",
      bundle);
  REQUIRE(mapped.is_ok());
  CHECK(bundle.by_type["Condition"].empty());
}

TEST_CASE("DG1 as an order's reason: OML^O21, the second ORDER after an SPM is an order") {
  // After an order's SPM, an ORC begins the next ORDER (its first segment) rather than enter
  // OBSERVATION_REQUEST.PRIOR_RESULT.ORDER_PRIOR (message_structure.h).
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|EHR|H|LAB|H|20260101120000||OML^O21^OML_O21|1|P|2.5.1\r"
      "PID|1||123^^^H^MR||DOE^JANE\r"
      "ORC|NW|P1^EHR\r"
      "OBR|1|P1^EHR||34555-3^Creatinine clearance^LN\r"
      "DG1|1||I10^Essential hypertension^I10C\r"
      "OBX|1|NM|3141-9^Body weight^LN||59.5|kg\r"
      "SPM|1|S1&EHR||119297000^Blood^SCT\r"
      "ORC|NW|P2^EHR\r"
      "OBR|2|P2^EHR||21482-5^Protein 24h urine^LN\r"
      "DG1|1||O10.93^Pre-existing hypertension^I10C\r"
      "SPM|1|S2&EHR||276833005^24 hour urine^SCT\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["ServiceRequest"].size() == 2);
  CHECK(reason_codes(bundle, *bundle.by_type["ServiceRequest"][0]) ==
        std::multiset<std::string>{"I10"});
  CHECK(reason_codes(bundle, *bundle.by_type["ServiceRequest"][1]) ==
        std::multiset<std::string>{"O10.93"});
  CHECK(bundle.by_type["Specimen"].size() >= 2);
}

TEST_CASE("DG1 in an ADT: one Condition, which the visit's Encounter.diagnosis references") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ADT|H|HEARTH|H|20260101120000||ADT^A01^ADT_A01|1|P|2.5.1\r"
      "EVN|A01|20260101120000\r"
      "PID|1||123^^^H^MR||DOE^JANE||19700101|F\r"
      "PV1|1|I|WARD1^101^A||||||||||||||||V1^^^H\r"
      "DG1|1||I63.9^Cerebral infarction^I10|Stroke|20260101||||||||||1|||||A\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["Condition"].size() == 1);
  CHECK(bundle.by_type["EpisodeOfCare"].empty());  // no episode of care in the message
  const rapidjson::Value& condition = *bundle.by_type["Condition"][0];
  CHECK(std::string(condition["code"]["coding"][0]["code"].GetString()) == "I63.9");
  CHECK(std::string(condition["code"]["text"].GetString()) == "Stroke");
  CHECK(std::string(condition["subject"]["reference"].GetString()) == bundle.url_of("Patient"));
  REQUIRE(bundle.by_type["Encounter"].size() == 1);
  const rapidjson::Value& encounter = *bundle.by_type["Encounter"][0];
  REQUIRE(encounter.HasMember("diagnosis"));
  REQUIRE(encounter["diagnosis"].Size() == 1);
  CHECK(std::string(encounter["diagnosis"][0]["condition"]["reference"].GetString()) ==
        full_url_of(bundle, &condition));
  CHECK(encounter["diagnosis"][0]["rank"].GetInt() == 1);
}

TEST_CASE("DG1 in an ADT without a visit: the Condition alone") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ADT|H|HEARTH|H|20260101120000||ADT^A28^ADT_A05|1|P|2.5.1\r"
      "EVN|A28|20260101120000\r"
      "PID|1||123^^^H^MR||DOE^JANE||19700101|F\r"
      "DG1|1||E11.9^Type 2 diabetes^I10\r"
      "DG1|2||I10^Hypertension^I10\r",
      bundle);
  REQUIRE(mapped.is_ok());
  CHECK(bundle.by_type["Condition"].size() == 2);
  CHECK(bundle.by_type["Encounter"].empty());
}

}  // namespace hearth::hl7::to_fhir
