// The outbound renderer: hand-made resources to ADT^A08, and a corpus ORU^R01 mapped to FHIR by
// the inbound mapper then rendered back, both read with Hearth's own parser.
#include "hl7/to_v2/message_renderer.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "../to_fhir/corpus_support.h"
#include "hl7/to_fhir/message_mapper.h"
#include "hl7/to_fhir/primitive_conversion.h"
#include "hl7/to_v2/v2_primitive.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_v2 {
namespace {

MessageHeaderValues header() {
  MessageHeaderValues h;
  h.control_id = "OUT-1";
  h.timestamp = "2026-12-05T04:30:00Z";
  return h;
}

std::string text(const Message& m, std::string_view path) {
  Result<std::string> value = m.get_text(path);
  return value.is_ok() ? *value : std::string();
}

constexpr std::string_view kPatient = R"({"resourceType":"Patient","id":"p1",
  "identifier":[{"system":"urn:oid:1.2.3","value":"MRN-7","type":{"coding":[{"system":
  "http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]}},
  {"system":"http://hl7.org/fhir/sid/us-ssn","value":"123-45-6789","type":{"coding":[{"code":"SS"}]}}],
  "name":[{"family":"O|Brien^Jr","given":["Ann","Marie"]}],"gender":"female",
  "birthDate":"1962-03-20","address":[{"line":["1 Main St"],"city":"Springfield","state":"IL",
  "postalCode":"62701"}],"telecom":[{"system":"phone","value":"555-1234","use":"home"},
  {"system":"phone","value":"555-9999","use":"work"}],"maritalStatus":{"coding":[{"system":
  "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"M"}]}})";

constexpr std::string_view kEncounter = R"({"resourceType":"Encounter","id":"e1",
  "status":"in-progress","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode",
  "code":"IMP"},"identifier":[{"value":"V-42","type":{"coding":[{"system":
  "http://terminology.hl7.org/CodeSystem/v2-0203","code":"VN"}]}}],
  "period":{"start":"2026-12-01T08:15:00-05:00"}})";

TEST_CASE("FHIR primitives as v2 values") {
  CHECK(v2_from_fhir("1962-03-20", "date") == "19620320");
  CHECK(v2_from_fhir("1962-03", "date") == "196203");
  CHECK(v2_from_fhir("2012-04-10T16:02:27Z", "dateTime") == "20120410160227+0000");
  CHECK(v2_from_fhir("2012-04-10T16:02:27.5-05:00", "dateTime") == "20120410160227.5-0500");
  // A DTM has 4 digits of fraction at most; zeros only are left out.
  CHECK(v2_from_fhir("2012-04-10T16:02:27.123456+02:00", "instant") == "20120410160227.1234+0200");
  CHECK(v2_from_fhir("2012-04-10T16:02:27.000000Z", "instant") == "20120410160227+0000");
  CHECK(v2_from_fhir("12:30:00", "time") == "123000");
  CHECK(v2_from_fhir("true", "boolean") == "Y");
  CHECK(v2_from_fhir("false", "boolean") == "N");
  CHECK(v2_from_fhir("7.50", "decimal") == "7.50");
  CHECK(temporal_kind("2012-04-10") == "dateTime");
  CHECK(temporal_kind("12:30:00") == "time");
  CHECK(temporal_kind("mg/dL").empty());
}

TEST_CASE("an ADT^A08 from a Patient and its Encounter: the IG's PID and PV1 rows backwards") {
  Result<std::string> er7 = render_adt("A08", kPatient, kEncounter, header());
  REQUIRE(er7.is_ok());
  Result<Message> m = Message::parse_owned(*er7);
  REQUIRE_MESSAGE(m.is_ok(), *er7);
  CHECK(text(*m, "MSH-9.1") == "ADT");
  CHECK(text(*m, "MSH-9.2") == "A08");
  CHECK(text(*m, "MSH-9.3") == "ADT_A01");
  CHECK(text(*m, "MSH-10") == "OUT-1");
  CHECK(text(*m, "MSH-12") == "2.5.1");
  CHECK(text(*m, "EVN-2") == "20261205043000+0000");
  // PID-3 from identifier[2] through CX[Identifier]: CX.1 value, CX.4 system (HD.1), CX.5 type.
  CHECK(text(*m, "PID-3[1].1") == "MRN-7");
  CHECK(text(*m, "PID-3[1].4") == "urn:oid:1.2.3");
  CHECK(text(*m, "PID-3[1].5") == "MR");
  // The SS-typed identifier is PID-19's (its constant rows), not a repetition of PID-3.
  CHECK(text(*m, "PID-3[2]").empty());
  CHECK(text(*m, "PID-2").empty());
  CHECK(text(*m, "PID-19") == "123-45-6789");
  // XPN: family through FN (a subcomponent-free component), escaped delimiters read back.
  CHECK(text(*m, "PID-5.1") == "O|Brien^Jr");
  CHECK(text(*m, "PID-5.2") == "Ann");
  CHECK(text(*m, "PID-5.3") == "Marie");
  CHECK(text(*m, "PID-7") == "19620320");
  CHECK(text(*m, "PID-8") == "F");  // AdministrativeSex backwards
  CHECK(text(*m, "PID-11.1") == "1 Main St");
  CHECK(text(*m, "PID-11.3") == "Springfield");
  CHECK(text(*m, "PID-11.5") == "62701");
  CHECK(text(*m, "PID-13.1") == "555-1234");  // use home: PID-13
  CHECK(text(*m, "PID-14.1") == "555-9999");  // use work: PID-14
  CHECK(text(*m, "PID-16.1") == "M");
  CHECK(text(*m, "PV1-1") == "1");
  CHECK(text(*m, "PV1-2") == "I");  // PatientClass[EncounterClass] backwards: IMP -> I
  CHECK(text(*m, "PV1-19.1") == "V-42");
  CHECK(text(*m, "PV1-44") == "20261201081500-0500");
}

TEST_CASE("an ADT without an Encounter has no PV1; an unknown event is refused naming the others") {
  Result<std::string> er7 = render_adt("A01", kPatient, "", header());
  REQUIRE(er7.is_ok());
  CHECK(er7->find("\rPV1|") == std::string::npos);
  CHECK(er7->find("\rPID|1|") != std::string::npos);
  Result<std::string> bad = render_adt("A99", kPatient, "", header());
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().code() == Code::kInvalidArgument);
  CHECK(bad.status().message().find("A08") != std::string::npos);
  CHECK_FALSE(render_adt("A08", R"({"resourceType":"Encounter"})", "", header()).is_ok());
  CHECK_FALSE(render_adt("A08", "not json", "", header()).is_ok());
}

TEST_CASE("OBX-2 follows the value's type, as the OBX-5 rows' conditions say backwards") {
  const std::string report = R"({"resourceType":"DiagnosticReport","status":"final",
    "code":{"coding":[{"code":"panel"}]}})";
  const std::vector<std::string> observations = {
      R"({"resourceType":"Observation","status":"final","code":{"text":"a"},
         "valueString":"positive ^ strong"})",
      R"({"resourceType":"Observation","status":"preliminary","code":{"text":"b"},
         "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260373001",
         "display":"Detected"}]}})",
      R"({"resourceType":"Observation","status":"final","code":{"text":"c"},
         "valueDateTime":"2026-01-02T03:04:05Z"})",
      R"({"resourceType":"Observation","status":"corrected","code":{"text":"d"},
         "valueQuantity":{"value":1.50,"unit":"mg/dL","system":"http://unitsofmeasure.org",
         "code":"mg/dL"}})"};
  Result<std::string> er7 = render_oru("", report, observations, header());
  REQUIRE(er7.is_ok());
  Result<Message> m = Message::parse_owned(*er7);
  REQUIRE_MESSAGE(m.is_ok(), *er7);
  CHECK(text(*m, "OBX[1]-2") == "ST");
  CHECK(text(*m, "OBX[1]-5") == "positive ^ strong");
  CHECK(text(*m, "OBX[1]-11") == "F");
  CHECK(text(*m, "OBX[2]-2") == "CWE");
  CHECK(text(*m, "OBX[2]-5.1") == "260373001");
  CHECK(text(*m, "OBX[2]-5.2") == "Detected");
  CHECK(text(*m, "OBX[2]-5.3") == "SCT");  // table 0396 name of the URI
  CHECK(text(*m, "OBX[2]-11") == "P");
  CHECK(text(*m, "OBX[3]-2") == "DTM");
  CHECK(text(*m, "OBX[3]-5") == "20260102030405+0000");
  CHECK(text(*m, "OBX[4]-2") == "NM");
  CHECK(text(*m, "OBX[4]-5") == "1.50");  // the decimal as stored
  CHECK(text(*m, "OBX[4]-6.1") == "mg/dL");
  CHECK(text(*m, "OBX[4]-6.3") == "UCUM");
  CHECK(text(*m, "OBX[4]-11") == "C");
  CHECK(text(*m, "OBX[4]-1") == "4");
  CHECK(er7->find("\rPID|") == std::string::npos);
  std::vector<std::string> many(kMaxObservations + 1, observations[0]);
  CHECK_FALSE(render_oru("", report, many, header()).is_ok());
}

