// The X12 -> FHIR maps: the built-in tables parse and are found by set and guide; bad rows are
// refused with their line; an 837P maps to the expected entries (literal resources); and every
// transaction set of the corpus that the 999 accepts and a map covers (837P/I/D, 835, 270, 271,
// 276, 277, 834) maps to a
// Bundle that is valid FHIR after repair (the counts are printed).
#include "hl7/to_fhir/x12_mapper.h"

#include <doctest/doctest.h>

#include <algorithm>
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
#include "fhir/validate.h"
#include "hl7/to_fhir/bundle_repair.h"
#include "hl7/to_fhir/x12_map_table.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "tests/test_paths.h"
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
  CHECK(x12_maps().size() == 9);
  const X12MapTable* p = find_x12_map("837", "005010X222A1");
  REQUIRE(p != nullptr);
  CHECK(find_x12_map("837", "005010X222") == p);
  REQUIRE(find_x12_map("837", "005010X223A2") != nullptr);
  CHECK(find_x12_map("837", "005010X223A2") != p);
  CHECK(find_x12_map("837", "005010X224A2") != nullptr);
  REQUIRE(find_x12_map("835", "005010X221A1") != nullptr);
  CHECK(find_x12_map("835", "005010X221A1")->resource("eob")->type == "ExplanationOfBenefit");
  REQUIRE(find_x12_map("270", "005010X279A1") != nullptr);
  CHECK(find_x12_map("271", "005010X279")->resource("response")->type ==
        "CoverageEligibilityResponse");
  CHECK(find_x12_map("276", "005010X212")->resource("task")->type == "Task");
  CHECK(find_x12_map("277", "005010X212")->resource("response")->type == "ClaimResponse");
  CHECK(find_x12_map("277", "005010X214") == nullptr);  // the 277CA has no map
  CHECK(find_x12_map("834", "005010X220A1")->resource("subscriber")->when_segment == "INS");
  CHECK(find_x12_map("820", "005010X218") == nullptr);
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
  CHECK(bad("resource c Claim 2300 update INS[x]\n").find("line 1: resource condition") !=
        std::string::npos);
  CHECK(bad("resource c Claim 2300 update INS[*.1=Y]\n").find("resource condition") !=
        std::string::npos);
  CHECK(bad("resource c Claim 2300 update\ndefault c status\n").find("default KEY PATH VALUE") !=
        std::string::npos);
  CHECK(bad("resource c Claim 2300 update\nvalue c 2300|/CLM 1 total.value\n").find("line 2") !=
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
  Result<fhir::JsonDocument> bundle = fhir::parse_json(::hearth::fhir::write_json(mapped->bundle));
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
  Result<fhir::JsonDocument> bundle = fhir::parse_json(::hearth::fhir::write_json(mapped->bundle));
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
  Result<fhir::JsonDocument> bundle = fhir::parse_json(::hearth::fhir::write_json(mapped->bundle));
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
  CHECK(::hearth::fhir::write_json(mapped->bundle).find("servicedDate") == std::string::npos);
}

// Maps a one-set interchange of functional group `functional_id` and `guide` and checks the
// Bundle is valid FHIR after repair, with nothing repaired and no issues.
fhir::JsonDocument mapped_bundle(std::string_view functional_id, std::string_view guide,
                                 const std::vector<std::string>& body) {
  const std::string text = wrapped(functional_id, guide, body);
  Result<x12::Document> doc = x12::Document::parse(text);
  REQUIRE(doc.is_ok());
  std::string findings;
  for (const x12::Finding& f : doc->findings()) {
    findings += f.message + " at " + x12::format_location(f) + "; ";
  }
  CHECK_MESSAGE(findings.empty(), findings);
  REQUIRE(accepted_sets(*doc).size() == 1);
  Result<MappedMessage> mapped = map_x12(*doc, {{0, 0, 0}}, counter());
  REQUIRE(mapped.is_ok());
  CHECK(mapped->issues.empty());
  Result<fhir::JsonDocument> bundle = fhir::parse_json(::hearth::fhir::write_json(mapped->bundle));
  REQUIRE(bundle.is_ok());
  std::vector<MappingIssue> repairs;
  Status valid = repair_bundle(*bundle, "", repairs);
  CHECK_MESSAGE(valid.is_ok(), valid.message());
  CHECK(repairs.empty());
  return std::move(bundle).value();
}

