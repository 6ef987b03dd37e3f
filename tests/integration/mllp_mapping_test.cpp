// HL7 v2 to FHIR end to end: messages sent over MLLP to the real server, the resources they
// produced read back over FHIR REST. A01 then A08 updates one Patient and one Encounter; an
// identical resend and a replay write nothing again; an ORU gives its Observations with
// meta.source and a Provenance naming the message; a message that cannot be mapped gets AE,
// is archived as error, and leaves the FHIR store unchanged. Identifiers are unique per run, so
// a shared PostgreSQL database may hold earlier runs. Also: a corrected ORU replaces its result,
// S12 then S15 cancels the booked Appointment, A01 then A03 finishes the visit.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>

#include "harness.h"
#include "mllp_harness.h"
#include "search_support.h"

namespace {

using namespace hearth::testing;

std::string adt(std::string_view event, std::string_view control_id, std::string_view mrn,
                std::string_view visit, std::string_view given, std::string_view ward) {
  return "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260309140000||ADT^" + std::string(event) + "^ADT_A01|" +
         std::string(control_id) + "|P|2.5.1\rEVN|" + std::string(event) +
         "|20260309140000\rPID|1||" + std::string(mrn) + "^^^HOSP^MR||CHALMERS^PETER^" +
         std::string(given) + "||19740612|M\rPV1|1|I|" + std::string(ward) +
         "^101^A||||||||||||||||" + std::string(visit) + "^^^HOSP^VN\r";
}

std::string oru(std::string_view control_id, std::string_view mrn, std::string_view code) {
  return "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" +
         std::string(control_id) + "|P|2.5.1\rPID|1||" + std::string(mrn) +
         "^^^HOSP^MR||CHALMERS^PETER\rOBR|1|PL1^ORDERS|FL1^LAB|24331-1^Lipid panel^LN|||"
         "20260309120000||||||||||||||||||F\rOBX|1|NM|" +
         std::string(code) +
         "||196|mg/dL|<200|N|||F|||20260309120000\r"
         "OBX|2|NM|2571-8^Triglyceride^LN||90|mg/dL|<150|N|||F|||20260309120000\r";
}

rapidjson::Document json(const HttpResponse& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  REQUIRE_MESSAGE(!doc.HasParseError(), response.body);
  return doc;
}

std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

int total(HttpClient& client, const std::string& target) {
  namespace search = hearth::testing::search;
  return search::total(search::search(
      client, target + (target.find('?') == std::string::npos ? "?" : "&") + "_summary=count"));
}

// The archive id of the newest message of this type.
std::int64_t archive_id(HttpClient& client, std::string_view type) {
  auto list = json(client.get("/hl7/messages?_count=1&type=" + std::string(type)));
  REQUIRE(list["messages"].Size() == 1);
  return list["messages"][0]["id"].GetInt64();
}

TEST_CASE(
    "mllp mapping: A01 then A08 update one Patient and one Encounter; resend and replay "
    "write nothing") {
  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  auto client = server.client();
  const std::string mrn = unique_name("M");
  const std::string visit = unique_name("V");
  REQUIRE(msa(mllp.exchange(adt("A01", unique_name("C"), mrn, visit, "J", "WARD1")), 1) == "AA");
  const std::string a08 = adt("A08", unique_name("C"), mrn, visit, "JAMES", "WARD2");
  REQUIRE(msa(mllp.exchange(a08), 1) == "AA");

  const std::string by_mrn = "Patient?identifier=" + mrn;
  REQUIRE(total(client, by_mrn) == 1);
  auto found = json(client.get(by_mrn));
  const auto& patient = found["entry"][0]["resource"];
  CHECK(str(patient["meta"]["versionId"]) == "2");
  CHECK(str(patient["name"][0]["given"][1]) == "JAMES");
  CHECK(str(patient["birthDate"]) == "1974-06-12");
  CHECK(total(client, "Encounter?identifier=" + visit) == 1);

  // The same A08 again: its original ACK, nothing applied twice.
  CHECK(msa(mllp.exchange(a08), 1) == "AA");
  const std::int64_t id = archive_id(client, "ADT%5EA08");
  HttpResponse replayed = client.post("/hl7/messages/" + std::to_string(id) + "/$replay", "",
                                      {{"Content-Type", "application/json"}});
  REQUIRE(replayed.status == 200);
  CHECK(json(replayed)["duplicate"].GetBool());
  auto after = json(client.get(by_mrn));
  CHECK(str(after["entry"][0]["resource"]["meta"]["versionId"]) == "2");
  CHECK(total(client, "Encounter?identifier=" + visit) == 1);
}

TEST_CASE(
    "mllp mapping: an ORU's results carry their message; one that cannot be mapped "
    "changes nothing") {
  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  auto client = server.client();
  const std::string mrn = unique_name("R");
  REQUIRE(msa(mllp.exchange(oru(unique_name("C"), mrn, "2093-3^Cholesterol^LN")), 1) == "AA");
  const std::string results = "Observation?subject:Patient.identifier=" + mrn;
  CHECK(total(client, results) == 2);
  const std::int64_t id = archive_id(client, "ORU%5ER01");
  const std::string source = "urn:hearth:hl7-message:" + std::to_string(id);
  CHECK(total(client, "Observation?_source=" + source) == 2);
  auto provenance = json(client.get("Provenance/hl7-message-" + std::to_string(id)));
  CHECK(str(provenance["entity"][0]["what"]["reference"]) == source);
  CHECK(provenance["target"].Size() >= 3);  // the patient, its two results, ...

  // OBX-3 empty: an Observation without its code. AE, archived as error, nothing written.
  const std::string bad = oru(unique_name("C"), mrn, "");
  const std::string ack = mllp.exchange(bad);
  CHECK(msa(ack, 1) == "AE");
  CHECK(ack.find("\rERR|") != std::string::npos);
  const std::int64_t bad_id = archive_id(client, "ORU%5ER01");
  auto row = json(client.get("/hl7/messages/" + std::to_string(bad_id)));
  CHECK(str(row["status"]) == "error");
  CHECK(total(client, results) == 2);
  CHECK(total(client, "Provenance?entity=urn:hearth:hl7-message:" + std::to_string(bad_id)) == 0);
}

TEST_CASE("mllp mapping: an A40 moves the merged patient's encounter and results to the survivor") {
  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  auto client = server.client();
  const std::string survivor = unique_name("S");
  const std::string merged = unique_name("D");
  REQUIRE(msa(mllp.exchange(adt("A01", unique_name("C"), survivor, unique_name("V"), "J", "WARD1")),
              1) == "AA");
  REQUIRE(msa(mllp.exchange(adt("A01", unique_name("C"), merged, unique_name("V"), "J", "WARD2")),
              1) == "AA");
  REQUIRE(msa(mllp.exchange(oru(unique_name("C"), merged, "2093-3^Cholesterol^LN")), 1) == "AA");
  const auto of = [](const std::string& type, const std::string& mrn) {
    return type + "?subject:Patient.identifier=HOSP|" + mrn;
  };
  REQUIRE(total(client, of("Observation", merged)) == 2);
  REQUIRE(total(client, of("Encounter", merged)) == 1);
  const std::string a40 = "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260311090000||ADT^A40^ADT_A39|" +
                          unique_name("C") + "|P|2.5.1\rEVN|A40|20260311090000\rPID|1||" +
                          survivor + "^^^HOSP^MR||CHALMERS^PETER^J||19740612|M\rMRG|" + merged +
                          "^^^HOSP^MR\r";
  REQUIRE(msa(mllp.exchange(a40), 1) == "AA");
  CHECK(total(client, of("Observation", merged)) == 0);
  CHECK(total(client, of("Encounter", merged)) == 0);
  CHECK(total(client, of("Observation", survivor)) == 2);
  CHECK(total(client, of("Encounter", survivor)) == 2);
  const std::string source =
      "urn:hearth:hl7-message:" + std::to_string(archive_id(client, "ADT%5EA40"));
  CHECK(total(client, "Observation?_source=" + source) == 2);
}

}  // namespace