// The resources of a mapped message's Bundle, by type, in entry order.
std::multimap<std::string, std::string> resources_of(const std::string& bundle) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(bundle.c_str());
  std::multimap<std::string, std::string> out;
  for (const auto& entry : doc["entry"].GetArray()) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    entry["resource"].Accept(w);
    out.emplace(entry["resource"]["resourceType"].GetString(), buffer.GetString());
  }
  return out;
}

std::string instant(const std::string& v2) {
  Result<std::string> fhir = to_fhir::to_fhir_primitive(v2, "dateTime");
  return fhir.is_ok() ? *fhir : "(" + v2 + ")";
}

TEST_CASE("ORU^R01 in -> FHIR (the inbound mapper) -> ORU^R01 out carries the same results") {
  const std::string original = to_fhir::testing::read_file(
      to_fhir::testing::corpus_dir() / "mirth-connect/nonbatch08-ORU_R01-CBC.hl7");
  REQUIRE_FALSE(original.empty());
  Result<Message> in = Message::parse(original);
  REQUIRE(in.is_ok());
  int next = 0;
  Result<to_fhir::MappedMessage> mapped =
      to_fhir::MessageMapper().map(*in, [&next] { return "id" + std::to_string(++next); });
  REQUIRE(mapped.is_ok());
  const auto resources = resources_of(::hearth::fhir::write_json(mapped->bundle));
  std::vector<std::string> observations;
  for (auto [it, end] = resources.equal_range("Observation"); it != end; ++it) {
    observations.push_back(it->second);
  }
  REQUIRE(resources.count("DiagnosticReport") == 1);
  Result<std::string> er7 =
      render_oru(resources.find("Patient")->second, resources.find("DiagnosticReport")->second,
                 observations, header());
  REQUIRE(er7.is_ok());
  Result<Message> out = Message::parse_owned(*er7);
  REQUIRE_MESSAGE(out.is_ok(), *er7);
  // Hearth's own identity keys (urn:hearth:hl7-report, -result) are not rendered.
  CHECK(text(*out, "OBR-3[2]").empty());
  CHECK(text(*out, "OBX[1]-21").empty());
  int count = 0;
  for (int i = 1;; ++i) {
    const std::string at = "OBX[" + std::to_string(i) + "]-";
    if (!in->get(at + "1").is_ok()) break;
    ++count;
    CAPTURE(i);
    for (const char* part :
         {"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "5", "6", "7", "8", "11"}) {
      CAPTURE(part);
      CHECK(text(*out, at + part) == text(*in, at + part));
    }
    CHECK(instant(text(*out, at + "14")) == instant(text(*in, at + "14")));
  }
  CHECK(count == 14);
  CHECK(text(*out, "PID-3.1") == text(*in, "PID-3.1"));
  CHECK(text(*out, "PID-5.1") == text(*in, "PID-5.1"));
  CHECK(text(*out, "PID-7") == text(*in, "PID-7"));
  CHECK(text(*out, "OBR-4.1") == text(*in, "OBR-4.1"));
  CHECK(text(*out, "OBR-3.1") == text(*in, "OBR-3.1"));
}

}  // namespace
}  // namespace hearth::hl7::to_v2

