// The X12 -> FHIR maps: the built-in tables parse and are found by set and guide; bad rows are
// refused with their line; an 837P maps to the expected entries (literal resources); and every
// transaction set of the corpus that the 999 accepts and a map covers (837P/I/D, 835) maps to a
// Bundle that is valid FHIR after repair (the counts are printed).
#include "hl7/to_fhir/x12_mapper.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "hl7/to_fhir/bundle_repair.h"
#include "hl7/to_fhir/x12_map_table.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "x12/x12_samples.h"

namespace hearth::hl7::to_fhir {
namespace {

namespace fs = std::filesystem;

std::function<std::string()> counter() {
  auto n = std::make_shared<int>(0);
  return [n] { return "r" + std::to_string(++*n); };
}

std::string str(const fhir::JsonValue& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

// The accepted transaction sets of every interchange of `doc`.
std::vector<X12SetIndex> accepted_sets(const x12::Document& doc) {
  std::vector<X12SetIndex> out;
  for (std::size_t i = 0; i < doc.interchanges().size(); ++i) {
    const x12::InterchangeAck ack = x12::acknowledge(doc, i);
    for (std::size_t g = 0; g < ack.groups.size(); ++g) {
      for (std::size_t t = 0; t < ack.groups[g].transactions.size(); ++t) {
        if (ack.groups[g].transactions[t].code != 'R') out.push_back({i, g, t});
      }
    }
  }
  return out;
}

TEST_CASE("the built-in X12 maps parse and are found by set id and guide") {
  CHECK(x12_maps().size() == 4);
  const X12MapTable* p = find_x12_map("837", "005010X222A1");
  REQUIRE(p != nullptr);
  CHECK(find_x12_map("837", "005010X222") == p);
  REQUIRE(find_x12_map("837", "005010X223A2") != nullptr);
  CHECK(find_x12_map("837", "005010X223A2") != p);
  CHECK(find_x12_map("837", "005010X224A2") != nullptr);
  REQUIRE(find_x12_map("835", "005010X221A1") != nullptr);
  CHECK(find_x12_map("835", "005010X221A1")->resource("eob")->type == "ExplanationOfBenefit");
  CHECK(find_x12_map("270", "005010X279A1") == nullptr);
  CHECK(p->resource("claim") != nullptr);
  CHECK(p->resource("claim")->mode == X12EntryMode::kUpdate);
}

TEST_CASE("a malformed map row is refused with its line") {
  auto bad = [](std::string_view text) {
    Result<X12MapTable> t = parse_x12_map_table("837", "005010X222A1", text);
    REQUIRE_FALSE(t.is_ok());
    return t.status().message();
  };
  CHECK(bad("resource c Claim 2300 update\nvalue x 2300/CLM 1 identifier[1].value\n")
            .find("line 2: unknown resource key") != std::string::npos);
  CHECK(bad("resource c Claim 2300 sometimes\n").find("unknown mode") != std::string::npos);
  CHECK(bad("resource c Claim 2300 update\nvalue c 2300/CLM x total.value\n").find("line 2") !=
        std::string::npos);
  CHECK(bad("resource c Claim 2300 update\nvalue c 2300/CLM 1 item[?].sequence\n").find("line 2") !=
        std::string::npos);
  CHECK(bad("resource c Claim 2300 update\nvalue c 2300/CLM 1 total lookup:none\n")
            .find("unknown lookup") != std::string::npos);
  CHECK(bad("resource c Claim 2300 update\nref c patient nobody\n").find("unknown key") !=
        std::string::npos);
  CHECK(bad("resource c Claim 2300 update\nfrobnicate c x\n").find("unknown row kind") !=
        std::string::npos);
}

TEST_CASE("an 837P maps to Claim, Patient, Coverage and two Organizations with their requests") {
  const std::string text = x12::test::isa() + "GS*HC*S*R*20061015*1023*1*X*005010X222A1~" +
                           x12::test::claim_837p() + "GE*1*1~IEA*1*000000905~";
  Result<x12::Document> doc = x12::Document::parse(text);
  REQUIRE(doc.is_ok());
  Result<MappedMessage> mapped = map_x12(*doc, {{0, 0, 0}}, counter());
  REQUIRE(mapped.is_ok());
  CHECK(mapped->resources == 5);
  CHECK(mapped->issues.empty());
  Result<fhir::JsonDocument> bundle = fhir::parse_json(mapped->bundle);
  REQUIRE(bundle.is_ok());
  const fhir::JsonValue& entries = (*bundle)["entry"];
  REQUIRE(entries.Size() == 5);
  std::map<std::string, const fhir::JsonValue*> by_type;
  for (const fhir::JsonValue& e : entries.GetArray()) {
    by_type[str(e["resource"]["resourceType"])] = &e;
  }
  REQUIRE(by_type.count("Claim") == 1);
  const fhir::JsonValue& claim = *by_type["Claim"];
  CHECK(str(claim["request"]["method"]) == "PUT");
  CHECK(str(claim["request"]["url"]) ==
        "Claim?identifier=urn:hearth:x12:patient-control-number:9876543210%7C26463774");
  CHECK(str(claim["resource"]["created"]) == "2006-10-15");
  CHECK(str(claim["resource"]["diagnosis"][1]["diagnosisCodeableConcept"]["coding"][0]["code"]) ==
        "Z1159");
  CHECK(str(claim["resource"]["item"][0]["servicedDate"]) == "2006-10-03");
  CHECK(str(claim["resource"]["patient"]["reference"]) == str((*by_type["Patient"])["fullUrl"]));
  CHECK(str(claim["resource"]["insurance"][0]["coverage"]["reference"]) ==
        str((*by_type["Coverage"])["fullUrl"]));
  const fhir::JsonValue& patient = *by_type["Patient"];
  CHECK(str(patient["request"]["method"]) == "POST");
  CHECK(str(patient["request"]["ifNoneExist"]) ==
        "identifier=urn:hearth:x12:member-id:999996666%7C000221111A");
  CHECK(str(patient["resource"]["name"][0]["given"][0]) == "TED");
  const fhir::JsonValue& coverage = (*by_type["Coverage"])["resource"];
  CHECK(str(coverage["relationship"]["coding"][0]["code"]) == "self");
  CHECK(str(coverage["payor"][0]["reference"]).starts_with("urn:uuid:"));
  std::vector<MappingIssue> repairs;
  CHECK(repair_bundle(*bundle, "", repairs).is_ok());
  CHECK(repairs.empty());

  // A set without a map is not mapped at all.
  CHECK(map_x12(*doc, {}, counter()).status().code() == Code::kNotImplemented);
}

// `body` (ST..SE without SE) wrapped in an interchange with one group of `guide`, SE counted.
std::string wrapped(std::string_view functional_id, std::string_view guide,
                    const std::vector<std::string>& body) {
  std::string out = x12::test::isa() + "GS*" + std::string(functional_id) +
                    "*S*R*20190323*1200*1*X*" + std::string(guide) + "~";
  for (const std::string& seg : body) out += seg + "~";
  return out + "SE*" + std::to_string(body.size() + 1) + "*0001~GE*1*1~IEA*1*000000905~";
}

// The entries of a mapped Bundle by resource type (the first of each).
std::map<std::string, const fhir::JsonValue*> by_type(const fhir::JsonDocument& bundle) {
  std::map<std::string, const fhir::JsonValue*> out;
  for (const fhir::JsonValue& e : bundle["entry"].GetArray()) {
    out.emplace(str(e["resource"]["resourceType"]), &e["resource"]);
  }
  return out;
}

TEST_CASE("an 835 maps to an ExplanationOfBenefit per claim and a PaymentReconciliation") {
  const std::string text = wrapped(
      "HP", "005010X221A1",
      {"ST*835*0001*005010X221A1", "BPR*I*132*C*CHK" + std::string(12, '*') + "20190322",
       "TRN*1*12345*1512345678", "DTM*405*20190323", "N1*PR*DELTA DENTAL OF ABC",
       "N3*225 MAIN STREET", "N4*CENTERVILLE*PA*17111", "REF*2U*999996666",
       "N1*PE*BAN DDS LLC*XX*1811901945", "LX*1", "CLP*7722337*1*226*132**12*119932404007801",
       "NM1*QC*1*DOE*SANDY****MI*SJD11111", "SVC*AD:D0120*46*25", "DTM*472*20190301",
       "CAS*PR*131*21", "SVC*AD:D0220*25*14", "DTM*472*20190301", "CAS*CO*131*11"});
  Result<x12::Document> doc = x12::Document::parse(text);
  REQUIRE(doc.is_ok());
  REQUIRE(accepted_sets(*doc).size() == 1);
  Result<MappedMessage> mapped = map_x12(*doc, {{0, 0, 0}}, counter());
  REQUIRE(mapped.is_ok());
  CHECK(mapped->issues.empty());
  Result<fhir::JsonDocument> bundle = fhir::parse_json(mapped->bundle);
  REQUIRE(bundle.is_ok());
  std::vector<MappingIssue> repairs;
  Status valid = repair_bundle(*bundle, "", repairs);
  CHECK_MESSAGE(valid.is_ok(), valid.message());
  CHECK(repairs.empty());
  auto types = by_type(*bundle);
  REQUIRE(types.count("ExplanationOfBenefit") == 1);
  const fhir::JsonValue& eob = *types["ExplanationOfBenefit"];
  CHECK(str(eob["identifier"][0]["system"]) ==
        "urn:hearth:x12:payer-claim-control-number:999996666");
  CHECK(str(eob["identifier"][0]["value"]) == "119932404007801");
  CHECK(str(eob["identifier"][1]["system"]) == "urn:hearth:x12:patient-control-number:1811901945");
  CHECK(str(eob["created"]) == "2019-03-22");
  CHECK(fhir::json_number_text(eob["total"][0]["amount"]["value"]) == "226");
  CHECK(str(eob["total"][1]["category"]["coding"][0]["code"]) == "benefit");
  CHECK(fhir::json_number_text(eob["payment"]["amount"]["value"]) == "132");
  REQUIRE(eob["item"].Size() == 2);
  const fhir::JsonValue& line = eob["item"][0];
  CHECK(str(line["productOrService"]["coding"][0]["system"]) == "http://www.ada.org/cdt");
  CHECK(str(line["productOrService"]["coding"][0]["code"]) == "D0120");
  REQUIRE(line["adjudication"].Size() == 3);
  CHECK(fhir::json_number_text(line["adjudication"][1]["amount"]["value"]) == "25");
  CHECK(str(line["adjudication"][2]["category"]["coding"][0]["code"]) == "PR");
  CHECK(str(line["adjudication"][2]["reason"]["coding"][0]["code"]) == "131");
  CHECK(fhir::json_number_text(line["adjudication"][2]["amount"]["value"]) == "21");
  CHECK(str(eob["patient"]["reference"]).starts_with("urn:uuid:"));
  REQUIRE(types.count("PaymentReconciliation") == 1);
  const fhir::JsonValue& payment = *types["PaymentReconciliation"];
  CHECK(fhir::json_number_text(payment["paymentAmount"]["value"]) == "132");
  CHECK(str(payment["paymentDate"]) == "2019-03-22");
  CHECK(str(payment["paymentIdentifier"]["value"]) == "12345");
  CHECK(str((*types["Patient"])["identifier"][0]["system"]) ==
        "urn:hearth:x12:member-id:999996666");
  CHECK(str((*types["Coverage"])["identifier"][0]["value"]) == "SJD11111");
}

TEST_CASE("an 837I maps diagnoses, ICD-10-PCS procedures and revenue-coded lines") {
  std::string body = x12::test::claim_837p();
  body.replace(body.find("005010X222A1"), 12, "005010X223A2");
  body.replace(body.find("HI*ABK:J0300*ABF:Z1159~"), 23,
               "HI*ABK:J0300*ABF:Z1159~HI*BBR:0DTJ4ZZ:D8:20061001~HI*BE:A1:::15~");
  body.replace(body.find("SV1*HC:99213*40*UN*1***1~"), 25, "SV2*0450*HC:99283*40*UN*1~");
  body.replace(body.find("LX*1~"), 5, "LX*1~SV2*0300**60*UN*2~LX*2~");
  const std::size_t se = body.find("SE*20*");
  body.replace(se, 6, "SE*24*");
  const std::string text = x12::test::isa() + "GS*HC*S*R*20061015*1023*1*X*005010X223A2~" + body +
                           "GE*1*1~IEA*1*000000905~";
  Result<x12::Document> doc = x12::Document::parse(text);
  REQUIRE(doc.is_ok());
  Result<MappedMessage> mapped = map_x12(*doc, {{0, 0, 0}}, counter());
  REQUIRE(mapped.is_ok());
  Result<fhir::JsonDocument> bundle = fhir::parse_json(mapped->bundle);
  REQUIRE(bundle.is_ok());
  std::vector<MappingIssue> repairs;
  Status valid = repair_bundle(*bundle, "", repairs);
  CHECK_MESSAGE(valid.is_ok(), valid.message());
  const fhir::JsonValue& claim = *by_type(*bundle)["Claim"];
  CHECK(str(claim["type"]["coding"][0]["code"]) == "institutional");
  CHECK(claim["diagnosis"].Size() == 2);  // the BE value code is not a diagnosis
  REQUIRE(claim["procedure"].Size() == 1);
  CHECK(str(claim["procedure"][0]["procedureCodeableConcept"]["coding"][0]["code"]) == "0DTJ4ZZ");
  CHECK(str(claim["procedure"][0]["date"]) == "2006-10-01");
  REQUIRE(claim["item"].Size() == 2);
  // A line with only a revenue code has it as its product; one with HCPCS has both.
  CHECK(str(claim["item"][0]["productOrService"]["coding"][0]["code"]) == "0300");
  CHECK(str(claim["item"][1]["productOrService"]["coding"][0]["code"]) == "99283");
  CHECK(str(claim["item"][1]["revenue"]["coding"][0]["code"]) == "0450");
}

TEST_CASE("a value that does not convert is left out and reported with its segment") {
  std::string body = x12::test::claim_837p();
  body.replace(body.find("DTP*472*D8*20061003"), 19, "DTP*472*D8*20061399");
  const std::string text = x12::test::isa() + "GS*HC*S*R*20061015*1023*1*X*005010X222A1~" + body +
                           "GE*1*1~IEA*1*000000905~";
  Result<x12::Document> doc = x12::Document::parse(text);
  REQUIRE(doc.is_ok());
  Result<MappedMessage> mapped = map_x12(*doc, {{0, 0, 0}}, counter());
  REQUIRE(mapped.is_ok());
  REQUIRE(mapped->issues.size() == 1);
  CHECK(mapped->issues[0].segment == "DTP");
  CHECK(mapped->issues[0].field == 3);
  CHECK(mapped->bundle.find("servicedDate") == std::string::npos);
}

TEST_CASE("every accepted set of the corpus that has a map maps to valid FHIR") {
  const char* env = std::getenv("HEARTH_CORPUS_DIR");
  const fs::path root =
      fs::path(env != nullptr ? env : HEARTH_SOURCE_DIR "/tests/data/corpus") / "x12";
  int files = 0, sets = 0;
  std::map<std::string, int> resources;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Result<x12::Document> doc = x12::Document::parse(text);
    if (!doc.is_ok()) continue;
    std::vector<X12SetIndex> mine;
    for (const X12SetIndex& s : accepted_sets(*doc)) {
      const x12::Transaction& t =
          doc->interchanges()[s.interchange].groups[s.group].transactions[s.transaction];
      if (find_x12_map(t.set_id, t.convention) != nullptr) mine.push_back(s);
    }
    if (mine.empty()) continue;
    INFO(entry.path().string());
    Result<MappedMessage> mapped = map_x12(*doc, mine, counter());
    REQUIRE(mapped.is_ok());
    Result<fhir::JsonDocument> bundle = fhir::parse_json(mapped->bundle);
    REQUIRE(bundle.is_ok());
    std::vector<MappingIssue> repairs;
    Status valid = repair_bundle(*bundle, "", repairs);
    CHECK_MESSAGE(valid.is_ok(), valid.message());
    ++files;
    sets += static_cast<int>(mine.size());
    for (const fhir::JsonValue& e : (*bundle)["entry"].GetArray()) {
      ++resources[str(e["resource"]["resourceType"])];
    }
  }
  std::printf("x12 corpus mapping: %d files, %d accepted sets with a map ->", files, sets);
  for (const auto& [type, n] : resources) std::printf(" %s %d", type.c_str(), n);
  std::printf("\n");
  CHECK(files >= 10);
  CHECK(resources["Claim"] >= 10);
  CHECK(resources["ExplanationOfBenefit"] >= 1);
  CHECK(resources["PaymentReconciliation"] >= 1);
}

}  // namespace
}  // namespace hearth::hl7::to_fhir