TEST_CASE("mllp mapping: a corrected ORU (OBX-11 = C) replaces the result it corrects") {
  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  auto client = server.client();
  const std::string mrn = unique_name("K");
  // Results are found again by filler number + OBX-3: this run's own filler number, since a
  // shared PostgreSQL database keeps other tests' "FL1" results.
  const std::string filler = "|" + unique_name("FL") + "^LAB|";
  const auto with_filler = [&](std::string message) {
    return message.replace(message.find("|FL1^LAB|"), 9, filler);
  };
  const std::string first = with_filler(oru(unique_name("C"), mrn, "2093-3^Cholesterol^LN"));
  REQUIRE(msa(mllp.exchange(first), 1) == "AA");
  std::string corrected = with_filler(oru(unique_name("C"), mrn, "2093-3^Cholesterol^LN"));
  const std::string was = "||196|mg/dL|<200|N|||F|";
  REQUIRE(corrected.find(was) != std::string::npos);
  corrected.replace(corrected.find(was), was.size(), "||214|mg/dL|<200|H|||C|");
  REQUIRE(msa(mllp.exchange(corrected), 1) == "AA");

  const std::string results = "Observation?subject:Patient.identifier=" + mrn;
  CHECK(total(client, results) == 2);
  auto found = json(client.get(results + "&code=http://loinc.org|2093-3"));
  REQUIRE(found["entry"].Size() == 1);
  const auto& cholesterol = found["entry"][0]["resource"];
  CHECK(str(cholesterol["meta"]["versionId"]) == "2");
  CHECK(str(cholesterol["status"]) == "corrected");
  CHECK(cholesterol["valueQuantity"]["value"].GetDouble() == 214);
  CHECK(str(cholesterol["interpretation"][0]["coding"][0]["code"]) == "H");
  CHECK(total(client, "DiagnosticReport?subject:Patient.identifier=" + mrn) == 1);
}