// The fullUrl of the entry whose resource is `resource`.
std::string full_url_of(const fhir::JsonDocument& bundle, const fhir::JsonValue* resource) {
  for (const fhir::JsonValue& e : bundle["entry"].GetArray()) {
    if (&e["resource"] == resource) return str(e["fullUrl"]);
  }
  return {};
}

std::vector<const fhir::JsonValue*> all_of_type(const fhir::JsonDocument& bundle,
                                                std::string_view type) {
  std::vector<const fhir::JsonValue*> out;
  for (const fhir::JsonValue& e : bundle["entry"].GetArray()) {
    if (str(e["resource"]["resourceType"]) == type) out.push_back(&e["resource"]);
  }
  return out;
}

// The one of `resources` whose first name's first given name is `given`; nullptr when none.
const fhir::JsonValue* given_named(const std::vector<const fhir::JsonValue*>& resources,
                                   std::string_view given) {
  for (const fhir::JsonValue* r : resources) {
    if (r->HasMember("name") && (*r)["name"][0].HasMember("given") &&
        str((*r)["name"][0]["given"][0]) == given) {
      return r;
    }
  }
  return nullptr;
}

TEST_CASE("a 270 about a dependent maps to a CoverageEligibilityRequest for the dependent") {
  fhir::JsonDocument bundle =
      mapped_bundle("HS", "005010X279A1",
                    {"ST*270*0001*005010X279A1", "BHT*0022*13*10001235*20060501*1320", "HL*1**20*1",
                     "NM1*PR*2*ABC COMPANY*****PI*842610001", "HL*2*1*21*1",
                     "NM1*1P*1*JONES*MARCUS****XX*1234567893", "HL*3*2*22*1",
                     "NM1*IL*1******MI*11122333301", "HL*4*3*23*0", "TRN*1*93175-012547*9877281234",
                     "NM1*03*1*SMITH*MARY", "DMG*D8*19781014*F", "DTP*291*D8*20060501", "EQ*30"});
  auto types = by_type(bundle);
  REQUIRE(types.count("CoverageEligibilityRequest") == 1);
  const fhir::JsonValue& request = *types["CoverageEligibilityRequest"];
  CHECK(str(request["identifier"][0]["system"]) == "urn:hearth:x12:trace-number:9877281234");
  CHECK(str(request["identifier"][0]["value"]) == "93175-012547");
  CHECK(str(request["created"]) == "2006-05-01");
  CHECK(str(request["servicedDate"]) == "2006-05-01");
  CHECK(str(request["purpose"][0]) == "benefits");
  CHECK(str(request["item"][0]["category"]["coding"][0]["code"]) == "30");
  const std::vector<const fhir::JsonValue*> patients = all_of_type(bundle, "Patient");
  REQUIRE(patients.size() == 2);
  const fhir::JsonValue* mary = given_named(patients, "MARY");
  REQUIRE(mary != nullptr);
  CHECK(str((*mary)["birthDate"]) == "1978-10-14");
  CHECK(str(request["patient"]["reference"]) == full_url_of(bundle, mary));
  // The receiver is a person (NM102 = 1): a Practitioner, no Organization for it.
  REQUIRE(types.count("Practitioner") == 1);
  CHECK(str(request["provider"]["reference"]) == full_url_of(bundle, types["Practitioner"]));
  CHECK(all_of_type(bundle, "Organization").size() == 1);
  CHECK(str((*types["Coverage"])["identifier"][0]["system"]) ==
        "urn:hearth:x12:member-id:842610001");
  CHECK(str((*types["Coverage"])["beneficiary"]["reference"]) == full_url_of(bundle, mary));
}

