// The HL7 v2 ingest with mapping to FHIR, over an in-memory store read back through the REST
// core: resources written in the archive's transaction, identity (a later message updates), an
// identical resend applied once, AE with nothing written for content that cannot be mapped or
// written, unmapped types, meta.source and the Provenance.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "api/hl7/ingest.h"
#include "api/hl7/message_mapping.h"
#include "hl7/v2/message.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

using testing::body_json;

constexpr std::string_view kA01 =
    "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260309140000||ADT^A01^ADT_A01|A01-1|P|2.5.1\r"
    "EVN|A01|20260309140000\r"
    "PID|1||55501^^^HOSP^MR||CHALMERS^PETER^J||19740612|M\r"
    "PV1|1|I|WARD1^101^A||||||||||||||||V7001^^^HOSP^VN\r";

constexpr std::string_view kA08 =
    "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260310090000||ADT^A08^ADT_A01|A08-1|P|2.5.1\r"
    "EVN|A08|20260310090000\r"
    "PID|1||55501^^^HOSP^MR||CHALMERS^PETER^JAMES||19740612|M\r"
    "PV1|1|I|WARD2^201^B||||||||||||||||V7001^^^HOSP^VN\r";

constexpr std::string_view kOru =
    "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|ORU-1|P|2.5.1\r"
    "PID|1||55501^^^HOSP^MR||CHALMERS^PETER\r"
    "OBR|1|PL1^ORDERS|FL1^LAB|24331-1^Lipid panel^LN|||20260309120000||||||||||||||||||F\r"
    "OBX|1|NM|2093-3^Cholesterol^LN||196|mg/dL|<200|N|||F|||20260309120000\r"
    "OBX|2|NM|2571-8^Triglyceride^LN||90|mg/dL|<150|N|||F|||20260309120000\r";

struct Fixture : testing::RestFixture {
  // As `hearth serve` sets it up for its store (SQLite: lookups made before the transaction).
  Fixture() : context{*store, clock, ids, limits, mapper} {
    const storage::StoreTraits traits = store->traits();
    context.resolve_before_commit = traits.cheap_reads && traits.group_commit;
  }
  Hl7Ingest ingest(bool reject_unmapped = false) {
    context.reject_unmapped = reject_unmapped;
    Hl7IngestOptions options;
    options.mapping = &context;
    return Hl7Ingest(*store, clock, ids, std::move(options));
  }
  // The number of resources of `type` a search finds.
  int count(const std::string& type, std::vector<std::pair<std::string, std::string>> query = {}) {
    query.emplace_back("_summary", "count");
    Response r = call("GET", type, {}, std::move(query));
    REQUIRE(r.status == 200);
    return std::stoi(std::string(fhir::json_number_text(body_json(r)["total"])));
  }
  RestLimits limits;
  const hl7::to_fhir::MessageMapper mapper;
  Hl7MappingContext context;
};

// Runs the rest of the calling test case twice: with the lookups made before the transaction
// (as `hearth serve` does on SQLite), then inside it (as on PostgreSQL).
void both_lookup_ways(Fixture& f) {
  SUBCASE("lookups before the transaction") {}
  SUBCASE("lookups in the transaction (as on PostgreSQL)") {
    f.context.resolve_before_commit = false;
  }
}

Hl7IngestResult run(Hl7Ingest& ingest, std::string_view raw) {
  return ingest_and_wait(ingest, std::string(raw), "10.0.0.1:4000");
}

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const std::size_t at = out.find(from);
  REQUIRE(at != std::string::npos);
  return out.replace(at, from.size(), to);
}

// The "Type/id/_history/n" of `type` among what `r` wrote.
std::vector<std::string> versions_of(const Hl7IngestResult& r, std::string_view type) {
  std::vector<std::string> out;
  for (const std::string& w : r.written) {
    if (w.starts_with(std::string(type) + "/")) out.push_back(w);
  }
  return out;
}

bool wrote(const Hl7IngestResult& r, std::string_view type) {
  for (const std::string& w : r.written) {
    if (w.starts_with(std::string(type) + "/")) return true;
  }
  return false;
}

