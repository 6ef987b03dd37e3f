// The terminology operations in-process (api/rest/lookup_operation.cpp, expand_operation.cpp,
// subsumes_operation.cpp, translate_operation.cpp, validate_code_operation.cpp) over the code
// systems, value sets and concept maps built in from the official package.
#include <doctest/doctest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

constexpr const char* kParticipation = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
constexpr const char* kGenderVs = "http://hl7.org/fhir/ValueSet/administrative-gender";
constexpr const char* kGenderCs = "http://hl7.org/fhir/administrative-gender";

// The parameters named `name` of a Parameters response, each as its JSON text.
std::vector<std::string> params_named(const Response& r, std::string_view name) {
  auto doc = body_json(r);
  REQUIRE(std::string(doc["resourceType"].GetString()) == "Parameters");
  std::vector<std::string> out;
  for (auto& p : doc["parameter"].GetArray()) {
    if (std::string_view(p["name"].GetString()) != name) continue;
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    p.Accept(w);
    out.emplace_back(buffer.GetString());
  }
  return out;
}

bool has(const std::vector<std::string>& list, std::string_view text) {
  for (const std::string& s : list) {
    if (s.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("CodeSystem/$lookup: display, parent, children and flags") {
  RestFixture f;
  Response r =
      f.call("GET", "CodeSystem/$lookup", "", {{"system", kParticipation}, {"code", "TRANS"}});
  REQUIRE(r.status == 200);
  CHECK(has(params_named(r, "display"), R"("valueString":"Transcriber")"));
  CHECK(has(params_named(r, "name"), "v3.ParticipationType"));
  CHECK(has(params_named(r, "version"), "2018-08-12"));
  auto props = params_named(r, "property");
  CHECK(has(
      props,
      R"({"name":"code","valueCode":"parent"},{"name":"value","valueCode":"_ParticipationInformationGenerator"})"));
  CHECK(has(props, R"({"name":"code","valueCode":"child"},{"name":"value","valueCode":"ENT"})"));
  // An abstract concept says so; a Coding in a POST body works too.
  std::string body = std::string(R"({"resourceType":"Parameters","parameter":[{"name":"coding",
      "valueCoding":{"system":")") +
                     kParticipation + R"(","code":"_ParticipationAncillary"}}]})";
  Response abstract = f.call("POST", "CodeSystem/$lookup", body);
  REQUIRE(abstract.status == 200);
  CHECK(has(params_named(abstract, "property"), "notSelectable"));
  // Errors: unknown system 404, unknown code 400, nothing 400, a body that is not Parameters 400.
  CHECK(
      f.call("GET", "CodeSystem/$lookup", "", {{"system", "http://snomed.info/sct"}, {"code", "1"}})
          .status == 404);
  Response bad =
      f.call("GET", "CodeSystem/$lookup", "", {{"system", kGenderCs}, {"code", "robot"}});
  CHECK(bad.status == 400);
  CHECK(bad.body.find("code-invalid") != std::string::npos);
  CHECK(f.call("GET", "CodeSystem/$lookup").status == 400);
  CHECK(f.call("POST", "CodeSystem/$lookup", R"({"resourceType":"Patient"})").status == 400);
}

