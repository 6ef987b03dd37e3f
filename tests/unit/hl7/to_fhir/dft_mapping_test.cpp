// DFT^P03 by Hearth's own map (hl7/to_fhir/maps/hearth: DFT_P03, FT1[ChargeItem], PR1[ChargeItem],
// CP[Money], MO[Money]; the IG has none): a ChargeItem per FT1 of the patient's Account and
// visit, the Account from PID-18 listing each IN1's Coverage, a Procedure per PR1 as the
// charge's service, a Condition per DG1. DFT^P11 (DFT_P11) likewise, with the DG1 and IN1 of
// the visit and those of each FINANCIAL group.
#include <doctest/doctest.h>

#include <string>

#include "core/url_encoding.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::count_segments;
using testing::map_text;

const char* kDft =
    "MSH|^~\\&|BILL|H|FIN|H|20260401120000||DFT^P03^DFT_P03|F1|P|2.5.1\r"
    "EVN|P03|20260401120000\r"
    "PID|1||77889^^^H^MR||BROWN^MICHAEL||19550918|M||||||||||AC100^^^H^AN\r"
    "PV1|1|I|SURG^601^A||||||||||||||||V1^^^H\r"
    "FT1|1|T1||20260401|20260401|CG|99213^Office "
    "visit^CPT|||2|150.00&USD||||||||I10^Hypertension^I10"
    "|2345^BILLER^DOC^^^^^^NPI\r"
    "NTE|1||first charge\r"
    "FT1|2|T2||20260401|20260401|CD||||1|||||||||||||||99214^Long visit^CPT\r"
    "PR1|1||80061^Lipid panel^CPT||20260401\r"
    "DG1|1||I10^Hypertension^I10\r"
    "IN1|1|PLAN1|INS1^^^H|Acme Insurance||||GRP1\r";

}  // namespace

TEST_CASE("DFT^P03: a ChargeItem per FT1, the Account, its Coverage") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(kDft, bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "DFT_P03");
  REQUIRE(bundle.by_type["ChargeItem"].size() == 2);
  REQUIRE(bundle.by_type["Account"].size() == 1);
  REQUIRE(bundle.by_type["Coverage"].size() == 1);
  const std::string patient = bundle.url_of("Patient");
  const std::string encounter = bundle.url_of("Encounter");
  const std::string account = bundle.url_of("Account");

  const rapidjson::Value& first = *bundle.by_type["ChargeItem"][0];
  CHECK(std::string(first["status"].GetString()) == "billable");  // FT1-6 CG
  CHECK(std::string(first["code"]["coding"][0]["code"].GetString()) == "99213");
  CHECK(std::string(first["identifier"][0]["value"].GetString()) == "T1");
  CHECK(first["quantity"]["value"].GetDouble() == 2);
  CHECK(std::string(first["priceOverride"]["currency"].GetString()) == "USD");
  CHECK(first["priceOverride"]["value"].GetDouble() == 150);
  CHECK(std::string(first["occurrencePeriod"]["start"].GetString()) == "2026-04-01");
  CHECK(std::string(first["reason"][0]["coding"][0]["code"].GetString()) == "I10");
  CHECK(std::string(first["subject"]["reference"].GetString()) == patient);
  CHECK(std::string(first["context"]["reference"].GetString()) == encounter);
  CHECK(std::string(first["account"][0]["reference"].GetString()) == account);
  CHECK(std::string(first["note"][0]["text"].GetString()) == "first charge");
  REQUIRE(first.HasMember("performer"));
  const rapidjson::Value* performer =
      bundle.by_url[first["performer"][0]["actor"]["reference"].GetString()];
  REQUIRE(performer != nullptr);
  CHECK(std::string((*performer)["name"][0]["family"].GetString()) == "BILLER");

  // FT1-7 empty: FT1-25 is the code; FT1-6 CD (a credit) keeps no status of the map's.
  const rapidjson::Value& second = *bundle.by_type["ChargeItem"][1];
  CHECK(std::string(second["code"]["coding"][0]["code"].GetString()) == "99214");
  CHECK_FALSE(second.HasMember("status"));  // the ingest's repair gives "unknown"
  // The PR1 of the second FT1's FINANCIAL group is its service.
  REQUIRE(bundle.by_type["Procedure"].size() == 1);
  CHECK(std::string(second["service"][0]["reference"].GetString()) == bundle.url_of("Procedure"));

  const rapidjson::Value& acct = *bundle.by_type["Account"][0];
  CHECK(std::string(acct["identifier"][0]["value"].GetString()) == "AC100");
  CHECK(std::string(acct["subject"][0]["reference"].GetString()) == patient);
  CHECK(std::string(acct["coverage"][0]["coverage"]["reference"].GetString()) ==
        bundle.url_of("Coverage"));
  CHECK(bundle.by_type["Condition"].size() == 1);

  // The account is found again by PID-18 (identity, message_mapper.cpp kIdentity).
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    if (std::string(entry["resource"]["resourceType"].GetString()) != "Account") continue;
    CHECK(std::string(entry["request"]["method"].GetString()) == "PUT");
    CHECK(std::string(entry["request"]["url"].GetString()) ==
          "Account?identifier=" + url_encode("H|AC100"));
  }
}