TEST_CASE("an ORU^R01 is archived and mapped in one commit: AA, patient, results, provenance") {
  Fixture f;
  SUBCASE("lookups before the transaction") {
    CHECK(f.context.resolve_before_commit);
  }
  SUBCASE("lookups in the transaction (as on PostgreSQL)") {
    f.context.resolve_before_commit = false;
  }
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult r = run(ingest, kOru);
  REQUIRE_MESSAGE(r.ack_code == "AA", r.ack);
  CHECK_FALSE(r.mapping_failed);
  CHECK(wrote(r, "Patient"));
  CHECK(wrote(r, "Observation"));
  CHECK(r.written.back() == "Provenance/hl7-message-" + std::to_string(r.archive_id));
  CHECK(f.count("Patient", {{"identifier", "55501"}}) == 1);
  CHECK(f.count("Observation", {{"code", "http://loinc.org|2093-3"}}) == 1);
  CHECK(f.count("Observation", {{"code", "http://loinc.org|2571-8"}}) == 1);
  // Everything written names the archived message, and the Provenance lists it.
  const std::string source = "urn:hearth:hl7-message:" + std::to_string(r.archive_id);
  CHECK(f.count("Observation", {{"_source", source}}) == 2);
  Response provenance = f.call("GET", "Provenance/hl7-message-" + std::to_string(r.archive_id));
  REQUIRE(provenance.status == 200);
  fhir::JsonDocument p = body_json(provenance);
  CHECK(p["target"].Size() + 1 == r.written.size());
  CHECK(std::string(p["entity"][0]["what"]["reference"].GetString()) == source);
  CHECK(f.count("Provenance", {{"entity", source}}) == 1);
  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kAccepted);
}

TEST_CASE("A01 then A08 for the same PID-3 updates one Patient and one Encounter") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult a01 = run(ingest, kA01);
  REQUIRE_MESSAGE(a01.ack_code == "AA", f.store->read_message(a01.archive_id)->note);
  Hl7IngestResult r = run(ingest, kA08);
  REQUIRE(r.ack_code == "AA");
  CHECK(f.count("Patient") == 1);
  CHECK(f.count("Encounter") == 1);
  Response found = f.call("GET", "Patient", {}, {{"identifier", "55501"}});
  fhir::JsonDocument bundle = body_json(found);
  REQUIRE(bundle["entry"].Size() == 1);
  const fhir::JsonValue& patient = bundle["entry"][0]["resource"];
  CHECK(std::string(patient["meta"]["versionId"].GetString()) == "2");
  CHECK(std::string(patient["name"][0]["given"][1].GetString()) == "JAMES");
}

TEST_CASE("an A08's OBX replaces the visit's observation; another visit's is its own") {
  Fixture f;
  both_lookup_ways(f);
  Hl7Ingest ingest = f.ingest();
  constexpr std::string_view kWeight = "OBX|1|NM|29463-7^Body weight^LN||80|kg^kg^UCUM|||||F\r";
  REQUIRE(run(ingest, std::string(kA01) + std::string(kWeight)).ack_code == "AA");
  CHECK(f.count("Observation") == 1);
  Hl7IngestResult a08 = run(ingest, std::string(kA08) + replaced(kWeight, "||80|kg", "||78|kg"));
  REQUIRE_MESSAGE(a08.ack_code == "AA", a08.ack);
  CHECK(f.count("Observation") == 1);
  fhir::JsonDocument found =
      body_json(f.call("GET", "Observation", {}, {{"code", "http://loinc.org|29463-7"}}));
  REQUIRE(found["entry"].Size() == 1);
  const fhir::JsonValue& weight = found["entry"][0]["resource"];
  CHECK(std::string(weight["meta"]["versionId"].GetString()) == "2");
  CHECK(fhir::json_number_text(weight["valueQuantity"]["value"]) == "78");
  // The patient's next visit: its own weight, the first visit's kept.
  std::string next = replaced(kA01, "|A01-1|", "|A01-2|");
  next = replaced(next, "V7001^", "V7002^");
  REQUIRE(run(ingest, next + std::string(kWeight)).ack_code == "AA");
  CHECK(f.count("Observation") == 2);
}

