// Whole messages mapped to transaction Bundles by the IG's message maps: the resources of a
// literal ORU^R01 and ADT^A01, the references between them; then every corpus ADT and ORU
// message, with the issue's checks (the patient by PID-3 with PID-5 and PID-7, an Encounter for
// PV1, an Observation of that patient for every OBX-3), counts printed.
#include "hl7/to_fhir/message_mapper.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "core/url_encoding.h"
#include "to_fhir/corpus_support.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::ids;
using testing::map_text;
using testing::reference;

}  // namespace

TEST_CASE("message mapper: ORU^R01 -> Patient, Encounter, DiagnosticReport, Observations") {
  const std::string raw =
      "MSH|^~\\&|LAB|H|HEARTH|H|20260101120000||ORU^R01^ORU_R01|1|P|2.5.1\r"
      "PID|1||123^^^H^MR||DOE^JANE||19700101|F\r"
      "PV1|1|O|||||||||||||||||V1^^^H\r"
      "OBR|1|P1|F1|24331-1^Lipid panel^LN|||20260101100000\r"
      "OBX|1|NM|2093-3^Cholesterol^LN||200|mg/dL|<200|H|||F\r"
      "OBX|2|NM|2571-8^Triglyceride^LN||150|mg/dL|<150|N|||F\r"
      "OBX|3|ST|8251-1^Comment^LN||fasting||||||F\r";
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(raw, bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "ORU_R01");
  CHECK(std::string(bundle.doc["type"].GetString()) == "transaction");
  REQUIRE(bundle.by_type["Patient"].size() == 1);
  REQUIRE(bundle.by_type["Observation"].size() == 3);
  REQUIRE(bundle.by_type["DiagnosticReport"].size() == 1);
  CHECK(bundle.by_type["Encounter"].size() == 1);
  const std::string patient = bundle.url_of("Patient");
  std::set<std::string> codes;
  for (const rapidjson::Value* observation : bundle.by_type["Observation"]) {
    CHECK(reference(*observation, "subject") == patient);
    codes.insert((*observation)["code"]["coding"][0]["code"].GetString());
  }
  CHECK(codes == std::set<std::string>{"2093-3", "2571-8", "8251-1"});
  const rapidjson::Value& report = *bundle.by_type["DiagnosticReport"][0];
  REQUIRE(report.HasMember("result"));
  CHECK(report["result"].Size() == 3);
  CHECK(reference(report, "subject") == patient);
  CHECK(mapped->issues.empty());
  // The patient is found again by PID-3 and its assigning authority; an ORU does not own the
  // demographics: a conditional create (created when new, else only linked).
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    const std::string type = entry["resource"]["resourceType"].GetString();
    const std::string method = entry["request"]["method"].GetString();
    const std::string url = entry["request"]["url"].GetString();
    const std::string if_none_exist = entry["request"].HasMember("ifNoneExist")
                                          ? entry["request"]["ifNoneExist"].GetString()
                                          : "";
    if (type == "Patient") {
      CHECK(method == "POST");
      CHECK(if_none_exist == "identifier=" + url_encode("H|123"));  // PID-3.4 | PID-3.1
    } else if (type == "Encounter") {
      CHECK(method == "POST");
      CHECK(if_none_exist == "identifier=" + url_encode("H|V1"));  // PV1-19.4 | PV1-19.1
    } else if (type == "Observation") {
      // Found again by the report's filler number (OBR-3), its code and its occurrence: a
      // corrected result replaces the one it corrects.
      CHECK(method == "PUT");
      const std::string code = entry["resource"]["code"]["coding"][0]["code"].GetString();
      CHECK(url ==
            "Observation?identifier=" + url_encode("urn:hearth:hl7-result|^F1^" + code + "^1"));
      CHECK(std::string(entry["resource"]["code"]["coding"][0]["system"].GetString()) ==
            "http://loinc.org");  // CWE.3 "LN", through table 0396
    }
  }
}

