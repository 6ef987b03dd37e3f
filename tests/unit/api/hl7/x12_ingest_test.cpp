// The X12 ingest over an in-memory store read back through the REST core: an 837P archived and
// mapped in one commit (Claim, Patient, Coverage, Organizations, Practitioner) and answered with
// a 999 that accepts it; an identical resend gets the original 999 and writes nothing; the same
// claim under a new ISA13 updates the Claim; an envelope error is a TA1 rejection with nothing
// written; a store failure gives no acknowledgment at all.
#include "api/hl7/x12_ingest.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/hl7/ingest.h"
#include "api/hl7/message_mapping.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

using testing::body_json;
using testing::CountingIds;
using testing::FixedClock;

// An interchange around `body` (segments without terminators): ISA13 `control`, SE01 counted.
std::string interchange(const std::vector<std::string>& body, std::string_view control,
                        std::string_view iea_control = {}) {
  std::string out =
      "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260301*"
      "1200*^*00501*" +
      std::string(control) +
      "*0*T*:~\nGS*HC*SUBMITTER*RECEIVER*20260301*1200*7*X*"
      "005010X222A1~\nST*837*0001*005010X222A1~\n";
  for (const std::string& s : body) out += s + "~\n";
  out += "SE*" + std::to_string(body.size() + 2) + "*0001~\nGE*1*7~\nIEA*1*" +
         std::string(iea_control.empty() ? control : iea_control) + "~\n";
  return out;
}

std::vector<std::string> claim_837p(std::string_view claim_id, std::string_view charge) {
  return {"BHT*0019*00*REF47517*20260301*1200*CH",
          "NM1*41*2*SUBMITTER CO*****46*TGJ23",
          "PER*IC*JERRY*TE*3055552222",
          "NM1*40*2*PAYER RECEIVER*****46*66783JJT",
          "HL*1**20*1",
          "NM1*85*2*BEN KILDARE SERVICE*****XX*9876543210",
          "N3*234 SEAWAY ST",
          "N4*MIAMI*FL*33111",
          "REF*EI*587654321",
          "HL*2*1*22*0",
          "SBR*P*18*GRP12345******CI",
          "NM1*IL*1*SMITH*JANE****MI*JS00111223333",
          "N3*236 N MAIN ST",
          "N4*MIAMI*FL*33413",
          "DMG*D8*19430501*F",
          "NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666",
          "CLM*" + std::string(claim_id) + "*" + std::string(charge) + "***11:B:1*Y*A*Y*I",
          "HI*ABK:J449*ABF:E119",
          "NM1*82*1*KILDARE*BEN****XX*1234567804",
          "LX*1",
          "SV1*HC:99213*40*UN*1***1",
          "DTP*472*D8*20260215",
          "LX*2",
          "SV1*HC:87070:QW*60*UN*2***1:2",
          "DTP*472*RD8*20260215-20260216"};
}

struct Fixture : testing::RestFixture {
  Fixture() : context{*store, clock, ids, limits, mapper} {}
  Hl7Ingest ingest() {
    Hl7IngestOptions options;
    options.mapping = &context;
    return Hl7Ingest(*store, clock, ids, std::move(options));
  }
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

Hl7IngestResult run(Hl7Ingest& ingest, const std::string& raw) {
  return ingest_and_wait(ingest, raw, "10.0.0.1:4000");
}

std::string str(const fhir::JsonValue& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

TEST_CASE("looks_like_x12 takes ISA after a BOM or line breaks, nothing else") {
  CHECK(looks_like_x12("ISA*00*"));
  CHECK(looks_like_x12("\xEF\xBB\xBF\r\nISA*00*"));
  CHECK_FALSE(looks_like_x12("MSH|^~\\&|"));
  CHECK_FALSE(looks_like_x12("IS"));
  CHECK_FALSE(looks_like_x12(""));
}

TEST_CASE("an 837P is archived and mapped in one commit and answered with an accepting 999") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult r = run(ingest, interchange(claim_837p("26463774", "100"), "000000101"));
  REQUIRE_MESSAGE(r.ack_code == "A", r.ack, " / ", f.store->read_message(r.archive_id)->note);
  CHECK(r.ack.starts_with("ISA*00*"));
  CHECK(r.ack.find("AK1*HC*7*005010X222A1~") != std::string::npos);
  CHECK(r.ack.find("IK5*A~") != std::string::npos);
  CHECK(r.ack.find("AK9*A*1*1*1~") != std::string::npos);
  CHECK(r.control_id == "000000101");
  CHECK(r.message_type == "837");
  CHECK_FALSE(r.mapping_failed);
  REQUIRE(!r.written.empty());
  CHECK(r.written.back() == "Provenance/hl7-message-" + std::to_string(r.archive_id));

  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kAccepted);
  CHECK(row->sender == "ZZ:SUBMITTER");
  CHECK(row->version == "005010X222A1");
  CHECK(row->ack == r.ack);

