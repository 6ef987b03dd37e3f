// $hl7v2 through the REST core over messages ingested by the real ingest path (archive and
// mapping in one commit): an ADT^A08 rendered from the patient an A01 made, and the round trip
// of a corpus ORU^R01 (in -> FHIR -> out) compared with Hearth's own parser.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../../hl7/to_fhir/corpus_support.h"
#include "api/hl7/ingest.h"
#include "api/hl7/message_mapping.h"
#include "hl7/to_fhir/primitive_conversion.h"
#include "hl7/v2/message.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

using testing::body_json;

constexpr std::string_view kA01 =
    "MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260309140000||ADT^A01^ADT_A01|A01-1|P|2.5.1\r"
    "EVN|A01|20260309140000\r"
    "PID|1||55501^^^HOSP^MR||CHALMERS^PETER^J||19740612|M|||12 ELM ST^^BOSTON^MA^02110\r"
    "PV1|1|I|WARD1^101^A||||||||||||||||V7001^^^HOSP^VN|||||||||||||||||||||||||"
    "20260309133000\r";

struct Fixture : testing::RestFixture {
  Fixture() : context{*store, clock, ids, limits, mapper} {}
  Hl7IngestResult ingest(std::string_view raw) {
    Hl7IngestOptions options;
    options.mapping = &context;
    Hl7Ingest in(*store, clock, ids, std::move(options));
    return ingest_and_wait(in, std::string(raw), "10.0.0.1:4000");
  }
  // The id of the only resource of `type` a search finds.
  std::string only_id(const std::string& type,
                      std::vector<std::pair<std::string, std::string>> query = {}) {
    Response r = call("GET", type, {}, std::move(query));
    REQUIRE(r.status == 200);
    fhir::JsonDocument bundle = body_json(r);
    REQUIRE(bundle["entry"].Size() == 1);
    return bundle["entry"][0]["resource"]["id"].GetString();
  }
  RestLimits limits;
  const hl7::to_fhir::MessageMapper mapper;
  Hl7MappingContext context;
};

std::string text(const hl7::Message& m, const std::string& path) {
  Result<std::string> value = m.get_text(path);
  return value.is_ok() ? *value : std::string();
}

std::string issue_code(const Response& r) {
  fhir::JsonDocument outcome = body_json(r);
  return outcome["issue"][0]["code"].GetString();
}

