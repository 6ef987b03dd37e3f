// ADT events the IG has no map for, mapped by Hearth's own maps (hl7/to_fhir/maps/hearth/
// messages: ADT_A15, ADT_A16, ADT_A25, ADT_A26, ADT_A60, each the IG's ADT_A01 rows in the
// event's own structure): every corpus message of those events gives the Patient of PID-3 with
// its PID-5 family name, the Encounter of PV1, an Observation per OBX, a Condition per DG1 and an
// AllergyIntolerance per AL1 or IAM, all of that patient. Events whose meaning is to delete or
// cancel (A27, A29) stay unmapped: a map of A01's rows would write what they take back.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::count_segments;
using testing::map_text;
using testing::reference;

std::string text_at(const Message& message, std::string_view path) {
  Result<std::string> text = message.get_text(path);
  return text.is_ok() ? *text : std::string();
}

}  // namespace

TEST_CASE("ADT A15, A16, A25, A26, A60 of the corpus: Hearth's maps give the A01 resources") {
  const std::map<std::string, std::string> files = {
      {"fhir-converter/ADT-A15-01.hl7", "ADT_A15"},
      {"fhir-converter/ADT-A15-02.hl7", "ADT_A15"},
      {"fhir-converter/ADT-A16-01.hl7", "ADT_A16"},
      {"fhir-converter/ADT-A16-02.hl7", "ADT_A16"},
      {"v2-to-fhir-ig/ADT_A16-REDOX-A16-3-v2.3.hl7", "ADT_A16"},
      {"fhir-converter/ADT-A25-01.hl7", "ADT_A25"},
      {"fhir-converter/ADT-A25-02.hl7", "ADT_A25"},
      {"fhir-converter/ADT-A26-01.hl7", "ADT_A26"},
      {"fhir-converter/ADT-A26-02.hl7", "ADT_A26"},
      {"fhir-converter/ADT-A60-01.hl7", "ADT_A60"},
      {"fhir-converter/ADT-A60-02.hl7", "ADT_A60"},
  };
  for (const auto& entry : files) {
    // Named copies: clang 14 cannot capture a structured binding in CAPTURE's lambda.
    const auto& file = entry.first;
    const auto& map_name = entry.second;
    CAPTURE(file);
    Bundle bundle;
    const testing::CorpusMapping corpus = testing::map_corpus_file(file, bundle);
    const Message& message = corpus.message;
    CHECK(corpus.mapped.map_name == map_name);

    REQUIRE(bundle.by_type["Patient"].size() == 1);
    const rapidjson::Value& patient = *bundle.by_type["Patient"][0];
    const std::string patient_url = bundle.url_of("Patient");
    const std::string mrn = text_at(message, "PID-3.1");
    bool has_mrn = false;
    for (const auto& id : patient["identifier"].GetArray()) {
      has_mrn = has_mrn || (id.HasMember("value") && mrn == id["value"].GetString());
    }
    CHECK_MESSAGE(has_mrn, mrn);
    CHECK(std::string(patient["name"][0]["family"].GetString()) == text_at(message, "PID-5.1.1"));

    const bool visit = count_segments(message, "PV1") > 0;
    REQUIRE(bundle.by_type["Encounter"].size() == (visit ? 1U : 0U));
    if (visit) {
      const rapidjson::Value& encounter = *bundle.by_type["Encounter"][0];
      CHECK(reference(encounter, "subject") == patient_url);
      const std::string visit_number = text_at(message, "PV1-19.1");
      if (!visit_number.empty()) {
        CHECK(std::string(encounter["identifier"][0]["value"].GetString()) == visit_number);
      }
    }
    CHECK(bundle.by_type["Observation"].size() == count_segments(message, "OBX"));
    for (const rapidjson::Value* observation : bundle.by_type["Observation"]) {
      CHECK(reference(*observation, "subject") == patient_url);
    }
    CHECK(bundle.by_type["Condition"].size() == count_segments(message, "DG1"));
    const std::size_t allergies = count_segments(message, "AL1") + count_segments(message, "IAM");
    CHECK(bundle.by_type["AllergyIntolerance"].size() == allergies);
    for (const rapidjson::Value* allergy : bundle.by_type["AllergyIntolerance"]) {
      CHECK(reference(*allergy, "patient") == patient_url);
    }
  }
}

TEST_CASE("ADT^A60: each IAM an AllergyIntolerance with its allergen code") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ADT|H|EHR|H|20260402100000||ADT^A60^ADT_A60|R1|P|2.8\r"
      "EVN|A60|20260402100000\r"
      "PID|1||4455^^^H^MR||GREEN^ANNA||19700102|F\r"
      "IAM|1|FA^Food allergy^HL70127|12345^Peanut^L|SV^Severe^HL70128|Hives|A^Add^HL70206\r"
      "NTE|1||seen at the clinic\r"
      "IAM|2|DA^Drug allergy^HL70127|70618^Penicillin^RXNORM|||A^Add^HL70206\r",
      bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "ADT_A60");
  REQUIRE(bundle.by_type["AllergyIntolerance"].size() == 2);
  CHECK(std::string(
            (*bundle.by_type["AllergyIntolerance"][0])["code"]["coding"][0]["code"].GetString()) ==
        "12345");
  CHECK(std::string(
            (*bundle.by_type["AllergyIntolerance"][1])["code"]["coding"][0]["code"].GetString()) ==
        "70618");
  CHECK(bundle.by_type["Encounter"].empty());  // no PV1
}

TEST_CASE("ADT A27 (cancel pending admit) and A29 (delete person information) stay unmapped") {
  for (const char* event : {"A27", "A29"}) {
    CAPTURE(event);
    const std::string raw = std::string("MSH|^~\\&|ADT|H|EHR|H|20260402100000||ADT^") + event +
                            "^ADT_A21|C1|P|2.5.1\rEVN|" + event +
                            "|20260402100000\rPID|1||4455^^^H^MR||GREEN^ANNA\rPV1|1|I\r";
    Bundle bundle;
    Result<MappedMessage> mapped = map_text(raw, bundle);
    REQUIRE_FALSE(mapped.is_ok());
    CHECK(mapped.status().code() == Code::kNotImplemented);
  }
}

}  // namespace hearth::hl7::to_fhir