  CHECK(f.count("Claim") == 1);
  CHECK(f.count("Patient", {{"identifier", "urn:hearth:x12:member-id:999996666|JS00111223333"}}) ==
        1);
  CHECK(f.count("Coverage") == 1);
  CHECK(f.count("Organization", {{"identifier", "http://hl7.org/fhir/sid/us-npi|9876543210"}}) ==
        1);
  CHECK(f.count("Organization", {{"identifier", "urn:hearth:x12:payer-id|999996666"}}) == 1);
  CHECK(f.count("Practitioner", {{"identifier", "http://hl7.org/fhir/sid/us-npi|1234567804"}}) ==
        1);

  Response found = f.call("GET", "Claim", {}, {{"identifier", "26463774"}});
  fhir::JsonDocument bundle = body_json(found);
  REQUIRE(bundle["entry"].Size() == 1);
  const fhir::JsonValue& claim = bundle["entry"][0]["resource"];
  CHECK(str(claim["identifier"][0]["system"]) ==
        "urn:hearth:x12:patient-control-number:9876543210");
  CHECK(str(claim["status"]) == "active");
  CHECK(str(claim["type"]["coding"][0]["code"]) == "professional");
  CHECK(str(claim["created"]) == "2026-03-01");
  CHECK(std::string(fhir::json_number_text(claim["total"]["value"])) == "100");
  REQUIRE(claim["diagnosis"].Size() == 2);
  CHECK(str(claim["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"]) == "J449");
  CHECK(str(claim["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["system"]) ==
        "http://hl7.org/fhir/sid/icd-10-cm");
  CHECK(str(claim["diagnosis"][0]["type"][0]["coding"][0]["code"]) == "principal");
  CHECK(fhir::json_number_text(claim["diagnosis"][1]["sequence"]) == "2");
  REQUIRE(claim["item"].Size() == 2);
  const fhir::JsonValue& line2 = claim["item"][1];
  CHECK(fhir::json_number_text(line2["sequence"]) == "2");
  CHECK(str(line2["productOrService"]["coding"][0]["code"]) == "87070");
  CHECK(str(line2["productOrService"]["coding"][0]["system"]) == "http://www.ama-assn.org/go/cpt");
  CHECK(str(line2["modifier"][0]["coding"][0]["code"]) == "QW");
  CHECK(line2["diagnosisSequence"].Size() == 2);
  CHECK(str(line2["servicedPeriod"]["end"]) == "2026-02-16");
  CHECK(str(claim["item"][0]["servicedDate"]) == "2026-02-15");
  CHECK(str(claim["careTeam"][0]["provider"]["reference"]).starts_with("Practitioner/"));
  // The references point at the resources written with it.
  const std::string patient = str(claim["patient"]["reference"]);
  Response p = f.call("GET", patient);
  REQUIRE(p.status == 200);
  CHECK(str(body_json(p)["name"][0]["family"]) == "SMITH");
  CHECK(str(body_json(p)["birthDate"]) == "1943-05-01");
  CHECK(str(claim["insurance"][0]["coverage"]["reference"]).starts_with("Coverage/"));
}

TEST_CASE("an identical resend gets its original 999 and writes nothing; a new ISA13 updates") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  const std::string first = interchange(claim_837p("C-1", "100"), "000000201");
  Hl7IngestResult a = run(ingest, first);
  REQUIRE(a.ack_code == "A");
  Hl7IngestResult again = run(ingest, first);
  CHECK(again.duplicate);
  CHECK(again.archive_id == a.archive_id);
  CHECK(again.ack == a.ack);
  CHECK(again.written.empty());
  CHECK(f.count("Claim") == 1);
  CHECK(f.count("Provenance") == 1);

  // The same claim corrected in a later interchange: one Claim, its second version.
  Hl7IngestResult b = run(ingest, interchange(claim_837p("C-1", "125.50"), "000000202"));
  REQUIRE(b.ack_code == "A");
  CHECK_FALSE(b.duplicate);
  CHECK(f.count("Claim") == 1);
  CHECK(f.count("Patient") == 1);
  CHECK(f.count("Coverage") == 1);
  CHECK(f.count("Organization") == 2);
  Response found = f.call("GET", "Claim", {}, {{"identifier", "C-1"}});
  const fhir::JsonDocument bundle = body_json(found);
  const fhir::JsonValue& claim = bundle["entry"][0]["resource"];
  CHECK(str(claim["meta"]["versionId"]) == "2");
  CHECK(std::string(fhir::json_number_text(claim["total"]["value"])) == "125.50");
}

TEST_CASE("an envelope error is a TA1 rejection: archived as rejected, nothing written") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult r = run(ingest, interchange(claim_837p("C-2", "100"), "000000301", "000000399"));
  CHECK(r.ack_code == "R");
  CHECK(r.ack.find("TA1*000000301*260301*1200*R*001~") != std::string::npos);
  CHECK(r.ack.find("ST*999") == std::string::npos);
  CHECK(r.written.empty());
  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kRejected);
  CHECK(f.count("Claim") == 0);
}