TEST_CASE("message mapper: an OBX's NTEs become its Observation's notes, one per NTE") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|N-1|P|2.5.1\r"
      "PID|1||55501^^^HOSP^MR||CHALMERS^PETER\r"
      "OBR|1|PL1^ORDERS|FL1^LAB|24331-1^Lipid panel^LN|||20260309120000\r"
      "NTE|1|L|About the order, not a result\r"
      "OBX|1|NM|2093-3^Cholesterol^LN||196|mg/dL|<200|N|||F\r"
      "NTE|1|L|Fasting specimen|||20260309130000\r"
      "NTE|2|L|Repeat advised\r"
      "OBX|2|NM|2571-8^Triglyceride^LN||90|mg/dL|<150|N|||F\r"
      "NTE|1|L|Lipemic\r"
      "OBX|3|NM|2085-9^HDL^LN||50|mg/dL|>40|N|||F\r",
      bundle);
  REQUIRE(mapped.is_ok());
  std::map<std::string, std::vector<std::string>> notes;  // by OBX-3 code
  std::string fasting_time;
  for (const rapidjson::Value* obs : bundle.by_type["Observation"]) {
    std::vector<std::string>& texts = notes[(*obs)["code"]["coding"][0]["code"].GetString()];
    if (!obs->HasMember("note")) continue;
    for (const auto& note : (*obs)["note"].GetArray()) {
      texts.emplace_back(note["text"].GetString());
      if (note.HasMember("time")) fasting_time = note["time"].GetString();
    }
  }
  using S = std::vector<std::string>;
  CHECK(notes["2093-3"] == S{"Fasting specimen", "Repeat advised"});
  CHECK(notes["2571-8"] == S{"Lipemic"});
  CHECK(notes["2085-9"].empty());
  CHECK(fasting_time.starts_with("2026-03-09T13:00:00"));  // NTE-6 -> note.time
}

TEST_CASE("message mapper: extension urls the IG wrote past its Assignment column") {
  // OBX-19 and OBR-17 name their extension's url in the sheets' comment column; read from the
  // Assignment column alone the url took the field's value ("20260309135900").
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|N-2|P|2.5.1\r"
      "PID|1||55502^^^HOSP^MR||CHALMERS^PETER\r"
      "OBR|1|PL2^ORDERS|FL2^LAB|24331-1^Lipid panel^LN|||20260309120000||||||||||"
      "^WPN^PH^^1^217^5550100\r"
      "OBX|1|NM|2093-3^Cholesterol^LN||196|mg/dL|<200|N|||F|||20260309093000|||||"
      "20260309135900\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["Observation"].size() == 1);
  const rapidjson::Value& obs = *bundle.by_type["Observation"][0];
  REQUIRE(obs.HasMember("extension"));
  std::map<std::string, std::string> extensions;
  for (const auto& e : obs["extension"].GetArray()) {
    extensions[e["url"].GetString()] =
        e.HasMember("valueDateTime") ? e["valueDateTime"].GetString() : "";
  }
  CHECK(extensions.size() == 1);
  CHECK(extensions["http://hl7.org/fhir/StructureDefinition/observation-analysis-date-time"]
            .starts_with("2026-03-09T13:59:00"));
}

TEST_CASE("message mapper: two rows writing one coding make one Coding") {
  // PV1-19's rows give the visit number's type the constant VN; its own CX.5 says VN too (with
  // the display table 0203 gives). One Coding, with the display.
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|REG|HOSP|HEARTH|HUB|20260309140000||ADT^A01^ADT_A01|C-1|P|2.5.1\r"
      "EVN|A01|20260309140000\r"
      "PID|1||8899^^^HOSP^MR||PAGE^LENA||19800101|F\r"
      "PV1|1|I|4EAST^401^B^MAIN||||||||||||||||V77^^^MAIN^VN\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["Encounter"].size() == 1);
  const rapidjson::Value& encounter = *bundle.by_type["Encounter"][0];
  REQUIRE(encounter.HasMember("identifier"));
  const rapidjson::Value& type = encounter["identifier"][0]["type"];
  REQUIRE(type["coding"].Size() == 1);
  CHECK(std::string(type["coding"][0]["code"].GetString()) == "VN");
  CHECK(std::string(type["coding"][0]["system"].GetString()) ==
        "http://terminology.hl7.org/CodeSystem/v2-0203");
  CHECK(type["coding"][0].HasMember("display"));
}