TEST_CASE("PID-3 and PV1-19 without an assigning authority: found again within the facility") {
  Fixture f;
  both_lookup_ways(f);
  Hl7Ingest ingest = f.ingest();
  const std::string a01 =
      replaced(replaced(kA01, "55501^^^HOSP^MR", "55501"), "V7001^^^HOSP^VN", "V7001");
  const std::string a08 =
      replaced(replaced(kA08, "55501^^^HOSP^MR", "55501"), "V7001^^^HOSP^VN", "V7001");
  REQUIRE(run(ingest, a01).ack_code == "AA");
  REQUIRE(run(ingest, a08).ack_code == "AA");
  CHECK(f.count("Patient") == 1);
  CHECK(f.count("Encounter") == 1);
  fhir::JsonDocument found = body_json(f.call("GET", "Patient", {}, {{"identifier", "55501"}}));
  REQUIRE(found["entry"].Size() == 1);
  CHECK(std::string(found["entry"][0]["resource"]["meta"]["versionId"].GetString()) == "2");
  // A lab result of the same facility names the same patient (linked, not written).
  Hl7IngestResult result = run(ingest, replaced(kOru, "55501^^^HOSP^MR", "55501"));
  REQUIRE_MESSAGE(result.ack_code == "AA", result.ack);
  CHECK_FALSE(wrote(result, "Patient"));
  CHECK(f.count("Patient") == 1);
  // Another facility's bare 55501 is another patient.
  Hl7IngestResult other =
      run(ingest, replaced(replaced(a01, "|ADT|HOSP|", "|ADT|CLINIC|"), "|A01-1|", "|A01-9|"));
  REQUIRE(other.ack_code == "AA");
  CHECK(f.count("Patient") == 2);
  // A merge of the facility's bare numbers finds both patients by the same keys.
  std::string second = replaced(replaced(a01, "|55501||", "|44401||"), "|A01-1|", "|A01-2|");
  second = replaced(second, "|V7001\r", "|V7002\r");
  REQUIRE(run(ingest, second).ack_code == "AA");
  Hl7IngestResult merge =
      run(ingest,
          "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260311090000||ADT^A40^ADT_A39|A40-1|P|2.5.1\r"
          "EVN|A40|20260311090000\r"
          "PID|1||55501||CHALMERS^PETER^J||19740612|M\r"
          "MRG|44401\r");
  REQUIRE_MESSAGE(merge.ack_code == "AA", merge.ack);
  fhir::JsonDocument merged = body_json(f.call("GET", "Patient", {}, {{"identifier", "44401"}}));
  REQUIRE(merged["entry"].Size() == 1);
  CHECK(merged["entry"][0]["resource"]["active"].IsFalse());
  CHECK(f.count("Patient") == 3);
}

TEST_CASE("an assigning authority with a space (\"NIST MPI\") still identifies the patient") {
  // HD.1 becomes the identifier's system (HD[uri]); its space is percent-encoded, so the A08
  // finds the A01's Patient instead of creating a second one.
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult a01 = run(ingest, replaced(kA01, "55501^^^HOSP^MR", "55501^^^NIST MPI^MR"));
  REQUIRE_MESSAGE(a01.ack_code == "AA", f.store->read_message(a01.archive_id)->note);
  Hl7IngestResult a08 = run(ingest, replaced(kA08, "55501^^^HOSP^MR", "55501^^^NIST MPI^MR"));
  REQUIRE_MESSAGE(a08.ack_code == "AA", f.store->read_message(a08.archive_id)->note);
  CHECK(f.count("Patient") == 1);
  CHECK(f.count("Patient", {{"identifier", "NIST%20MPI|55501"}}) == 1);
}

TEST_CASE("S12 then S15 for the same filler appointment ID: one Appointment, cancelled") {
  constexpr std::string_view kS12 =
      "MSH|^~\\&|SCHED|HOSP|HEARTH|HUB|20260309140000||SIU^S12^SIU_S12|S12-1|P|2.5.1\r"
      "SCH|P77^SCHED|F88^SCHED|||||^Check up||15|MIN|^^^20260320090000\r"
      "PID|1||55501^^^HOSP^MR||CHALMERS^PETER\r"
      "RGS|1\r"
      "AIP|1||111^Granite^Pat^^^^^^NPI|||20260320090000\r";
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult s12 = run(ingest, kS12);
  REQUIRE_MESSAGE(s12.ack_code == "AA", f.store->read_message(s12.archive_id)->note);
  std::string s15 = replaced(kS12, "SIU^S12^SIU_S12|S12-1", "SIU^S15^SIU_S12|S15-1");
  Hl7IngestResult r = run(ingest, s15);
  REQUIRE_MESSAGE(r.ack_code == "AA", f.store->read_message(r.archive_id)->note);
  CHECK(f.count("Appointment") == 1);
  CHECK(f.count("Appointment", {{"status", "cancelled"}}) == 1);
  CHECK(f.count("Appointment", {{"practitioner:Practitioner.family", "Granite"}}) == 1);
}