TEST_CASE("CodeSystem/$subsumes: the four outcomes") {
  RestFixture f;
  auto outcome = [&](const char* a, const char* b) {
    Response r = f.call("GET", "CodeSystem/$subsumes", "",
                        {{"system", kParticipation}, {"codeA", a}, {"codeB", b}});
    REQUIRE(r.status == 200);
    auto o = params_named(r, "outcome");
    REQUIRE(o.size() == 1);
    return o[0];
  };
  CHECK(outcome("TRANS", "ENT").find("\"subsumes\"") != std::string::npos);
  CHECK(outcome("ENT", "_ParticipationInformationGenerator").find("subsumed-by") !=
        std::string::npos);
  CHECK(outcome("AUT", "AUT").find("equivalent") != std::string::npos);
  CHECK(outcome("AUT", "ENT").find("not-subsumed") != std::string::npos);
  std::string body = std::string(R"({"resourceType":"Parameters","parameter":[
      {"name":"codingA","valueCoding":{"system":")") +
                     kParticipation + R"(","code":"DIR"}},
      {"name":"codingB","valueCoding":{"system":")" +
                     kParticipation + R"(","code":"TPA"}}]})";
  Response posted = f.call("POST", "CodeSystem/$subsumes", body);
  REQUIRE(posted.status == 200);
  CHECK(has(params_named(posted, "outcome"), "\"subsumes\""));
  CHECK(f.call("GET", "CodeSystem/$subsumes", "", {{"system", kParticipation}, {"codeA", "AUT"}})
            .status == 400);
  // A built-in hierarchy through a `child` property: NOUSERPERM is nested under NOPERM only.
  const std::string reason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  Response linked = f.call(
      "GET", "CodeSystem/$subsumes", "",
      {{"system", reason}, {"codeA", "_StatusRevisionRefusalReasonCode"}, {"codeB", "NOUSERPERM"}});
  REQUIRE(linked.status == 200);
  CHECK(has(params_named(linked, "outcome"), "\"subsumes\""));
  Response lookup =
      f.call("GET", "CodeSystem/$lookup", "", {{"system", reason}, {"code", "NOUSERPERM"}});
  auto parents = params_named(lookup, "property");
  CHECK(has(parents, R"("valueCode":"NOPERM")"));
  CHECK(has(parents, R"("valueCode":"_StatusRevisionRefusalReasonCode")"));
}

TEST_CASE("ValueSet/$expand: contains, total, paging, filter and errors") {
  RestFixture f;
  Response r = f.call("GET", "ValueSet/$expand", "", {{"url", kGenderVs}});
  REQUIRE(r.status == 200);
  auto doc = body_json(r);
  CHECK(std::string(doc["resourceType"].GetString()) == "ValueSet");
  CHECK(std::string(doc["url"].GetString()) == kGenderVs);
  CHECK(r.body.find(R"("total":4,)") != std::string::npos);
  CHECK(doc["expansion"]["contains"].Size() == 4);
  CHECK(std::string(doc["expansion"]["timestamp"].GetString()).size() >= 20);
  CHECK(std::string(doc["expansion"]["contains"][0]["system"].GetString()) == kGenderCs);

  Response page =
      f.call("GET", "ValueSet/$expand", "", {{"url", kGenderVs}, {"offset", "1"}, {"count", "2"}});
  auto p = body_json(page);
  CHECK(page.body.find(R"("total":4,"offset":1,)") != std::string::npos);
  REQUIRE(p["expansion"]["contains"].Size() == 2);
  CHECK(std::string(p["expansion"]["contains"][0]["code"].GetString()) ==
        std::string(doc["expansion"]["contains"][1]["code"].GetString()));

  Response unk = f.call("GET", "ValueSet/$expand", "", {{"url", kGenderVs}, {"filter", "unk"}});
  CHECK(unk.body.find(R"("total":1,)") != std::string::npos);
  auto filtered = body_json(unk);
  CHECK(std::string(filtered["expansion"]["contains"][0]["code"].GetString()) == "unknown");

  // Abstract and inactive concepts are marked.
  auto direct =
      f.call("GET", "ValueSet/$expand", "",
             {{"url", "http://terminology.hl7.org/ValueSet/v3-ParticipationTargetDirect"}});
  CHECK(direct.body.find(R"("inactive":true,"code":"TPA")") != std::string::npos);

  CHECK(f.call("GET", "ValueSet/$expand", "", {{"url", kGenderVs}, {"count", "1001"}}).status ==
        400);
  CHECK(f.call("GET", "ValueSet/$expand", "", {{"url", kGenderVs}, {"offset", "-1"}}).status ==
        400);
  CHECK(f.call("GET", "ValueSet/$expand", "", {{"url", kGenderVs}, {"activeOnly", "yes"}}).status ==
        400);
  CHECK(f.call("GET", "ValueSet/$expand").status == 400);
  CHECK(f.call("GET", "ValueSet/$expand", "", {{"url", "http://example.org/vs"}}).status == 404);
  Response iso =
      f.call("GET", "ValueSet/$expand", "", {{"url", "http://hl7.org/fhir/ValueSet/iso3166-1-3"}});
  CHECK(iso.status == 422);
  CHECK(iso.body.find("not-supported") != std::string::npos);
}