TEST_CASE("message mapper: SIU participants, one per AIP, and the patient's") {
  // MSH-9.3 names SIU_S15, which table 0354 does not list: the event's structure (SIU_S12) maps.
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|A|B|C|D|20181017222805||SIU^S15^SIU_S15|1|P|2.5.1\r"
      "SCH||1234|||||^Check up||15|MIN|^^^20181017222805\r"
      "PID|||0000000001^^^HOSP^MR||Bixby^Timothy\r"
      "RGS|1||3N\r"
      "AIP|1||111^Granite^Pat^^^^^^NPI|||20181017222805\r"
      "AIP|2||222^Slate^Sam^^^^^^NPI|||20181017223000\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["Appointment"].size() == 1);
  const rapidjson::Value& appointment = *bundle.by_type["Appointment"][0];
  REQUIRE(appointment.HasMember("participant"));
  std::multiset<std::string> actors;
  for (const auto& p : appointment["participant"].GetArray()) {
    REQUIRE(p.HasMember("actor"));
    const rapidjson::Value* target = bundle.by_url[p["actor"]["reference"].GetString()];
    REQUIRE(target != nullptr);
    std::string who = (*target)["resourceType"].GetString();
    if (who == "Practitioner") who += ":" + std::string((*target)["name"][0]["family"].GetString());
    actors.insert(who);
  }
  CHECK(actors ==
        std::multiset<std::string>{"Patient", "Practitioner:Granite", "Practitioner:Slate"});
}

TEST_CASE("message mapper: an ADT owns the patient and the visit: conditional updates") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ADT|H|HEARTH|H|20260101120000||ADT^A08^ADT_A01|1|P|2.5.1\r"
      "EVN|A08|20260101120000\r"
      "PID|1||123^^^H^MR||DOE^JANE||19700101|F\r"
      "PV1|1|I|WARD1^101^A||||||||||||||||V1^^^H\r",
      bundle);
  REQUIRE(mapped.is_ok());
  std::map<std::string, std::string> urls;
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    const std::string type = entry["resource"]["resourceType"].GetString();
    if (type != "Patient" && type != "Encounter") continue;
    CHECK(std::string(entry["request"]["method"].GetString()) == "PUT");
    CHECK_FALSE(entry["request"].HasMember("ifNoneExist"));
    urls[type] = entry["request"]["url"].GetString();
  }
  // PV1-3's point of care makes no Location here: the Encounter keeps no location entry
  // without its required reference, and no reference points outside the Bundle.
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    CHECK_FALSE(entry["resource"].HasMember("location"));
  }
  CHECK(bundle.by_type["Organization"].size() == 1);  // PID-3.4 and PV1-19.4 name one authority
  CHECK(urls["Patient"] == "Patient?identifier=" + url_encode("H|123"));
  CHECK(urls["Encounter"] == "Encounter?identifier=" + url_encode("H|V1"));
}

TEST_CASE("message mapper: a message type without a map is unmapped") {
  Bundle bundle;
  Result<MappedMessage> mapped =
      map_text("MSH|^~\\&|A|B|C|D|20260101||MFN^M02^MFN_M02|1|P|2.5.1\r", bundle);
  CHECK(mapped.status().code() == Code::kNotImplemented);
}