TEST_CASE("a 271 maps each EB to a benefit item and names the 270 by its trace number") {
  fhir::JsonDocument bundle = mapped_bundle(
      "HB", "005010X279A1",
      {"ST*271*0001*005010X279A1", "BHT*0022*11*10001234*20060501*1319", "HL*1**20*1",
       "NM1*PR*2*ABC COMPANY*****PI*842610001", "HL*2*1*21*1",
       "NM1*1P*2*BONE AND JOINT CLINIC*****SV*2000035", "HL*3*2*22*0",
       "TRN*2*93175-012547*9877281234", "NM1*IL*1*SMITH*JOHN****MI*123456789", "DMG*D8*19630519*M",
       "EB*1**30**GOLD 123 PLAN", "EB*L", "EB*B**1^33*HM*GOLD 123 PLAN*27*10*****Y"});
  auto types = by_type(bundle);
  REQUIRE(types.count("CoverageEligibilityResponse") == 1);
  const fhir::JsonValue& response = *types["CoverageEligibilityResponse"];
  CHECK(str(response["request"]["identifier"]["value"]) == "93175-012547");
  CHECK(str(response["request"]["identifier"]["system"]) ==
        "urn:hearth:x12:trace-number:9877281234");
  CHECK(str(response["outcome"]) == "complete");
  // The receiver (NM102 = 2) is an Organization besides the payer.
  const std::vector<const fhir::JsonValue*> organizations = all_of_type(bundle, "Organization");
  REQUIRE(organizations.size() == 2);
  const fhir::JsonValue* clinic = str((*organizations[0])["name"]) == "BONE AND JOINT CLINIC"
                                      ? organizations[0]
                                      : organizations[1];
  CHECK(str(response["requestor"]["reference"]) == full_url_of(bundle, clinic));
  CHECK(str(response["insurer"]["reference"]) != full_url_of(bundle, clinic));
  const fhir::JsonValue& insurance = response["insurance"][0];
  CHECK(insurance["inforce"].IsTrue());
  REQUIRE(insurance["item"].Size() == 3);
  CHECK(str(insurance["item"][0]["category"]["coding"][0]["code"]) == "30");
  CHECK(str(insurance["item"][0]["name"]) == "GOLD 123 PLAN");
  CHECK(str(insurance["item"][1]["category"]["text"]) == "Primary-Care-Provider");
  const fhir::JsonValue& copay = insurance["item"][2];
  CHECK(str(copay["category"]["coding"][0]["code"]) == "1");  // the first repetition
  CHECK(str(copay["benefit"][0]["type"]["coding"][0]["code"]) == "B");
  CHECK(fhir::json_number_text(copay["benefit"][0]["allowedMoney"]["value"]) == "10");
  CHECK(str(copay["network"]["coding"][0]["code"]) == "in");
  CHECK(str((*types["Patient"])["gender"]) == "male");
}

TEST_CASE("a 276 maps to a status Task per claim; a 277 to a ClaimResponse per claim") {
  const std::vector<std::string> parties = {
      "HL*1**20*1",          "NM1*PR*2*ABC INSURANCE*****PI*12345",
      "HL*2*1*21*1",         "NM1*41*2*XYZ SERVICE*****46*X67E",
      "HL*3*2*19*1",         "NM1*1P*2*HOME HOSPITAL*****XX*1666666661",
      "HL*4*3*22*1",         "NM1*IL*1*MANN*JOHN****MI*345678901",
      "HL*5*4*23",           "DMG*D8*19951101*M",
      "NM1*QC*1*MANN*JOSEPH"};
  std::vector<std::string> request = {"ST*276*0001*005010X212",
                                      "BHT*0010*13*ABC276XXX*20050915*1425"};
  request.insert(request.end(), parties.begin(), parties.end());
  request.insert(request.end(), {"TRN*1*ABCXYZ3", "REF*EJ*MA345678", "AMT*T3*150",
                                 "DTP*472*RD8*20050501-20050502"});
  fhir::JsonDocument bundle = mapped_bundle("HR", "005010X212", request);
  auto types = by_type(bundle);
  REQUIRE(types.count("Task") == 1);
  const fhir::JsonValue& task = *types["Task"];
  CHECK(str(task["code"]["coding"][0]["code"]) == "status");
  CHECK(str(task["identifier"][0]["system"]) == "urn:hearth:x12:claim-status-trace:X67E");
  CHECK(str(task["focus"]["identifier"]["system"]) ==
        "urn:hearth:x12:patient-control-number:1666666661");
  CHECK(str(task["focus"]["identifier"]["value"]) == "MA345678");
  CHECK(str(task["authoredOn"]) == "2005-09-15");
  CHECK(fhir::json_number_text(task["input"][0]["valueMoney"]["value"]) == "150");
  CHECK(str(task["input"][1]["valuePeriod"]["end"]) == "2005-05-02");
  const std::vector<const fhir::JsonValue*> patients = all_of_type(bundle, "Patient");
  REQUIRE(patients.size() == 2);
  const fhir::JsonValue* joseph = given_named(patients, "JOSEPH");
  REQUIRE(joseph != nullptr);
  CHECK(str(task["for"]["reference"]) == full_url_of(bundle, joseph));
  CHECK(str((*joseph)["birthDate"]) == "1995-11-01");

  std::vector<std::string> response = {"ST*277*0001*005010X212",
                                       "BHT*0010*08*277X212*20050916*0810*DG"};
  response.insert(response.end(), parties.begin(), parties.end());
  response.insert(
      response.end(),
      {"TRN*2*ABCXYC3", "STC*F2:88:QC*20050612**150*0", "REF*1K*051681010827", "REF*EJ*MA345678",
       "SVC*HC:99203*150*0****1", "STC*F2:88:QC*20050612", "DTP*472*D8*20050501"});
  // The 277's subscriber level has no DMG: drop it from the shared parties.
  response.erase(std::find(response.begin(), response.end(), "DMG*D8*19951101*M"));
  bundle = mapped_bundle("HN", "005010X212", response);
  types = by_type(bundle);
  REQUIRE(types.count("ClaimResponse") == 1);
  const fhir::JsonValue& claim_response = *types["ClaimResponse"];
  CHECK(str(claim_response["identifier"][0]["system"]) ==
        "urn:hearth:x12:payer-claim-control-number:12345");
  CHECK(str(claim_response["identifier"][0]["value"]) == "051681010827");
  CHECK(str(claim_response["request"]["identifier"]["value"]) == "MA345678");
  CHECK(str(claim_response["outcome"]) == "complete");
  CHECK(str(claim_response["adjudication"][0]["category"]["coding"][0]["code"]) == "F2");
  CHECK(str(claim_response["adjudication"][0]["reason"]["coding"][0]["code"]) == "88");
  CHECK(fhir::json_number_text(claim_response["total"][0]["amount"]["value"]) == "150");
  CHECK(fhir::json_number_text(claim_response["total"][1]["amount"]["value"]) == "0");
  REQUIRE(claim_response["item"].Size() == 1);
  CHECK(fhir::json_number_text(claim_response["item"][0]["itemSequence"]) == "1");
  CHECK(str(claim_response["item"][0]["adjudication"][0]["category"]["coding"][0]["code"]) == "F2");
}

