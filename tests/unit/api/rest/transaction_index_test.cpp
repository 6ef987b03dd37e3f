// A transaction whose references are resolved inside the store's transaction (a conditional
// reference, a conditional create's placeholder, a conditional update) indexes its resources
// after the rewrite (api/rest/entry_runner.h): searches by every kind of value find them, by the
// resolved references and their words too, and never by the placeholders or the criteria.
#include <doctest/doctest.h>

#include <string>

#include "fhir/search/late_target.h"
#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

// The transaction: the patient by a conditional create, an encounter by a placeholder to it,
// an observation pointing at both, the encounter by a conditional reference.
const std::string kBundle = R"({"resourceType":"Bundle","type":"transaction","entry":[
  {"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111",
   "resource":{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"M1"}],
               "name":[{"family":"Halvorsen","given":["Ingrid"]}],"birthDate":"1961-04-02"},
   "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=urn:mrn|M1"}},
  {"fullUrl":"urn:uuid:22222222-2222-4222-8222-222222222222",
   "resource":{"resourceType":"Encounter","status":"finished",
               "identifier":[{"system":"urn:visit","value":"V7"}],
               "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
               "subject":{"reference":"urn:uuid:11111111-1111-4111-8111-111111111111"}},
   "request":{"method":"PUT","url":"Encounter?identifier=urn:visit|V7"}},
  {"fullUrl":"urn:uuid:33333333-3333-4333-8333-333333333333",
   "resource":{"resourceType":"Observation","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},
               "subject":{"reference":"Patient?identifier=urn:mrn|M1"},
               "encounter":{"reference":"urn:uuid:22222222-2222-4222-8222-222222222222"},
               "effectiveDateTime":"2026-12-01T08:30:00Z",
               "valueQuantity":{"value":5.4,"unit":"mmol/L","system":"http://unitsofmeasure.org",
                                "code":"mmol/L"}},
   "request":{"method":"POST","url":"Observation"}}]})";

// A patient with MRN `mrn` (system urn:mrn) created through the API; its id.
std::string create_patient(RestFixture& f, const std::string& mrn, const std::string& family) {
  Response patient = f.call("POST", "Patient",
                            R"({"resourceType":"Patient","identifier":[{"system":"urn:mrn",)"
                            R"("value":")" +
                                mrn + R"("}],"name":[{"family":")" + family + R"("}]})");
  REQUIRE(patient.status == 201);
  return body_json(patient)["id"].GetString();
}

}  // namespace

TEST_CASE("a transaction's resources are found by every value when its references resolve in it") {
  RestFixture f;
  // The patient exists before: the conditional create and the conditional reference find it.
  const std::string patient_id = create_patient(f, "M1", "Halvorsen");

  Response answer = f.call("POST", "", kBundle);
  REQUIRE_MESSAGE(answer.status == 200, answer.body);

  const std::string subject = "Patient/" + patient_id;
  CHECK(search_total(f, "Observation", "subject", subject) == 1);
  CHECK(search_total(f, "Observation", "patient", subject) == 1);
  CHECK(search_total(f, "Encounter", "patient", subject) == 1);
  CHECK(search_total(f, "Observation", "subject:Patient.identifier", "urn:mrn|M1") == 1);
  CHECK(search_total(f, "Observation", "encounter:Encounter.identifier", "urn:visit|V7") == 1);
  CHECK(search_total(f, "Observation", "code", "http://loinc.org|2345-7") == 1);
  CHECK(search_total(f, "Observation", "value-quantity", "5.4|http://unitsofmeasure.org|mmol/L") ==
        1);
  CHECK(search_total(f, "Observation", "date", "2026-12-01") == 1);
  CHECK(search_total(f, "Observation", "code-value-quantity", "http://loinc.org|2345-7$5.4") == 1);
  CHECK(search_total(f, "Encounter", "class", "AMB") == 1);
  // The words of the resolved reference, not of the placeholder or the criteria.
  CHECK(search_total(f, "Observation", "_content", patient_id) == 1);
  CHECK(search_total(f, "Observation", "_content", "mrn") == 0);
  CHECK(search_total(f, "Observation", "_content", "uuid") == 0);
  CHECK(search_total(f, "Encounter", "_content", "22222222") == 0);
  CHECK(search_total(f, "Observation", "subject",
                     "urn:uuid:11111111-1111-4111-8111-111111111111") == 0);

  // Sent again: the conditional update changes nothing, the observation is a second one.
  Response again = f.call("POST", "", kBundle);
  REQUIRE_MESSAGE(again.status == 200, again.body);
  CHECK(search_total(f, "Observation", "subject", subject) == 2);
  CHECK(search_total(f, "Encounter", "patient", subject) == 1);
  CHECK(search_total(f, "Patient", "identifier", "urn:mrn|M1") == 1);
}

TEST_CASE("a resource indexed before its references resolve is found by what they resolved to") {
  // Every entry is indexed when the transaction is planned, with stand-ins for the fullUrls the
  // transaction resolves (api/rest/early_index.h); the rows and words are bound to the ids found.
  RestFixture f;
  const std::string patient_id = create_patient(f, "M2", "Okafor");
  const std::string bundle = R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"fullUrl":"urn:uuid:44444444-4444-4444-8444-444444444444",
     "resource":{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"M2"}]},
     "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=urn:mrn|M2"}},
    {"fullUrl":"urn:uuid:55555555-5555-4555-8555-555555555555",
     "resource":{"resourceType":"Encounter","status":"finished",
                 "identifier":[{"system":"urn:visit","value":"V8"}],
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode",
                          "code":"AMB"},
                 "subject":{"reference":"urn:uuid:44444444-4444-4444-8444-444444444444"}},
     "request":{"method":"PUT","url":"Encounter?identifier=urn:visit|V8"}},
    {"resource":{"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},
                 "subject":{"reference":"urn:uuid:44444444-4444-4444-8444-444444444444"},
                 "performer":[{"reference":"urn:uuid:44444444-4444-4444-8444-444444444444"},
                              {"reference":"Patient/)" +
                             patient_id + R"("}],
                 "encounter":{"reference":"urn:uuid:55555555-5555-4555-8555-555555555555"}},
     "request":{"method":"POST","url":"Observation"}}]})";
  Response answer = f.call("POST", "", bundle);
  REQUIRE_MESSAGE(answer.status == 200, answer.body);
  const rapidjson::Document result = body_json(answer);
  const std::string encounter_location = result["entry"][1]["response"]["location"].GetString();
  const std::string encounter_id =
      encounter_location.substr(10, encounter_location.find('/', 10) - 10);  // "Encounter/<id>/..."

  const std::string subject = "Patient/" + patient_id;
  CHECK(search_total(f, "Observation", "subject", subject) == 1);
  CHECK(search_total(f, "Observation", "performer", subject) == 1);
  CHECK(search_total(f, "Observation", "encounter", "Encounter/" + encounter_id) == 1);
  CHECK(search_total(f, "Encounter", "subject", subject) == 1);
  CHECK(search_total(f, "Observation", "_content", patient_id) == 1);
  CHECK(search_total(f, "Observation", "_content", encounter_id) == 1);
  CHECK(search_total(f, "Observation", "_content", fhir::search::late_target_id(0)) == 0);
  CHECK(search_total(f, "Observation", "_content", "uuid") == 0);
  CHECK(search_total(f, "Observation", "subject",
                     "urn:uuid:44444444-4444-4444-8444-444444444444") == 0);
}
