// Repairing mapped Bundles: defaults for absent required elements, ContactPoint systems,
// elements left out, supporting resources dropped with their references, and what is refused.
#include "hl7/to_fhir/bundle_repair.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fhir/validate.h"
#include "hl7/to_fhir/message_mapper.h"
#include "to_fhir/corpus_support.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

fhir::JsonDocument bundle_of(const std::string& entries) {
  auto doc = fhir::parse_json(R"({"resourceType":"Bundle","type":"transaction","entry":[)" +
                              entries + "]}");
  REQUIRE(doc.is_ok());
  return std::move(doc).value();
}

std::string entry(const std::string& url, const std::string& resource) {
  const std::string type = resource.substr(17, resource.find('"', 17) - 17);
  return R"({"fullUrl":")" + url + R"(","resource":)" + resource +
         R"(,"request":{"method":"POST","url":")" + type + R"("}})";
}

const fhir::JsonValue& resource_at(const fhir::JsonDocument& bundle, unsigned i) {
  return bundle["entry"][i]["resource"];
}

TEST_CASE("bundle repair: a valid Bundle is left as it is") {
  fhir::JsonDocument b =
      bundle_of(entry("urn:uuid:1", R"({"resourceType":"Patient","gender":"female"})"));
  std::vector<MappingIssue> repairs;
  CHECK(repair_bundle(b, "A01", repairs).is_ok());
  CHECK(repairs.empty());
}

TEST_CASE("bundle repair: absent required elements take their documented defaults") {
  fhir::JsonDocument b = bundle_of(
      entry("urn:uuid:1", R"({"resourceType":"Patient"})") + "," +
      entry("urn:uuid:2", R"({"resourceType":"DiagnosticReport","code":{"text":"CBC"}})") + "," +
      entry("urn:uuid:3", R"({"resourceType":"Coverage","payor":[{"display":"Acme"}]})") + "," +
      entry("urn:uuid:4", R"({"resourceType":"Appointment","participant":[{"actor":)"
                          R"({"display":"Dr X"}}],"start":"2026-01-01T10:00:00Z",)"
                          R"("end":"2026-01-01T10:30:00Z"})"));
  std::vector<MappingIssue> repairs;
  REQUIRE(repair_bundle(b, "S15", repairs).is_ok());
  CHECK(std::string(resource_at(b, 1)["status"].GetString()) == "unknown");
  CHECK(std::string(resource_at(b, 2)["status"].GetString()) == "active");
  CHECK(std::string(resource_at(b, 2)["beneficiary"]["reference"].GetString()) == "urn:uuid:1");
  CHECK(std::string(resource_at(b, 3)["status"].GetString()) == "cancelled");  // S15
  CHECK(std::string(resource_at(b, 3)["participant"][0]["status"].GetString()) == "needs-action");
  CHECK(repairs.size() == 5);
  for (const MappingIssue& r : repairs) CHECK(r.message.find(" set to ") != std::string::npos);
}

TEST_CASE("bundle repair: an appointment with a start and a duration gets its end (app-2)") {
  const std::string appointment =
      R"({"resourceType":"Appointment","status":"booked","minutesDuration":45,)"
      R"("start":"2018-10-17T23:28:05+02:15","participant":[{"actor":{"display":"Dr A"},)"
      R"("status":"accepted"}]})";
  fhir::JsonDocument b = bundle_of(entry("urn:uuid:1", appointment));
  std::vector<MappingIssue> repairs;
  REQUIRE(repair_bundle(b, "S12", repairs).is_ok());
  // In the start's own offset, across midnight.
  CHECK(std::string(resource_at(b, 0)["end"].GetString()) == "2018-10-18T00:13:05+02:15");
  REQUIRE(repairs.size() == 1);
  CHECK(repairs[0].message.find("Appointment.end set to \"2018-10-18T00:13:05+02:15\"") !=
        std::string::npos);
  // Without a duration nothing gives the end: the invariant stays and the message is refused.
  fhir::JsonDocument no_duration = bundle_of(entry(
      "urn:uuid:1", R"({"resourceType":"Appointment","status":"booked",)"
                    R"("start":"2018-10-17T23:28:05Z","participant":[{"actor":{"display":"A"},)"
                    R"("status":"accepted"}]})"));
  repairs.clear();
  CHECK_FALSE(repair_bundle(no_duration, "S12", repairs).is_ok());
}