TEST_CASE("Patient/[id]/$hl7v2?event=A08 renders the patient an A01 made, with its encounter") {
  Fixture f;
  REQUIRE(f.ingest(kA01).ack_code == "AA");
  const std::string id = f.only_id("Patient", {{"identifier", "55501"}});
  Response r = f.call("GET", "Patient/" + id + "/$hl7v2", {}, {{"event", "A08"}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.content_type == "x-application/hl7-v2+er7");
  Result<hl7::Message> m = hl7::Message::parse_owned(r.body);
  REQUIRE_MESSAGE(m.is_ok(), r.body);
  CHECK(text(*m, "MSH-9.1") == "ADT");
  CHECK(text(*m, "MSH-9.2") == "A08");
  CHECK(text(*m, "MSH-7") == "20261123180200+0000");  // the fixture's clock
  CHECK(text(*m, "PID-3.1") == "55501");
  CHECK(text(*m, "PID-3.4") == "HOSP");
  CHECK(text(*m, "PID-3.5") == "MR");
  CHECK(text(*m, "PID-5.1") == "CHALMERS");
  CHECK(text(*m, "PID-5.2") == "PETER");
  CHECK(text(*m, "PID-5.3") == "J");
  CHECK(text(*m, "PID-7") == "19740612");
  CHECK(text(*m, "PID-8") == "M");
  CHECK(text(*m, "PID-11.3") == "BOSTON");
  CHECK(text(*m, "PV1-2") == "I");
  CHECK(text(*m, "PV1-19.1") == "V7001");
  CHECK(text(*m, "PV1-44") == "20260309133000+0000");
  // No event given: A08.
  Response plain = f.call("GET", "Patient/" + id + "/$hl7v2");
  REQUIRE(plain.status == 200);
  CHECK(plain.body.find("ADT^A08^ADT_A01") != std::string::npos);
}

TEST_CASE(
    "$hl7v2 errors: an unknown event is 400, a missing resource 404, both OperationOutcomes") {
  Fixture f;
  REQUIRE(f.ingest(kA01).ack_code == "AA");
  const std::string id = f.only_id("Patient", {{"identifier", "55501"}});
  Response event = f.call("GET", "Patient/" + id + "/$hl7v2", {}, {{"event", "A99"}});
  CHECK(event.status == 400);
  CHECK(event.content_type.find("fhir+json") != std::string::npos);
  CHECK(issue_code(event) == "invalid");
  CHECK(event.body.find("A08") != std::string::npos);  // names the events it has
  // The event is checked before the patient is looked for.
  CHECK(f.call("GET", "Patient/nobody/$hl7v2", {}, {{"event", "Z01"}}).status == 400);
  Response missing = f.call("GET", "Patient/nobody/$hl7v2", {}, {{"event", "A08"}});
  CHECK(missing.status == 404);
  CHECK(issue_code(missing) == "not-found");
  CHECK(f.call("GET", "DiagnosticReport/nothing/$hl7v2").status == 404);
  CHECK(f.call("GET", "Patient/" + id + "/$hl7v2", {}, {{"color", "red"}}).status == 400);
  CHECK(f.call("POST", "Patient/" + id + "/$hl7v2").status != 200);
  CHECK(f.call("GET", "Observation/x/$hl7v2").status == 404);
}

TEST_CASE("the CapabilityStatement declares $hl7v2 on Patient and DiagnosticReport only") {
  Fixture f;
  Response r = f.call("GET", "metadata");
  REQUIRE(r.status == 200);
  fhir::JsonDocument cs = body_json(r);
  int declared = 0;
  for (const auto& resource : cs["rest"][0]["resource"].GetArray()) {
    if (!resource.HasMember("operation")) continue;
    for (const auto& op : resource["operation"].GetArray()) {
      if (std::string_view(op["name"].GetString()) != "hl7v2") continue;
      ++declared;
      const std::string_view type = resource["type"].GetString();
      CHECK((type == "Patient" || type == "DiagnosticReport"));
    }
  }
  CHECK(declared == 2);
}

std::string instant(const std::string& v2) {
  Result<std::string> fhir = hl7::to_fhir::to_fhir_primitive(v2, "dateTime");
  return fhir.is_ok() ? *fhir : "(" + v2 + ")";
}

// Deliberate differences, each checked below: OBX-14 keeps its instant but gains the offset the
// ingest read it in (+0000); PID-2 (deprecated) comes back as a repetition of PID-3.
TEST_CASE(
    "round trip: a corpus ORU^R01 ingested, then DiagnosticReport/[id]/$hl7v2, same results") {
  Fixture f;
  const std::string original = hl7::to_fhir::testing::read_file(
      hl7::to_fhir::testing::corpus_dir() / "mirth-connect/nonbatch08-ORU_R01-CBC.hl7");
  REQUIRE_FALSE(original.empty());
  Hl7IngestResult ingested = f.ingest(original);
  REQUIRE_MESSAGE(ingested.ack_code == "AA", ingested.ack);
  const std::string report = f.only_id("DiagnosticReport");
  Response r = f.call("GET", "DiagnosticReport/" + report + "/$hl7v2");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.content_type == "x-application/hl7-v2+er7");
  Result<hl7::Message> in = hl7::Message::parse(original);
  Result<hl7::Message> out = hl7::Message::parse_owned(r.body);
  REQUIRE(in.is_ok());
  REQUIRE_MESSAGE(out.is_ok(), r.body);
  CHECK(text(*out, "MSH-9.2") == "R01");
  int compared = 0;
  for (int i = 1; in->get("OBX[" + std::to_string(i) + "]-1").is_ok(); ++i) {
    const std::string at = "OBX[" + std::to_string(i) + "]-";
    CAPTURE(i);
    for (const char* part :
         {"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "5", "6", "7", "8", "11"}) {
      CAPTURE(part);
      CHECK(text(*out, at + part) == text(*in, at + part));
    }
    CHECK(instant(text(*out, at + "14")) == instant(text(*in, at + "14")));
    CHECK(text(*out, at + "14") == text(*in, at + "14") + "+0000");
    ++compared;
  }
  CHECK(compared == 14);
  CHECK_FALSE(out->get("OBX[15]-1").is_ok());
  CHECK(text(*out, "OBX[4]-8") == "H");  // the flags that were there
  CHECK(text(*out, "OBX[8]-8") == "L");
  CHECK(text(*out, "PID-3[2].1") == text(*in, "PID-3.1"));
  CHECK(text(*out, "PID-3[1].1") == text(*in, "PID-2"));
  CHECK(text(*out, "PID-5.1") == "MOUSE");
  CHECK(text(*out, "OBR-3.1") == text(*in, "OBR-3.1"));
  CHECK(text(*out, "OBR-4.1") == text(*in, "OBR-4.1"));
  CHECK(text(*out, "OBR-25") == text(*in, "OBR-25"));
  // An event the ORU does not have.
  CHECK(f.call("GET", "DiagnosticReport/" + report + "/$hl7v2", {}, {{"event", "R02"}}).status ==
        400);
}

// ORC, NTE, SPM and a repeating OBX-5 (an Observation with components) out as they came in.
TEST_CASE("round trip: ORC, an OBX's NTEs, SPM and a repeating OBX-5 come back") {
  Fixture f;
  const std::string original =
      "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260310090000||ORU^R01^ORU_R01|ORU-7|P|2.5.1\r"
      "PID|1||55501^^^HOSP^MR||CHALMERS^PETER^J||19740612|M\r"
      "ORC|RE|PL-77^EHR|FL-77^LAB\r"
      "OBR|1|PL-77^EHR|FL-77^LAB|57698-3^Lipid panel^LN|||20260310083000|||||||||||||||"
      "20260310090000|||F\r"
      "OBX|1|NM|2093-3^Cholesterol^LN||212|mg/dL^mg/dL^UCUM|<200|H|||F|||20260310083000\r"
      "NTE|1||Fasting sample\r"
      "NTE|2||Repeat in 3 months\r"
      "OBX|2|NM|8480-6^Systolic BP^LN||120~118|mm[Hg]^mm[Hg]^UCUM||||F|||20260310083000\r"
      "SPM|1|SP-1&LAB||119297000^Blood specimen^SCT|||||||||||||20260310083000\r";
  Hl7IngestResult ingested = f.ingest(original);
  REQUIRE_MESSAGE(ingested.ack_code == "AA", ingested.ack);
  const std::string report = f.only_id("DiagnosticReport");
  Response r = f.call("GET", "DiagnosticReport/" + report + "/$hl7v2");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  Result<hl7::Message> in = hl7::Message::parse(original);
  Result<hl7::Message> out = hl7::Message::parse_owned(r.body);
  REQUIRE(in.is_ok());
  REQUIRE_MESSAGE(out.is_ok(), r.body);
  CAPTURE(r.body);
  // The segments in the ORU_R01 order: ORC before OBR, each OBX's NTEs after it, SPM last.
  std::string order;
  for (std::size_t i = 0; i < out->segment_count(); ++i) {
    order += std::string(out->segment_id(i)) + " ";
  }
  CHECK(order == "MSH PID ORC OBR OBX NTE NTE OBX SPM ");
  CHECK(text(*out, "ORC-1") == "RE");
  CHECK(text(*out, "ORC-2.1") == "PL-77");
  CHECK(text(*out, "ORC-3.1") == "FL-77");
  for (const char* part : {"2", "3.1", "5", "6.1", "7", "8", "11"}) {
    CAPTURE(part);
    CHECK(text(*out, std::string("OBX[1]-") + part) == text(*in, std::string("OBX[1]-") + part));
  }
  CHECK(text(*out, "NTE[1]-3") == "Fasting sample");
  CHECK(text(*out, "NTE[2]-3") == "Repeat in 3 months");
  CHECK(text(*out, "NTE[2]-1") == "2");
  // OBX-5 repeated: an Observation with two components, back as two repetitions.
  CHECK(text(*out, "OBX[2]-3.1") == "8480-6");
  CHECK(text(*out, "OBX[2]-2") == "NM");
  CHECK(text(*out, "OBX[2]-5[1]") == "120");
  CHECK(text(*out, "OBX[2]-5[2]") == "118");
  CHECK(text(*out, "OBX[2]-6.1") == "mm[Hg]");
  CHECK(text(*out, "SPM-1") == "1");
  CHECK(text(*out, "SPM-4.1") == text(*in, "SPM-4.1"));
  CHECK(text(*out, "SPM-4.3") == "SCT");
}

}  // namespace
}  // namespace hearth::api