TEST_CASE("A40 merges: the survivor replaces the merged patient, which becomes inactive") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  const std::string other =
      replaced(replaced(kA01, "55501^^^HOSP^MR", "44401^^^HOSP^MR"), "|A01-1|", "|A01-2|");
  REQUIRE(run(ingest, kA01).ack_code == "AA");
  REQUIRE(run(ingest, other).ack_code == "AA");
  // 44401 is merged into 55501.
  constexpr std::string_view kA40 =
      "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260311090000||ADT^A40^ADT_A39|A40-1|P|2.5.1\r"
      "EVN|A40|20260311090000\r"
      "PID|1||55501^^^HOSP^MR||CHALMERS^PETER^J||19740612|M\r"
      "MRG|44401^^^HOSP^MR\r";
  Hl7IngestResult merge = run(ingest, kA40);
  REQUIRE_MESSAGE(merge.ack_code == "AA", f.store->read_message(merge.archive_id)->note);
  CHECK(f.count("Patient") == 2);
  const auto patient = [&](const char* mrn) {
    Response r = f.call("GET", "Patient", {}, {{"identifier", std::string("HOSP|") + mrn}});
    fhir::JsonDocument bundle = body_json(r);
    REQUIRE(bundle["entry"].Size() == 1);
    fhir::JsonDocument copy;
    copy.CopyFrom(bundle["entry"][0]["resource"], copy.GetAllocator());
    return copy;
  };
  fhir::JsonDocument survivor = patient("55501");
  fhir::JsonDocument merged = patient("44401");
  const std::string survivor_ref = std::string("Patient/") + survivor["id"].GetString();
  const std::string merged_ref = std::string("Patient/") + merged["id"].GetString();
  REQUIRE(survivor.HasMember("link"));
  CHECK(std::string(survivor["link"][0]["type"].GetString()) == "replaces");
  CHECK(std::string(survivor["link"][0]["other"]["reference"].GetString()) == merged_ref);
  CHECK(merged["active"].IsFalse());
  REQUIRE(merged.HasMember("link"));
  CHECK(std::string(merged["link"][0]["type"].GetString()) == "replaced-by");
  CHECK(std::string(merged["link"][0]["other"]["reference"].GetString()) == survivor_ref);
  // Both writes name the message.
  const std::string source = "urn:hearth:hl7-message:" + std::to_string(merge.archive_id);
  CHECK(f.count("Patient", {{"_source", source}}) == 2);
  // A merge of a patient nobody has: AE with ERR-3 204 (unknown key identifier, table 0357),
  // nothing written; the archive keeps that ACK and says why.
  Hl7IngestResult unknown =
      run(ingest, replaced(replaced(kA40, "MRG|44401", "MRG|99999"), "|A40-1|", "|A40-2|"));
  CHECK(unknown.ack_code == "AE");
  const std::size_t err = unknown.ack.find("\rERR|");
  REQUIRE(err != std::string::npos);
  const std::string err_segment =
      unknown.ack.substr(err + 1, unknown.ack.find('\r', err + 1) - err - 1);
  CHECK(err_segment.find("|204^") != std::string::npos);
  CHECK(err_segment.find("207") == std::string::npos);
  Result<storage::ArchivedMessage> row = f.store->read_message(unknown.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kError);
  CHECK(row->ack == unknown.ack);
  CHECK(row->note.find("matches no") != std::string::npos);
  CHECK(f.count("Patient") == 2);
}