TEST_CASE("mllp mapping: S12 books an Appointment, S15 for its filler ID cancels that one") {
  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  auto client = server.client();
  const std::string filler = unique_name("F");
  const auto siu = [&](std::string_view event) {
    return "MSH|^~\\&|SCHED|HOSP|HEARTH|HUB|20260309140000||SIU^" + std::string(event) +
           "^SIU_S12|" + unique_name("C") + "|P|2.5.1\rSCH|P77^SCHED|" + filler +
           "^SCHED|||||^Check up||15|MIN|^^^20260320090000\rPID|1||" + unique_name("S") +
           "^^^HOSP^MR||CHALMERS^PETER\rRGS|1\rAIP|1||111^Granite^Pat^^^^^^NPI|||20260320090000\r";
  };
  REQUIRE(msa(mllp.exchange(siu("S12")), 1) == "AA");
  const std::string booked = "Appointment?identifier=" + filler;
  REQUIRE(total(client, booked) == 1);
  auto appointment = json(client.get(booked));
  CHECK(str(appointment["entry"][0]["resource"]["status"]) == "booked");
  CHECK(str(appointment["entry"][0]["resource"]["start"]).rfind("2026-03-20T09:00:00", 0) == 0);

  REQUIRE(msa(mllp.exchange(siu("S15")), 1) == "AA");
  CHECK(total(client, booked) == 1);
  CHECK(total(client, booked + "&status=cancelled") == 1);
  CHECK(total(client, booked + "&practitioner:Practitioner.family=Granite") == 1);
}

TEST_CASE("mllp mapping: A01 admits, A03 for the same visit finishes that Encounter") {
  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  auto client = server.client();
  const std::string mrn = unique_name("D");
  const std::string visit = unique_name("V");
  REQUIRE(msa(mllp.exchange(adt("A01", unique_name("C"), mrn, visit, "J", "WARD1")), 1) == "AA");
  const std::string by_visit = "Encounter?identifier=" + visit;
  REQUIRE(total(client, by_visit + "&status=in-progress") == 1);

  // ADT^A03^ADT_A03 without PV1-45: the visit ends all the same (Hearth's ADT_A03 map).
  std::string a03 = adt("A03", unique_name("C"), mrn, visit, "J", "WARD1");
  a03.replace(a03.find("ADT^A03^ADT_A01"), 15, "ADT^A03^ADT_A03");
  REQUIRE(msa(mllp.exchange(a03), 1) == "AA");
  CHECK(total(client, by_visit) == 1);
  auto encounter = json(client.get(by_visit));
  CHECK(str(encounter["entry"][0]["resource"]["status"]) == "finished");
  CHECK(str(encounter["entry"][0]["resource"]["meta"]["versionId"]) == "2");
  CHECK(total(client, "Patient?identifier=" + mrn) == 1);
}