TEST_CASE("DFT^P03: an FT1 without any code makes a ChargeItem without one") {
  // ChargeItem.code is required: the ingest refuses such a message (AE at FT1-7).
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|BILL|H|FIN|H|20260401120000||DFT^P03^DFT_P03|F2|P|2.5.1\r"
      "EVN|P03|20260401120000\r"
      "PID|1||77889^^^H^MR||BROWN^MICHAEL\r"
      "FT1|1|T1||20260401|20260401|CG\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["ChargeItem"].size() == 1);
  CHECK_FALSE(bundle.by_type["ChargeItem"][0]->HasMember("code"));
  const std::optional<V2Source> source = v2_source_of("ChargeItem", "code");
  REQUIRE(source.has_value());
  CHECK(source->segment == "FT1");
  CHECK(source->field == 7);
}

TEST_CASE("DFT^P11: charges with the visit's and each charge's diagnoses and insurance") {
  // DFT_P11's order: the visit's DG1 and INSURANCE before the FINANCIAL groups, each of which
  // has its own PR1, DG1 and FINANCIAL_INSURANCE.
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|BILL|H|FIN|H|20260401120000||DFT^P11^DFT_P11|F11|P|2.5.1\r"
      "EVN|P11|20260401120000\r"
      "PID|1||77889^^^H^MR||BROWN^MICHAEL||19550918|M||||||||||AC100^^^H^AN\r"
      "PV1|1|I|SURG^601^A||||||||||||||||V1^^^H\r"
      "DG1|1||R07.9^Chest pain^I10\r"
      "IN1|1|PLAN1|INS1^^^H|Acme Insurance\r"
      "FT1|1|T1||20260401|20260401|CG|71045^Xray chest^CPT|||1|100&USD\r"
      "PR1|1||71045^Xray chest^CPT||20260401\r"
      "DG1|1||R07.9^Chest pain^I10\r"
      "IN1|1|PLAN2|INS2^^^H|Other Insurance\r"
      "FT1|2|T2||20260401|20260401|CG|92002^Eye exam^CPT|||1|70&USD\r"
      "DG1|1||H10.9^Conjunctivitis^I10\r",
      bundle);
  REQUIRE(mapped.is_ok());
  CHECK(mapped->map_name == "DFT_P11");
  REQUIRE(bundle.by_type["ChargeItem"].size() == 2);
  REQUIRE(bundle.by_type["Account"].size() == 1);
  REQUIRE(bundle.by_type["Coverage"].size() == 2);
  CHECK(bundle.by_type["Condition"].size() == 3);
  REQUIRE(bundle.by_type["Procedure"].size() == 1);
  const std::string patient = bundle.url_of("Patient");
  const std::string account = bundle.url_of("Account");

  const rapidjson::Value& first = *bundle.by_type["ChargeItem"][0];
  CHECK(std::string(first["code"]["coding"][0]["code"].GetString()) == "71045");
  CHECK(std::string(first["account"][0]["reference"].GetString()) == account);
  CHECK(std::string(first["subject"]["reference"].GetString()) == patient);
  CHECK(std::string(first["context"]["reference"].GetString()) == bundle.url_of("Encounter"));
  CHECK(std::string(first["service"][0]["reference"].GetString()) == bundle.url_of("Procedure"));
  CHECK(std::string((*bundle.by_type["ChargeItem"][1])["code"]["coding"][0]["code"].GetString()) ==
        "92002");
  // The account lists both coverages: the visit's and the first charge's.
  const rapidjson::Value& acct = *bundle.by_type["Account"][0];
  REQUIRE(acct["coverage"].Size() == 2);
  for (const rapidjson::Value* coverage : bundle.by_type["Coverage"]) {
    CHECK(std::string((*coverage)["beneficiary"]["reference"].GetString()) == patient);
  }
  for (const rapidjson::Value* condition : bundle.by_type["Condition"]) {
    CHECK(std::string((*condition)["subject"]["reference"].GetString()) == patient);
  }
}

TEST_CASE("DFT^P11 of the corpus: a ChargeItem per FT1, a Condition per DG1, a Coverage per IN1") {
  for (const char* file : {"fhir-converter/DFT-P11-01.hl7", "fhir-converter/DFT-P11-02.hl7"}) {
    CAPTURE(file);
    Bundle bundle;
    const testing::CorpusMapping corpus = testing::map_corpus_file(file, bundle);
    CHECK(corpus.mapped.map_name == "DFT_P11");
    const std::size_t ft1 = count_segments(corpus.message, "FT1");
    CHECK(ft1 == 2);
    CHECK(bundle.by_type["ChargeItem"].size() == ft1);
    CHECK(bundle.by_type["Condition"].size() == count_segments(corpus.message, "DG1"));
    CHECK(bundle.by_type["Coverage"].size() == count_segments(corpus.message, "IN1"));
    CHECK(bundle.by_type["Account"].size() == 1);
  }
}

}  // namespace hearth::hl7::to_fhir