TEST_CASE("A40 moves the references: what pointed at the merged patient points at the survivor") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  REQUIRE(run(ingest, kA01).ack_code == "AA");
  // 44401 with a visit of its own, a lab result, and an allergy recorded over REST.
  std::string other = replaced(kA01, "55501^^^HOSP^MR", "44401^^^HOSP^MR");
  other = replaced(replaced(other, "|A01-1|", "|A01-2|"), "V7001^", "V7002^");
  REQUIRE(run(ingest, other).ack_code == "AA");
  Hl7IngestResult oru =
      run(ingest, replaced(replaced(kOru, "55501^", "44401^"), "|ORU-1|", "|ORU-9|"));
  REQUIRE(oru.ack_code == "AA");
  const auto id_of = [&](const char* mrn) {
    fhir::JsonDocument bundle =
        body_json(f.call("GET", "Patient", {}, {{"identifier", std::string("HOSP|") + mrn}}));
    REQUIRE(bundle["entry"].Size() == 1);
    return std::string(bundle["entry"][0]["resource"]["id"].GetString());
  };
  const std::string survivor = "Patient/" + id_of("55501");
  const std::string merged = "Patient/" + id_of("44401");
  Response allergy =
      f.call("POST", "AllergyIntolerance",
             R"({"resourceType":"AllergyIntolerance","patient":{"reference":")" + merged +
                 R"("},"code":{"text":"penicillin"},"clinicalStatus":{"coding":[{"system":
                                "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                "code":"active"}]}})");
  REQUIRE_MESSAGE(allergy.status == 201, allergy.body);
  REQUIRE(f.count("Encounter", {{"subject", merged}}) == 1);
  REQUIRE(f.count("Observation", {{"subject", merged}}) == 2);
  REQUIRE(f.count("DiagnosticReport", {{"subject", merged}}) == 1);

  constexpr std::string_view kA40 =
      "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260311090000||ADT^A40^ADT_A39|A40-1|P|2.5.1\r"
      "EVN|A40|20260311090000\r"
      "PID|1||55501^^^HOSP^MR||CHALMERS^PETER^J||19740612|M\r"
      "MRG|44401^^^HOSP^MR\r";
  // A merge that fails (MRG-1 names nobody) moves nothing: the references stay with 44401.
  Hl7IngestResult failed =
      run(ingest, replaced(replaced(kA40, "MRG|44401", "MRG|99999"), "|A40-1|", "|A40-0|"));
  CHECK(failed.ack_code == "AE");
  CHECK(f.count("Observation", {{"subject", merged}}) == 2);

  Hl7IngestResult merge = run(ingest, kA40);
  REQUIRE_MESSAGE(merge.ack_code == "AA", f.store->read_message(merge.archive_id)->note);
  for (const char* type : {"Encounter", "Observation", "DiagnosticReport", "Specimen"}) {
    CAPTURE(type);
    CHECK(f.count(type, {{"subject", merged}}) == 0);
  }
  CHECK(f.count("Encounter", {{"subject", survivor}}) == 2);
  CHECK(f.count("Observation", {{"subject", survivor}}) == 2);
  CHECK(f.count("DiagnosticReport", {{"subject", survivor}}) == 1);
  CHECK(f.count("AllergyIntolerance", {{"patient", survivor}}) == 1);
  CHECK(f.count("AllergyIntolerance", {{"patient", merged}}) == 0);
  // Moved in the merge's transaction: they name the merge message, and its Provenance lists them
  // (two patients, one encounter, two observations, their specimen and report, one allergy, the
  // Provenance; the survivor's assigning Organization, already stored, is linked, not written).
  const std::string source = "urn:hearth:hl7-message:" + std::to_string(merge.archive_id);
  CHECK(f.count("Observation", {{"_source", source}}) == 2);
  CHECK(f.count("AllergyIntolerance", {{"_source", source}}) == 1);
  CHECK(wrote(merge, "Encounter"));
  CHECK(wrote(merge, "DiagnosticReport"));
  CHECK(wrote(merge, "Specimen"));
  CHECK_FALSE(wrote(merge, "Organization"));
  CHECK(merge.written.size() == 9);
  // The patients' links still name each other; the ORU's Provenance (a record) is unchanged.
  fhir::JsonDocument s = body_json(f.call("GET", survivor));
  CHECK(std::string(s["link"][0]["other"]["reference"].GetString()) == merged);
  fhir::JsonDocument m = body_json(f.call("GET", merged));
  CHECK(m["active"].IsFalse());
  CHECK(std::string(m["link"][0]["other"]["reference"].GetString()) == survivor);
  fhir::JsonDocument provenance =
      body_json(f.call("GET", "Provenance/hl7-message-" + std::to_string(oru.archive_id)));
  CHECK(std::string(provenance["meta"]["versionId"].GetString()) == "1");
}

TEST_CASE("a corrected ORU (OBX-11 = C) replaces the results it corrects") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  REQUIRE(run(ingest, kOru).ack_code == "AA");
  std::string corrected = replaced(kOru, "ORU-1", "ORU-2");
  corrected = replaced(corrected, "||196|mg/dL|<200|N|||F|", "||214|mg/dL|<200|H|||C|");
  Hl7IngestResult r = run(ingest, corrected);
  REQUIRE(r.ack_code == "AA");
  CHECK(wrote(r, "Observation"));
  CHECK_FALSE(wrote(r, "Patient"));  // linked: not what the correction produced
  CHECK(f.count("Observation") == 2);
  CHECK(f.count("DiagnosticReport") == 1);
  fhir::JsonDocument found =
      body_json(f.call("GET", "Observation", {}, {{"code", "http://loinc.org|2093-3"}}));
  REQUIRE(found["entry"].Size() == 1);
  const fhir::JsonValue& cholesterol = found["entry"][0]["resource"];
  CHECK(std::string(cholesterol["meta"]["versionId"].GetString()) == "2");
  CHECK(std::string(cholesterol["status"].GetString()) == "corrected");
  CHECK(fhir::json_number_text(cholesterol["valueQuantity"]["value"]) == "214");
  // The patient the ORU names is linked, never rewritten by a lab message.
  CHECK(std::string(body_json(f.call("GET", "Patient"))["entry"][0]["resource"]["meta"]["versionId"]
                        .GetString()) == "1");
}