TEST_CASE("message mapper: every corpus ADT and ORU message (counts)") {
  std::size_t adt = 0, adt_ok = 0, oru = 0, oru_ok = 0, observations = 0, resources = 0;
  for (const auto& path : testing::corpus_files(".hl7")) {
    const std::string raw = testing::read_file(path);
    Result<Message> message = Message::parse(raw);
    if (!message.is_ok()) continue;
    const std::string_view code = message->message_code();
    if (code != "ADT" && code != "ORU") continue;
    Result<MappedMessage> mapped = MessageMapper().map(*message, ids());
    if (!mapped.is_ok()) continue;  // an event without a map (A40, ...): counted by the ingest
    Bundle bundle;
    bundle.doc.Parse(::hearth::fhir::write_json(mapped->bundle).c_str());
    REQUIRE_FALSE(bundle.doc.HasParseError());
    for (const auto& e : bundle.doc["entry"].GetArray()) {
      bundle.by_type[e["resource"]["resourceType"].GetString()].push_back(&e["resource"]);
    }
    resources += mapped->resources;
    const std::string name = path.filename().string();
    // The patient: PID-3.1 among its identifiers, PID-5.1.1 its family name.
    bool patient_ok = false;
    Result<std::string> pid3 = message->get_text("PID-3.1");
    Result<std::string> family = message->get_text("PID-5.1.1");
    for (const rapidjson::Value* p : bundle.by_type["Patient"]) {
      bool id = false;
      if (p->HasMember("identifier")) {
        for (const auto& i : (*p)["identifier"].GetArray()) {
          id = id || (i.HasMember("value") && pid3.is_ok() && *pid3 == i["value"].GetString());
        }
      }
      bool named = family.is_ok() && family->empty();
      if (p->HasMember("name")) {
        for (const auto& n : (*p)["name"].GetArray()) {
          named = named ||
                  (n.HasMember("family") && family.is_ok() && *family == n["family"].GetString());
        }
      }
      patient_ok = patient_ok || (id && named);
    }
    bool complete = patient_ok;
    if (code == "ADT") {
      ++adt;
      bool has_pv1 = false;
      for (std::size_t s = 0; s < message->segment_count(); ++s) {
        has_pv1 = has_pv1 || message->segment_id(s) == "PV1";
      }
      if (has_pv1 && bundle.by_type["Encounter"].empty()) complete = false;
      adt_ok += complete ? 1 : 0;
    } else {
      ++oru;
      std::size_t obx = 0;
      for (std::size_t s = 0; s < message->segment_count(); ++s) {
        obx += message->segment_id(s) == "OBX" ? 1 : 0;
      }
      observations += bundle.by_type["Observation"].size();
      if (bundle.by_type["Observation"].size() < obx) complete = false;
      oru_ok += complete ? 1 : 0;
    }
    if (!complete) std::printf("  incomplete: %s\n", name.c_str());
  }
  std::printf(
      "v2 -> FHIR bundles: ADT %zu of %zu complete, ORU %zu of %zu complete "
      "(%zu Observations); %zu resources in all\n",
      adt_ok, adt, oru_ok, oru, observations, resources);
  CHECK(adt > 20);
  CHECK(oru > 20);
}

}  // namespace hearth::hl7::to_fhir

namespace hearth::hl7::to_fhir {

TEST_CASE("message mapper: the v2 field a FHIR element is mapped from, by the segment maps") {
  auto code = v2_source_of("Observation", "code");
  REQUIRE(code.has_value());
  CHECK(code->segment == "OBX");
  CHECK(code->field == 3);
  auto report = v2_source_of("DiagnosticReport", "code");
  REQUIRE(report.has_value());
  CHECK(report->segment == "OBR");
  CHECK(report->field == 4);
  CHECK_FALSE(v2_source_of("Observation", "nosuchelement").has_value());
  CHECK_FALSE(v2_source_of("NoSuchType", "code").has_value());
}

}  // namespace hearth::hl7::to_fhir