TEST_CASE("bundle repair: a ContactPoint gets the system its value shows") {
  fhir::JsonDocument b = bundle_of(
      entry("urn:uuid:1",
            R"({"resourceType":"Patient","telecom":[{"value":"555-0100"},{"value":"a@b.org"}]})"));
  std::vector<MappingIssue> repairs;
  REQUIRE(repair_bundle(b, "A01", repairs).is_ok());
  CHECK(std::string(resource_at(b, 0)["telecom"][0]["system"].GetString()) == "phone");
  CHECK(std::string(resource_at(b, 0)["telecom"][1]["system"].GetString()) == "email");
}

TEST_CASE("bundle repair: elements FHIR refuses are left out and reported") {
  fhir::JsonDocument b = bundle_of(entry(
      "urn:uuid:1",
      R"({"resourceType":"Patient","gender":"male","contact":[{"relationship":[{"text":"son"}]}],)"
      R"("_birthDate":{"extension":[{"url":"http://x","valueString":"a","extension":)"
      R"([{"url":"y","valueString":"b"}]}]},"birthDate":"1990-01-01"})"));
  std::vector<MappingIssue> repairs;
  Status repaired = repair_bundle(b, "A01", repairs);
  REQUIRE_MESSAGE(repaired.is_ok(),
                  repaired.issues().front().expression << ": " << repaired.message());
  const fhir::JsonValue& patient = resource_at(b, 0);
  CHECK_FALSE(patient.HasMember("contact"));     // pat-1: no name, telecom, address
  CHECK_FALSE(patient.HasMember("_birthDate"));  // ext-1, and nothing left beside it
  CHECK(std::string(patient["birthDate"].GetString()) == "1990-01-01");
  REQUIRE(repairs.size() == 2);
  CHECK(repairs[0].message.find("left out") != std::string::npos);
}

TEST_CASE("bundle repair: a supporting resource that stays invalid goes, with references to it") {
  fhir::JsonDocument b =
      bundle_of(entry("urn:uuid:1", R"({"resourceType":"Patient","generalPractitioner":[)"
                                    R"({"reference":"urn:uuid:2"}]})") +
                "," + entry("urn:uuid:2", R"({"resourceType":"Basic"})"));
  std::vector<MappingIssue> repairs;
  REQUIRE(repair_bundle(b, "A01", repairs).is_ok());
  CHECK(b["entry"].Size() == 1);
  CHECK_FALSE(resource_at(b, 0).HasMember("generalPractitioner"));
  CHECK(repairs.back().message.starts_with("Basic left out"));
}

TEST_CASE("bundle repair: an Observation without its code is refused, not repaired") {
  fhir::JsonDocument b =
      bundle_of(entry("urn:uuid:1", R"({"resourceType":"Observation","status":"final"})"));
  std::vector<MappingIssue> repairs;
  Status status = repair_bundle(b, "R01", repairs);
  REQUIRE_FALSE(status.is_ok());
  CHECK(status.issues().front().expression == "Bundle.entry[0].resource.code");
}

// repair_bundle leaves the Bundle's own invariants (bdl-*) out: the mapper's envelope keeps them
// by construction. Every corpus message that maps is checked here with them in.
TEST_CASE("bundle repair: every mapped corpus message's Bundle keeps the Bundle invariants") {
  int mapped = 0, valid = 0;
  for (const auto& path : testing::corpus_files(".hl7")) {
    const std::string raw = testing::cr_segments(testing::read_file(path));
    Result<Message> message = Message::parse(raw);
    if (!message.is_ok()) continue;
    Result<MappedMessage> result = MessageMapper().map(*message, testing::ids());
    if (!result.is_ok()) continue;
    ++mapped;
    Result<fhir::JsonDocument> bundle = fhir::parse_json(fhir::write_json(result->bundle));
    REQUIRE(bundle.is_ok());
    std::vector<MappingIssue> repairs;
    if (!repair_bundle(*bundle, message->trigger_event(), repairs).is_ok()) continue;
    ++valid;
    INFO(path.filename().string());
    for (const Issue& issue : fhir::validation_issues(*bundle, "Bundle")) {
      CHECK_MESSAGE(issue.severity != Severity::kError,
                    issue.expression << ": " << issue.diagnostics);
    }
  }
  std::printf("mapped corpus Bundles checked with the Bundle invariants: %d of %d mapped\n", valid,
              mapped);
  CHECK(valid > 100);
}

}  // namespace
}  // namespace hearth::hl7::to_fhir