TEST_CASE("a 277 status category the table does not know leaves the outcome to the default") {
  fhir::JsonDocument bundle = mapped_bundle(
      "HN", "005010X212",
      {"ST*277*0001*005010X212", "BHT*0010*08*277X212*20050916*0810*DG", "HL*1**20*1",
       "NM1*PR*2*ABC INSURANCE*****PI*12345", "HL*2*1*21*1", "NM1*41*2*XYZ SERVICE*****46*X67E",
       "HL*3*2*19*1", "NM1*1P*2*HOME HOSPITAL*****XX*1666666661", "HL*4*3*22*0",
       "NM1*IL*1*SMITH*FRED****MI*123456789A", "TRN*2*ABCXYZ1", "STC*P3:317*20050913**8513.88",
       "HL*5*3*22*0", "NM1*IL*1*JONES*MARY****MI*234567890A", "TRN*2*ABCXYZ2",
       "STC*Z9:3*20050915**7599"});
  const std::vector<const fhir::JsonValue*> responses = all_of_type(bundle, "ClaimResponse");
  REQUIRE(responses.size() == 2);
  CHECK(str((*responses[0])["outcome"]) == "queued");    // P3
  CHECK(str((*responses[1])["outcome"]) == "complete");  // Z9: not a category, the default
}