TEST_CASE("ConceptMap/$translate: matches with equivalence, reverse, no match") {
  RestFixture f;
  Response r = f.call("GET", "ConceptMap/$translate", "",
                      {{"system", kGenderCs},
                       {"code", "female"},
                       {"targetsystem", "http://terminology.hl7.org/CodeSystem/v2-0001"}});
  REQUIRE(r.status == 200);
  CHECK(has(params_named(r, "result"), "true"));
  auto matches = params_named(r, "match");
  CHECK(has(matches, R"({"name":"equivalence","valueCode":"equal"})"));
  CHECK(has(matches, R"("code":"F")"));
  CHECK(has(matches, "cm-administrative-gender-v2"));
  Response reverse = f.call("GET", "ConceptMap/$translate", "",
                            {{"system", "http://terminology.hl7.org/CodeSystem/v2-0001"},
                             {"code", "M"},
                             {"url", "http://hl7.org/fhir/ConceptMap/cm-administrative-gender-v2"},
                             {"reverse", "true"}});
  CHECK(has(params_named(reverse, "match"), R"("code":"male")"));
  Response none =
      f.call("GET", "ConceptMap/$translate", "", {{"system", "http://example.org"}, {"code", "x"}});
  REQUIRE(none.status == 200);
  CHECK(has(params_named(none, "result"), "false"));
  CHECK(params_named(none, "match").empty());
  CHECK(f.call("GET", "ConceptMap/$translate", "", {{"code", "x"}}).status == 400);
  CHECK(f.call("GET", "ConceptMap/$translate", "",
               {{"system", kGenderCs}, {"code", "male"}, {"url", "http://example.org/cm"}})
            .status == 404);
}

TEST_CASE("$validate-code on any built-in value set and on CodeSystem") {
  RestFixture f;
  // A value set outside the required bindings, with an is-a filter.
  Response in =
      f.call("GET", "ValueSet/$validate-code", "",
             {{"url", "http://terminology.hl7.org/ValueSet/v3-ParticipationInformationGenerator"},
              {"system", kParticipation},
              {"code", "ENT"}});
  REQUIRE(in.status == 200);
  CHECK(has(params_named(in, "result"), "true"));
  CHECK(has(params_named(in, "display"), "data entry person"));
  Response out =
      f.call("GET", "ValueSet/$validate-code", "",
             {{"url", "http://terminology.hl7.org/ValueSet/v3-ParticipationInformationGenerator"},
              {"code", "_ParticipationInformationGenerator"}});
  CHECK(has(params_named(out, "result"), "false"));

  Response cs =
      f.call("GET", "CodeSystem/$validate-code", "", {{"url", kGenderCs}, {"code", "other"}});
  REQUIRE(cs.status == 200);
  CHECK(has(params_named(cs, "result"), "true"));
  CHECK(has(params_named(cs, "display"), "Other"));
  CHECK(has(params_named(
                f.call("GET", "CodeSystem/$validate-code", "", {{"url", kGenderCs}, {"code", "x"}}),
                "result"),
            "false"));
  CHECK(f.call("GET", "CodeSystem/$validate-code", "", {{"url", "http://loinc.org"}, {"code", "x"}})
            .status == 404);
}

TEST_CASE("the terminology operations are in the CapabilityStatement") {
  RestFixture f;
  std::string body = f.call("GET", "metadata").body;
  for (const char* op : {"CodeSystem-lookup", "CodeSystem-subsumes", "CodeSystem-validate-code",
                         "ValueSet-expand", "ValueSet-validate-code", "ConceptMap-translate"}) {
    CHECK_MESSAGE(body.find(op) != std::string::npos, op);
  }
}