namespace hearth::hl7::to_v2 {

TEST_CASE("ORU^R01 out: ORC from the order, an NTE per note, SPM per specimen, components") {
  const std::string report =
      R"({"resourceType":"DiagnosticReport","status":"final","code":{"coding":[{"system":
      "http://loinc.org","code":"57698-3"}]},"identifier":[{"value":"FL-1","type":{"coding":[{
      "system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"FILL"}]}}]})";
  const std::string order =
      R"({"resourceType":"ServiceRequest","status":"active","intent":"order","subject":{
      "reference":"Patient/p1"},"identifier":[{"value":"PL-1","type":{"coding":[{"system":
      "http://terminology.hl7.org/CodeSystem/v2-0203","code":"PLAC"}]}}]})";
  const std::vector<std::string> observations = {
      R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":
      "http://loinc.org","code":"2093-3"}]},"valueQuantity":{"value":212,"unit":"mg/dL"},
      "note":[{"text":"Fasting"},{"text":"Repeat|soon"}]})",
      R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":
      "http://loinc.org","code":"8480-6"}]},"component":[{"code":{"coding":[{"code":"8480-6"}]},
      "valueQuantity":{"value":120,"unit":"mm[Hg]"}},{"code":{"coding":[{"code":"8480-6"}]},
      "valueQuantity":{"value":118,"unit":"mm[Hg]"}}]})"};
  const std::vector<std::string> specimens = {
      R"({"resourceType":"Specimen","type":{"coding":[{"system":"http://snomed.info/sct",
      "code":"119297000","display":"Blood specimen"}]}})"};
  Result<std::string> er7 = render_oru(OruResources{.patient = {},
                                                    .order = order,
                                                    .report = report,
                                                    .observations = observations,
                                                    .specimens = specimens},
                                       header());
  REQUIRE(er7.is_ok());
  CAPTURE(*er7);
  Result<Message> m = Message::parse_owned(*er7);
  REQUIRE(m.is_ok());
  std::string order_of;
  for (std::size_t i = 0; i < m->segment_count(); ++i)
    order_of += std::string(m->segment_id(i)) + " ";
  CHECK(order_of == "MSH ORC OBR OBX NTE NTE OBX SPM ");
  CHECK(text(*m, "ORC-1") == "RE");
  CHECK(text(*m, "ORC-3.1") == "FL-1");  // the report's filler number, as OBR-3
  CHECK(text(*m, "NTE[1]-1") == "1");
  CHECK(text(*m, "NTE[1]-3") == "Fasting");
  CHECK(text(*m, "NTE[2]-3") == "Repeat|soon");  // escaped out, read back
  CHECK(text(*m, "OBX[2]-2") == "NM");
  CHECK(text(*m, "OBX[2]-5[1]") == "120");
  CHECK(text(*m, "OBX[2]-5[2]") == "118");
  CHECK(text(*m, "OBX[2]-6.1") == "mm[Hg]");
  CHECK(text(*m, "SPM-1") == "1");
  CHECK(text(*m, "SPM-4.1") == "119297000");
  std::vector<std::string> too_many(kMaxObservations + 1, specimens[0]);
  CHECK_FALSE(render_oru(OruResources{.patient = {},
                                      .order = {},
                                      .report = report,
                                      .observations = {},
                                      .specimens = too_many},
                         header())
                  .is_ok());
}

}  // namespace hearth::hl7::to_v2