TEST_CASE("a report known only by its placer number (no OBR-3): its correction replaces it") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  const std::string placer_only = replaced(kOru, "|PL1^ORDERS|FL1^LAB|", "|PL1^ORDERS||");
  REQUIRE(run(ingest, placer_only).ack_code == "AA");
  std::string corrected = replaced(placer_only, "ORU-1", "ORU-2");
  corrected = replaced(corrected, "||196|mg/dL|<200|N|||F|", "||214|mg/dL|<200|H|||C|");
  REQUIRE(run(ingest, corrected).ack_code == "AA");
  CHECK(f.count("DiagnosticReport") == 1);
  CHECK(f.count("Observation") == 2);
  fhir::JsonDocument found =
      body_json(f.call("GET", "Observation", {}, {{"code", "http://loinc.org|2093-3"}}));
  REQUIRE(found["entry"].Size() == 1);
  CHECK(fhir::json_number_text(found["entry"][0]["resource"]["valueQuantity"]["value"]) == "214");
  // Another order's report (another placer number) is its own.
  std::string other = replaced(placer_only, "ORU-1", "ORU-3");
  other = replaced(other, "|PL1^ORDERS||", "|PL2^ORDERS||");
  REQUIRE(run(ingest, other).ack_code == "AA");
  CHECK(f.count("DiagnosticReport") == 2);
  CHECK(f.count("Observation") == 4);
}

TEST_CASE("what a sender mentions is one resource across its messages; another sender's is not") {
  Fixture f;
  both_lookup_ways(f);
  Hl7Ingest ingest = f.ingest();
  // PID-3's assigning authority (an Organization known only as "HOSP") and ORC-12's ordering
  // provider (a Practitioner known only by the number 1234): no identifier with a system.
  const std::string first_text = replaced(
      kOru, "OBR|1|", "ORC|RE|PL1^ORDERS|FL1^LAB||CM||||20260309093000|||1234^WELBY\rOBR|1|");
  Hl7IngestResult first = run(ingest, first_text);
  REQUIRE_MESSAGE(first.ack_code == "AA", first.ack);
  CHECK(wrote(first, "Organization"));
  CHECK(wrote(first, "Practitioner"));
  const int organizations = f.count("Organization");
  const int practitioners = f.count("Practitioner");

  // The same sender's next message, another patient and order: the same authority and provider.
  std::string second_text = replaced(first_text, "ORU-1", "ORU-2");
  second_text = replaced(second_text, "55501^^^HOSP", "55502^^^HOSP");
  second_text = replaced(second_text, "FL1^LAB||CM", "FL2^LAB||CM");
  second_text = replaced(second_text, "|FL1^LAB|24331", "|FL2^LAB|24331");
  Hl7IngestResult second = run(ingest, second_text);
  REQUIRE_MESSAGE(second.ack_code == "AA", second.ack);
  CHECK(versions_of(second, "Patient") != versions_of(first, "Patient"));
  // Linked, not written again: not among what the second message wrote, nor its Provenance's
  // targets (R4: what the activity generated or updated).
  const fhir::JsonDocument provenance =
      body_json(f.call("GET", "Provenance/hl7-message-" + std::to_string(second.archive_id)));
  REQUIRE(provenance.HasMember("target"));
  CHECK(provenance["target"].Size() + 1 == second.written.size());
  for (const char* type : {"Organization", "Practitioner", "PractitionerRole"}) {
    INFO(type);
    CHECK_FALSE(versions_of(first, type).empty());
    CHECK(versions_of(second, type).empty());
    for (const fhir::JsonValue& target : provenance["target"].GetArray()) {
      CHECK_FALSE(std::string_view(target["reference"].GetString()).starts_with(type));
    }
  }
  CHECK(f.count("Organization") == organizations);
  CHECK(f.count("Practitioner") == practitioners);
  CHECK(f.count("Patient") == 2);
  // Both orders name the one provider (ORC-12: a PractitionerRole of the Practitioner).
  const std::string role = versions_of(first, "PractitionerRole").front();
  CHECK(f.count("ServiceRequest", {{"requester", role.substr(0, role.find("/_history"))}}) == 2);

  // Another sending facility's "HOSP" and 1234 are its own.
  std::string other = replaced(second_text, "|LAB|HOSP|", "|LAB|CLINIC|");
  other = replaced(other, "ORU-2", "ORU-3");
  Hl7IngestResult third = run(ingest, other);
  REQUIRE_MESSAGE(third.ack_code == "AA", third.ack);
  CHECK(versions_of(third, "Organization") != versions_of(first, "Organization"));
  CHECK(versions_of(third, "Practitioner") != versions_of(first, "Practitioner"));
  CHECK(f.count("Organization") == organizations + 1);
  CHECK(f.count("Practitioner") == practitioners + 1);
}