TEST_CASE("a 999 rejection (a required loop missing) writes nothing") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  std::vector<std::string> body = claim_837p("C-3", "100");
  body.erase(body.begin() + 15);  // NM1*PR: the required payer loop 2010BB
  Hl7IngestResult r = run(ingest, interchange(body, "000000401"));
  CHECK(r.ack_code == "R");
  CHECK(r.ack.find("IK5*R") != std::string::npos);
  CHECK(r.ack.find("AK9*R*1*1*0") != std::string::npos);
  CHECK(f.count("Claim") == 0);
  CHECK(f.store->read_message(r.archive_id)->status == storage::MessageStatus::kRejected);
}

// An archive that always fails.
class BrokenArchive final : public storage::MessageArchive {
 public:
  void archive(std::shared_ptr<const storage::ArchiveRequest>, storage::ArchiveDone done) override {
    done(Status(Code::kUnavailable, "database is down"));
  }
  Result<storage::ArchivedMessage> read_message(std::int64_t) override {
    return Status(Code::kUnavailable, "down");
  }
  Result<std::vector<storage::ArchivedMessage>> list_messages(
      const storage::MessageFilter&) override {
    return Status(Code::kUnavailable, "down");
  }
};

TEST_CASE("a store failure gives no acknowledgment, and bytes without an ISA none either") {
  FixedClock clock;
  CountingIds ids;
  BrokenArchive broken;
  Hl7Ingest ingest(broken, clock, ids);
  Hl7IngestResult r = run(ingest, interchange(claim_837p("C-4", "100"), "000000501"));
  CHECK(r.ack.empty());
  CHECK(r.hang_up);
  CHECK(r.store_error == "database is down");
  CHECK(r.archive_id == 0);

  Fixture f;
  Hl7Ingest good = f.ingest();
  Hl7IngestResult garbage = run(good, "ISA*00*short~");
  CHECK(garbage.ack.empty());
  CHECK(garbage.hang_up);
  REQUIRE(garbage.archive_id > 0);
  CHECK(f.store->read_message(garbage.archive_id)->status == storage::MessageStatus::kRejected);
}

}  // namespace
}  // namespace hearth::api