TEST_CASE(
    "an 834 maps members to Patients and Coverages, a dependent's subscriber to a "
    "RelatedPerson") {
  fhir::JsonDocument bundle = mapped_bundle(
      "BE", "005010X220A1",
      {"ST*834*0001*005010X220A1", "BGN*00*12456*19980520*1200*UT***2", "REF*38*ABCD012354",
       "N1*P5*ACME CORP*FI*999888777", "N1*IN*GOOD HEALTH*FI*654456654", "INS*Y*18*021*28*A***FT",
       "REF*0F*123456789", "REF*1L*GRP01", "NM1*IL*1*DOE*JOHN*P***34*123456789",
       "DMG*D8*19400816*M", "HD*021**HLT*PLAN A", "DTP*348*D8*19970601", "INS*N*19*024*28*A****F",
       "REF*0F*123456789", "NM1*IL*1*DOE*JAMES*E***34*103229876", "DMG*D8*19770816*M",
       "HD*024**HLT", "DTP*348*D8*19960601", "DTP*349*D8*19980531"});
  const std::vector<const fhir::JsonValue*> patients = all_of_type(bundle, "Patient");
  REQUIRE(patients.size() == 2);
  CHECK(str((*patients[0])["identifier"][0]["system"]) == "http://hl7.org/fhir/sid/us-ssn");
  CHECK(str((*patients[1])["name"][0]["given"][0]) == "JAMES");
  const std::vector<const fhir::JsonValue*> coverages = all_of_type(bundle, "Coverage");
  REQUIRE(coverages.size() == 2);
  const fhir::JsonValue& own = *coverages[0];
  const fhir::JsonValue& dependent = *coverages[1];
  CHECK(str(own["status"]) == "active");
  CHECK(str(own["beneficiary"]["reference"]) == full_url_of(bundle, patients[0]));
  CHECK(str(own["subscriber"]["reference"]) == full_url_of(bundle, patients[0]));
  CHECK(str(own["relationship"]["coding"][0]["code"]) == "self");
  CHECK(str(own["class"][0]["value"]) == "GRP01");
  CHECK(str(own["type"]["coding"][0]["code"]) == "HLT");
  CHECK(str(own["period"]["start"]) == "1997-06-01");
  CHECK(str(dependent["status"]) == "cancelled");
  CHECK(str(dependent["period"]["end"]) == "1998-05-31");
  CHECK(str(dependent["relationship"]["coding"][0]["code"]) == "child");
  const std::vector<const fhir::JsonValue*> related = all_of_type(bundle, "RelatedPerson");
  REQUIRE(related.size() == 1);  // only the dependent's subscriber
  CHECK(str(dependent["subscriber"]["reference"]) == full_url_of(bundle, related[0]));
  CHECK(str((*related[0])["patient"]["reference"]) == full_url_of(bundle, patients[1]));
  CHECK(str((*related[0])["relationship"][0]["coding"][0]["code"]) == "PRN");
  CHECK(str((*related[0])["identifier"][0]["value"]) == "123456789");
  CHECK(all_of_type(bundle, "Organization").size() == 2);
  CHECK(str(own["payor"][0]["reference"]).starts_with("urn:uuid:"));
  CHECK(str(own["policyHolder"]["reference"]) != str(own["payor"][0]["reference"]));
}

TEST_CASE("every accepted set of the corpus that has a map maps to valid FHIR") {
  const char* env = std::getenv("HEARTH_CORPUS_DIR");
  const fs::path root =
      fs::path(env != nullptr ? env : hearth::test::source_dir() + "/tests/data/corpus") / "x12";
  int files = 0, sets = 0, valid_files = 0;
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
    Result<fhir::JsonDocument> bundle =
        fhir::parse_json(::hearth::fhir::write_json(mapped->bundle));
    REQUIRE(bundle.is_ok());
    std::vector<MappingIssue> repairs;
    Status valid = repair_bundle(*bundle, "", repairs);
    CHECK_MESSAGE(valid.is_ok(), valid.message());
    // ... with the Bundle's own invariants too, which repair_bundle leaves out (kBelowEnvelope).
    if (valid.is_ok()) CHECK(fhir::validate_resource(*bundle, "Bundle").is_ok());
    if (valid.is_ok()) ++valid_files;
    ++files;
    sets += static_cast<int>(mine.size());
    for (const fhir::JsonValue& e : (*bundle)["entry"].GetArray()) {
      ++resources[str(e["resource"]["resourceType"])];
    }
  }
  std::printf("x12 corpus mapping: %d files (%d accepted sets with a map) mapped, %d valid FHIR ->",
              files, sets, valid_files);
  for (const auto& [type, n] : resources) std::printf(" %s %d", type.c_str(), n);
  std::printf("\n");
  CHECK(files >= 10);
  CHECK(resources["Claim"] >= 10);
  CHECK(resources["ExplanationOfBenefit"] >= 1);
  CHECK(resources["PaymentReconciliation"] >= 1);
  CHECK(resources["CoverageEligibilityRequest"] >= 2);
  CHECK(resources["CoverageEligibilityResponse"] >= 2);
  CHECK(resources["Task"] >= 4);
  CHECK(resources["ClaimResponse"] >= 4);
  CHECK(resources["Coverage"] >= 10);
  CHECK(resources["RelatedPerson"] >= 1);
}

}  // namespace
}  // namespace hearth::hl7::to_fhir