TEST_CASE("VXU^V04 then its update (RXA-21 = U): one Immunization, its observations replaced") {
  Fixture f;
  both_lookup_ways(f);
  Hl7Ingest ingest = f.ingest();
  const std::string vxu =
      "MSH|^~\\&|EHR|CLINIC|IIS|STATE|20260402100000||VXU^V04^VXU_V04|V-1|P|2.5.1\r"
      "PID|1||4455^^^CLINIC^MR||GREEN^ANNA||20200102|F\r"
      "ORC|RE||IZ-783274^CLINIC\r"
      "RXA|0|1|20260402|20260402|115^Tdap^CVX|0.5|mL^mL^UCUM||00^New record^NIP001||||||"
      "L1234|20270101||||CP|A\r"
      "OBX|1|CE|64994-7^Vaccine funding program eligibility category^LN|1|"
      "V02^VFC eligible^HL70064||||||F\r"
      "OBX|2|DT|29769-7^Date Vis Presented^LN|2|20260402||||||F\r";
  Hl7IngestResult first = run(ingest, vxu);
  REQUIRE_MESSAGE(first.ack_code == "AA", first.ack);
  CHECK(f.count("Immunization") == 1);
  CHECK(f.count("Observation") == 2);
  // The same shot, corrected by the sender: another eligibility, the record updated.
  std::string update = replaced(vxu, "|V-1|", "|V-2|");
  update = replaced(update, "V02^VFC eligible", "V01^Not VFC eligible");
  update = replaced(update, "|CP|A\r", "|CP|U\r");
  Hl7IngestResult second = run(ingest, update);
  REQUIRE_MESSAGE(second.ack_code == "AA", second.ack);
  CHECK(f.count("Immunization") == 1);
  CHECK(f.count("Observation") == 2);
  CHECK(wrote(second, "Immunization"));
  const fhir::JsonDocument found =
      body_json(f.call("GET", "Observation", {}, {{"code", "http://loinc.org|64994-7"}}));
  REQUIRE(found["entry"].Size() == 1);
  const fhir::JsonValue& eligibility = found["entry"][0]["resource"];
  CHECK(std::string(eligibility["meta"]["versionId"].GetString()) == "2");
  CHECK(std::string(eligibility["valueCodeableConcept"]["coding"][0]["code"].GetString()) == "V01");
}

TEST_CASE("an identical resend gets its original ACK and writes nothing again") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult first = run(ingest, kOru);
  Hl7IngestResult again = run(ingest, kOru);
  CHECK(again.duplicate);
  CHECK(again.ack == first.ack);
  CHECK(again.written.empty());
  CHECK(f.count("Observation") == 2);
  CHECK(f.count("Provenance") == 1);
}

TEST_CASE("content that cannot be mapped: AE with ERR, archived as error, nothing written") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  // OBX-3 empty: an Observation without its required code.
  Hl7IngestResult r = run(ingest, replaced(kOru, "2093-3^Cholesterol^LN", ""));
  CHECK(r.ack_code == "AE");
  CHECK(r.mapping_failed);
  // ERR 101 at OBX-3 of the OBX segment (the message's 4th): the field the sender must fill.
  CHECK(r.ack.find("\rERR||OBX^4^3|101^") != std::string::npos);
  CHECK(r.written.empty());
  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kError);
  CHECK(row->note.starts_with("not mapped: "));
  CHECK(f.count("Patient") == 0);
  CHECK(f.count("Observation") == 0);
}

TEST_CASE("a write that fails in the store: AE, the row kept as error, nothing of it persists") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  REQUIRE(run(ingest, kOru).ack_code == "AA");
  // A second Patient with the same identifier: the next message's conditional update of its
  // patient now matches two resources.
  fhir::JsonDocument found = body_json(f.call("GET", "Patient", {}, {{"identifier", "55501"}}));
  REQUIRE(found["entry"].Size() == 1);
  const std::string system = found["entry"][0]["resource"]["identifier"][0]["system"].GetString();
  Response twin = f.call("POST", "Patient",
                         R"({"resourceType":"Patient","identifier":[{"system":")" + system +
                             R"(","value":"55501"}]})");
  REQUIRE(twin.status == 201);
  const int observations = f.count("Observation");
  Hl7IngestResult r = run(ingest, replaced(kOru, "ORU-1", "ORU-2"));
  CHECK(r.ack_code == "AE");
  CHECK(r.mapping_failed);
  CHECK(r.written.empty());
  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kError);
  CHECK(row->ack == r.ack);
  CHECK(row->note.find("more than one") != std::string::npos);
  CHECK(f.count("Observation") == observations);
  CHECK(f.count("Provenance") == 1);
}

