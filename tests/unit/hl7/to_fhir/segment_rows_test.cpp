// The IG's segment-level rows (identifier = the segment itself, no field): a constant they
// assign is written, under the row's condition, into a resource the segment's field rows gave
// content; alone it makes no resource. PID[Account] row 0
// makes an Account "active"; SCH[ServiceRequest] row 0 makes the appointment's request
// "active" only while SCH-25 (filler status) is empty. The repair defaults (bundle_repair.h)
// would have given "unknown" for both.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "to_fhir/corpus_support.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::map_text;

std::string status_of(const rapidjson::Value& resource) {
  auto it = resource.FindMember("status");
  return it == resource.MemberEnd() ? std::string() : std::string(it->value.GetString());
}

const char* kAdmit =
    "MSH|^~\\&|ADT|H|EHR|H|20260401120000||ADT^A01^ADT_A01|SR1|P|2.5.1\r"
    "EVN|A01|20260401120000\r"
    "PID|1||55001^^^H^MR||GREEN^ANNA||19700101|F||||||||||AC55^^^H^AN\r"
    "PV1|1|I|WARD^1^A||||||||||||||||V55^^^H\r";

// An SIU^S12 whose SCH-27 (filler order number) makes the IG map a ServiceRequest, with SCH-25
// (filler status) as given.
std::string booking(const std::string& filler_status) {
  std::vector<std::string> sch(28);
  sch[0] = "SCH";
  sch[1] = "P1^H";
  sch[2] = "F1^H";
  sch[7] = "CHECKUP^Check-up";
  sch[9] = "30";
  sch[10] = "MIN";
  sch[11] = "^^30^20260402090000";
  sch[25] = filler_status;
  sch[27] = "ORD1^H";
  std::string segment;
  for (const std::string& field : sch) segment += (segment.empty() ? "" : "|") + field;
  return "MSH|^~\\&|SCHED|H|EHR|H|20260401120000||SIU^S12^SIU_S12|SR2|P|2.5.1\r" + segment +
         "\rPID|1||55002^^^H^MR||BLUE^BOB||19800101|M\rRGS|1\rAIS|1||CHECKUP^Check-up\r";
}

}  // namespace

TEST_CASE("segment rows: PID[Account] row 0 makes the Account active") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(kAdmit, bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["Account"].size() == 1);
  CHECK(status_of(*bundle.by_type["Account"][0]) == "active");
}

TEST_CASE("segment rows: a row's condition decides (SCH[ServiceRequest], IF SCH-25 NOT VALUED)") {
  Bundle open;
  REQUIRE(map_text(booking(""), open).is_ok());
  REQUIRE(open.by_type["ServiceRequest"].size() == 1);
  CHECK(status_of(*open.by_type["ServiceRequest"][0]) == "active");
  Bundle booked;
  REQUIRE(map_text(booking("Booked"), booked).is_ok());
  REQUIRE(booked.by_type["ServiceRequest"].size() == 1);
  CHECK(status_of(*booked.by_type["ServiceRequest"][0]) != "active");
}

TEST_CASE("segment rows: a constant alone makes no resource") {
  // SCH-26 has no data type map in the IG, so nothing of the ServiceRequest is computed; its
  // row 0 "active" does not create one.
  std::string placer_only = booking("");
  placer_only.replace(placer_only.find("||ORD1^H"), 8, "ORD1^H|");
  Bundle bundle;
  REQUIRE(map_text(placer_only, bundle).is_ok());
  CHECK(bundle.by_type["ServiceRequest"].empty());
  CHECK(bundle.by_type["Appointment"].size() == 1);
}

}  // namespace hearth::hl7::to_fhir
