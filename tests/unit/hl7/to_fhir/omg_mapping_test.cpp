// OMG^O19 (general clinical order) by Hearth's own map (hl7/to_fhir/maps/hearth: OMG_O19, the
// IG's OML_O21 rows, OBR directly in ORDER as OMG_O19 has it): a ServiceRequest per ORDER with
// OBR-4 as its code, of the patient, listing a Condition per DG1 as its reason.
#include <doctest/doctest.h>

#include <string>

#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::count_segments;
using testing::map_text;
using testing::reference;

}  // namespace

TEST_CASE("OMG^O19: a ServiceRequest per order, its DG1 a Condition it gives as reason") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ORD|H|EHR|H|20260402100000||OMG^O19^OMG_O19|G1|P|2.5.1\r"
      "PID|1||4455^^^H^MR||GREEN^ANNA||19700102|F\r"
      "PV1|1|O|CLINIC^1\r"
      "ORC|NW|P100^ORD||||||||||||20260402\r"
      "OBR|1|P100^ORD||11488-4^Consult note^LN\r"
      "DG1|1||R07.9^Chest pain^I10\r"
      "ORC|NW|P101^ORD\r"
      "OBR|1|P101^ORD||24627-2^Chest CT^LN\r",
      bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "OMG_O19");
  REQUIRE(bundle.by_type["Patient"].size() == 1);
  const std::string patient = bundle.url_of("Patient");
  REQUIRE(bundle.by_type["ServiceRequest"].size() == 2);
  const rapidjson::Value& consult = *bundle.by_type["ServiceRequest"][0];
  const rapidjson::Value& ct = *bundle.by_type["ServiceRequest"][1];
  CHECK(std::string(consult["code"]["coding"][0]["code"].GetString()) == "11488-4");
  CHECK(std::string(ct["code"]["coding"][0]["code"].GetString()) == "24627-2");
  CHECK(reference(consult, "subject") == patient);
  CHECK(reference(ct, "subject") == patient);
  REQUIRE(bundle.by_type["Condition"].size() == 1);
  CHECK(reference(consult, "reasonReference") == bundle.url_of("Condition"));
  CHECK_FALSE(ct.HasMember("reasonReference"));
}

TEST_CASE("OMG^O19 of the corpus: a ServiceRequest per ORC, a Condition per DG1") {
  for (const char* file : {"fhir-converter/OMG-O19-01.hl7", "fhir-converter/OMG-O19-02.hl7"}) {
    CAPTURE(file);
    Bundle bundle;
    const testing::CorpusMapping corpus = testing::map_corpus_file(file, bundle);
    CHECK(corpus.mapped.map_name == "OMG_O19");
    REQUIRE(bundle.by_type["Patient"].size() == 1);
    const std::string patient = bundle.url_of("Patient");
    CHECK(bundle.by_type["ServiceRequest"].size() == count_segments(corpus.message, "ORC"));
    for (const rapidjson::Value* request : bundle.by_type["ServiceRequest"]) {
      CHECK(reference(*request, "subject") == patient);
      CHECK(request->HasMember("code"));
    }
    CHECK(bundle.by_type["Condition"].size() == count_segments(corpus.message, "DG1"));
  }
}

}  // namespace hearth::hl7::to_fhir