TEST_CASE("a type without a map is archived and acknowledged as unmapped, or refused") {
  Fixture f;
  constexpr std::string_view kMfn =
      "MSH|^~\\&|APP|HOSP|HEARTH|HUB|20260309140000||MFN^M02|MFN-1|P|2.5.1\r"
      "MFI|PRA||UPD|||AL\r";
  Hl7Ingest accepting = f.ingest();
  Hl7IngestResult r = run(accepting, kMfn);
  CHECK(r.ack_code == "AA");
  CHECK(r.unmapped);
  CHECK(f.store->read_message(r.archive_id)->note.starts_with("unmapped"));
  Hl7Ingest refusing = f.ingest(/*reject_unmapped=*/true);
  Hl7IngestResult refused = run(refusing, replaced(kMfn, "MFN-1", "MFN-2"));
  CHECK(refused.ack_code == "AR");
  CHECK(refused.ack.find("200^") != std::string::npos);
}

TEST_CASE("a message planned before another wrote its patient is written against that patient") {
  // The ORU's lookups are made before its transaction (the patient is new then); an A01 for the
  // same PID-3 commits before the ORU's transaction runs. The transaction looks again, finds
  // the patient, and prepares its writes anew: one patient, whom the results name.
  Fixture f;
  REQUIRE(f.context.resolve_before_commit);
  auto message = hl7::Message::parse(kOru);
  REQUIRE(message.is_ok());
  MessageMapping oru = map_message(*message, "ORU^R01", "LAB|HOSP", f.context);
  REQUIRE(oru.outcome == MessageMapping::Outcome::kMapped);
  Hl7Ingest ingest = f.ingest();
  REQUIRE(run(ingest, kA01).ack_code == "AA");
  REQUIRE(f.count("Patient", {{"identifier", "55501"}}) == 1);
  Response patients = f.call("GET", "Patient", {}, {{"identifier", "55501"}});
  const std::string patient =
      std::string(body_json(patients)["entry"][0]["resource"]["id"].GetString());

  const Status status =
      f.store->transact([&](storage::StoreTransaction& tx) { return oru.effect(tx, 9001); });
  REQUIRE_MESSAGE(status.is_ok(), status.message());
  CHECK(f.count("Patient", {{"identifier", "55501"}}) == 1);
  CHECK(f.count("Observation", {{"subject", "Patient/" + patient}}) == 2);
  CHECK(f.count("Observation", {{"_source", "urn:hearth:hl7-message:9001"}}) == 2);
}

TEST_CASE("a message's writes are the same prepared before its transaction or in it") {
  // The same ORU into two stores, one each way: the same resources with the same bodies (ids,
  // times and the message named aside), found by the same searches.
  std::vector<std::string> bodies[2];
  for (int way = 0; way < 2; ++way) {
    Fixture f;
    f.context.resolve_before_commit = way == 0;
    Hl7Ingest ingest = f.ingest();
    REQUIRE(run(ingest, kA01).ack_code == "AA");
    Hl7IngestResult r = run(ingest, kOru);
    REQUIRE(r.ack_code == "AA");
    const std::string source = "urn:hearth:hl7-message:" + std::to_string(r.archive_id);
    CHECK(f.count("Observation", {{"_source", source}}) == 2);
    CHECK(f.count("Observation", {{"_content", "hl7"}, {"code", "http://loinc.org|2093-3"}}) == 1);
    CHECK(f.count("DiagnosticReport", {{"_source", source}}) == 1);
    for (const std::string& written : r.written) {
      if (written.starts_with("Provenance/")) continue;
      const std::string type = written.substr(0, written.find('/'));
      Response read = f.call("GET", written.substr(0, written.find("/_history")));
      REQUIRE(read.status == 200);
      fhir::JsonDocument doc = body_json(read);
      doc.RemoveMember("id");
      doc["meta"].RemoveMember("lastUpdated");
      std::string text = fhir::write_json(doc);
      // References to the resources the message wrote carry their generated ids: kept as types.
      for (std::size_t at = text.find("\"reference\":\""); at != std::string::npos;
           at = text.find("\"reference\":\"", at + 1)) {
        const std::size_t slash = text.find('/', at + 13);
        const std::size_t end = text.find('"', at + 13);
        if (slash < end) text.erase(slash, end - slash);
      }
      bodies[way].push_back(type + " " + text);
    }
    std::sort(bodies[way].begin(), bodies[way].end());
  }
  CHECK(bodies[0].size() == bodies[1].size());
  CHECK(bodies[0] == bodies[1]);
}

}  // namespace
}  // namespace hearth::api
