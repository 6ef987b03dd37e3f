// The terminology operations over CodeSystem, ValueSet and ConceptMap resources stored in Hearth
// (api/rest/terminology_source.h): $expand by url and at the instance level, cached and seen to
// change when the value set, a code system it draws from or a value set it includes is updated
// or deleted; $lookup, $subsumes, $validate-code (CodeSystem and ValueSet) and $translate on
// stored resources; a stored resource that cannot be read says why.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

constexpr std::string_view kCsUrl = "http://example.org/CodeSystem/colours";
constexpr std::string_view kVsUrl = "http://example.org/ValueSet/warm";

// colour > warm > (red > (scarlet), orange); colour > cold > blue; retired `amber`, abstract
// `warm`.
const std::string kColours = R"({"resourceType":"CodeSystem","id":"colours",
  "url":"http://example.org/CodeSystem/colours","name":"Colours","version":"2",
  "status":"active","content":"complete","caseSensitive":true,"concept":[
  {"code":"colour","display":"Colour","concept":[
    {"code":"warm","display":"Warm","property":[{"code":"notSelectable","valueBoolean":true}],
     "concept":[{"code":"red","display":"Red","concept":[{"code":"scarlet","display":"Scarlet"}]},
                {"code":"orange","display":"Orange"},
                {"code":"amber","display":"Amber",
                 "property":[{"code":"status","valueCode":"retired"}]}]},
    {"code":"cold","display":"Cold","concept":[{"code":"blue","display":"Blue"}]}]}]})";

const std::string kWarm = R"({"resourceType":"ValueSet","id":"warm",
  "url":"http://example.org/ValueSet/warm","name":"Warm","status":"active","compose":{
  "include":[{"system":"http://example.org/CodeSystem/colours",
              "filter":[{"property":"concept","op":"is-a","value":"warm"}]}],
  "exclude":[{"system":"http://example.org/CodeSystem/colours","concept":[{"code":"orange"}]}]}})";

std::vector<std::string> codes_of(const Response& r) {
  auto doc = body_json(r);
  std::vector<std::string> out;
  REQUIRE(doc.HasMember("expansion"));
  if (!doc["expansion"].HasMember("contains")) return out;
  for (auto& c : doc["expansion"]["contains"].GetArray()) out.emplace_back(c["code"].GetString());
  return out;
}

std::string param(const Response& r, std::string_view name) {
  auto doc = body_json(r);
  for (auto& p : doc["parameter"].GetArray()) {
    if (std::string_view(p["name"].GetString()) != name) continue;
    for (auto m = p.MemberBegin(); m != p.MemberEnd(); ++m) {
      std::string_view key = m->name.GetString();
      if (!key.starts_with("value")) continue;
      if (m->value.IsBool()) return m->value.GetBool() ? "true" : "false";
      if (m->value.IsString()) return m->value.GetString();
    }
  }
  return {};
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("$expand of a stored value set over a stored code system, by url and by id") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/colours", kColours).status == 201);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 201);
  Response r = f.call("GET", "ValueSet/$expand", "", {{"url", std::string(kVsUrl)}});
  REQUIRE(r.status == 200);
  CHECK(codes_of(r) == std::vector<std::string>{"warm", "red", "scarlet", "amber"});
  auto doc = body_json(r);
  CHECK(std::string(doc["name"].GetString()) == "Warm");
  CHECK(r.body.find(R"("total":4,)") != std::string::npos);
  CHECK(doc["expansion"]["contains"][0]["abstract"].GetBool());
  CHECK(doc["expansion"]["contains"][3]["inactive"].GetBool());
  CHECK(std::string(doc["expansion"]["contains"][1]["version"].GetString()) == "2");

  // The instance level, with the same options.
  Response by_id = f.call("GET", "ValueSet/warm/$expand", "", {{"activeOnly", "true"}});
  REQUIRE(by_id.status == 200);
  CHECK(codes_of(by_id) == std::vector<std::string>{"warm", "red", "scarlet"});
  CHECK(std::string(body_json(by_id)["id"].GetString()) == "warm");
  Response paged = f.call("POST", "ValueSet/warm/$expand",
                          R"({"resourceType":"Parameters","parameter":[
                            {"name":"filter","valueString":"SCAR"},
                            {"name":"count","valueInteger":5}]})");
  REQUIRE(paged.status == 200);
  CHECK(codes_of(paged) == std::vector<std::string>{"scarlet"});
  CHECK(f.call("GET", "ValueSet/nope/$expand").status == 404);
  CHECK(f.call("GET", "ValueSet/$expand", "", {{"url", "http://example.org/none"}}).status == 404);
}

TEST_CASE("a cached expansion follows updates of the value set, its code system and includes") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/colours", kColours).status == 201);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 201);
  auto expand = [&] {
    Response r = f.call("GET", "ValueSet/$expand", "", {{"url", std::string(kVsUrl)}});
    REQUIRE(r.status == 200);
    return codes_of(r);
  };
  CHECK(expand().size() == 4);
  CHECK(expand().size() == 4);  // from the cache
  // A new concept under `warm` in the code system.
  REQUIRE(f.call("PUT", "CodeSystem/colours",
                 replace(kColours, R"({"code":"orange","display":"Orange"},)",
                         R"({"code":"orange","display":"Orange"},{"code":"gold"},)"))
              .status == 200);
  CHECK(expand() == std::vector<std::string>{"warm", "red", "scarlet", "gold", "amber"});
  // The value set now excludes `red` too (and so its descendant? no: exclude lists codes).
  REQUIRE(f.call("PUT", "ValueSet/warm",
                 replace(kWarm, R"("concept":[{"code":"orange"}])",
                         R"("concept":[{"code":"orange"},{"code":"red"}])"))
              .status == 200);
  CHECK(expand() == std::vector<std::string>{"warm", "scarlet", "gold", "amber"});

  // A value set that includes another stored one sees the inner one change.
  REQUIRE(f.call("PUT", "ValueSet/outer", R"({"resourceType":"ValueSet","id":"outer",
    "url":"http://example.org/ValueSet/outer","status":"active","compose":{"include":[
    {"valueSet":["http://example.org/ValueSet/warm"]}]}})")
              .status == 201);
  auto outer = [&] {
    Response r = f.call("GET", "ValueSet/outer/$expand");
    REQUIRE(r.status == 200);
    return codes_of(r).size();
  };
  CHECK(outer() == 4);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 200);
  CHECK(outer() == 5);
  // Deleted: the inner one is gone, the outer cannot be expanded.
  REQUIRE(f.call("DELETE", "ValueSet/warm").status < 300);
  CHECK(f.call("GET", "ValueSet/outer/$expand").status == 404);
  // A stored value set takes a built-in one's URL: it wins.
  REQUIRE(f.call("PUT", "ValueSet/gender", R"({"resourceType":"ValueSet","id":"gender",
    "url":"http://hl7.org/fhir/ValueSet/administrative-gender","status":"active","compose":{
    "include":[{"system":"http://hl7.org/fhir/administrative-gender","concept":[
    {"code":"other"}]}]}})")
              .status == 201);
  Response gender = f.call("GET", "ValueSet/$expand", "",
                           {{"url", "http://hl7.org/fhir/ValueSet/administrative-gender"}});
  CHECK(codes_of(gender) == std::vector<std::string>{"other"});
}

TEST_CASE("$lookup, $subsumes and $validate-code on stored code systems and value sets") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/colours", kColours).status == 201);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 201);
  const std::string cs(kCsUrl);
  Response r = f.call("GET", "CodeSystem/$lookup", "", {{"system", cs}, {"code", "red"}});
  REQUIRE(r.status == 200);
  CHECK(param(r, "display") == "Red");
  CHECK(param(r, "name") == "Colours");
  CHECK(param(r, "version") == "2");
  CHECK(r.body.find(R"("valueCode":"warm")") != std::string::npos);     // parent
  CHECK(r.body.find(R"("valueCode":"scarlet")") != std::string::npos);  // child
  CHECK(f.call("GET", "CodeSystem/$lookup", "", {{"system", cs}, {"code", "nope"}}).status == 400);

  r = f.call("GET", "CodeSystem/$subsumes", "",
             {{"system", cs}, {"codeA", "warm"}, {"codeB", "scarlet"}});
  CHECK(param(r, "outcome") == "subsumes");
  r = f.call("GET", "CodeSystem/$subsumes", "",
             {{"system", cs}, {"codeA", "blue"}, {"codeB", "warm"}});
  CHECK(param(r, "outcome") == "not-subsumed");

  r = f.call("GET", "CodeSystem/$validate-code", "", {{"url", cs}, {"code", "blue"}});
  CHECK(param(r, "result") == "true");
  CHECK(param(r, "display") == "Blue");
  r = f.call("GET", "ValueSet/$validate-code", "",
             {{"url", std::string(kVsUrl)}, {"code", "scarlet"}, {"system", cs}});
  CHECK(param(r, "result") == "true");
  CHECK(param(r, "display") == "Scarlet");
  r = f.call("GET", "ValueSet/$validate-code", "",
             {{"url", std::string(kVsUrl)}, {"code", "orange"}});
  CHECK(param(r, "result") == "false");

  // A stored code system that does not compile (a code repeated, ignoring case as the system
  // says) is not used, and the answer says why.
  REQUIRE(f.call("PUT", "CodeSystem/dup", R"({"resourceType":"CodeSystem","id":"dup",
    "url":"http://example.org/CodeSystem/dup","status":"active","content":"complete",
    "caseSensitive":false,"concept":[{"code":"a"},{"code":"A"}]})")
              .status == 201);
  r = f.call("GET", "CodeSystem/$lookup", "",
             {{"system", "http://example.org/CodeSystem/dup"}, {"code", "a"}});
  CHECK(r.status == 404);
  CHECK(r.body.find("CodeSystem.concept[1].code") != std::string::npos);
  // A stored value set Hearth will not expand (past a bound on its compose): 422 with the path.
  std::string filters;
  for (std::size_t i = 0; i <= 32; ++i) {
    filters += std::string(i ? "," : "") + R"({"property":"concept","op":"=","value":"red"})";
  }
  REQUIRE(f.call("PUT", "ValueSet/bad",
                 R"({"resourceType":"ValueSet","id":"bad",
    "url":"http://example.org/ValueSet/bad","status":"active","compose":{"include":[
    {"system":"http://example.org/CodeSystem/colours","filter":[)" +
                     filters + "]}]}}")
              .status == 201);
  r = f.call("GET", "ValueSet/bad/$expand");
  CHECK(r.status == 422);
  CHECK(r.body.find("ValueSet.compose.include[0].filter") != std::string::npos);
  CHECK(r.body.find("more than 32 filter") != std::string::npos);
}

TEST_CASE("$translate over a stored ConceptMap, by url and without") {
  RestFixture f;
  REQUIRE(f.call("PUT", "ConceptMap/cm", R"({"resourceType":"ConceptMap","id":"cm",
    "url":"http://example.org/ConceptMap/colour-to-rgb","status":"active",
    "sourceUri":"http://example.org/ValueSet/warm","group":[{
      "source":"http://example.org/CodeSystem/colours","target":"http://example.org/rgb",
      "element":[{"code":"red","target":[{"code":"FF0000","display":"pure red",
        "equivalence":"equivalent"}]},{"code":"amber"}]}]})")
              .status == 201);
  Response r = f.call("GET", "ConceptMap/$translate", "",
                      {{"url", "http://example.org/ConceptMap/colour-to-rgb"},
                       {"system", std::string(kCsUrl)},
                       {"code", "red"}});
  REQUIRE(r.status == 200);
  CHECK(param(r, "result") == "true");
  CHECK(r.body.find(R"("code":"FF0000")") != std::string::npos);
  // Without url: the stored maps that map the code are searched, then the built-in ones.
  r = f.call("GET", "ConceptMap/$translate", "",
             {{"system", std::string(kCsUrl)}, {"code", "red"}});
  CHECK(param(r, "result") == "true");
  r = f.call("GET", "ConceptMap/$translate", "",
             {{"system", std::string(kCsUrl)}, {"code", "amber"}});
  CHECK(param(r, "result") == "false");
  CHECK(r.body.find(R"("valueCode":"unmatched")") != std::string::npos);
  // Reverse.
  r = f.call("GET", "ConceptMap/$translate", "",
             {{"system", "http://example.org/rgb"}, {"code", "FF0000"}, {"reverse", "true"}});
  CHECK(param(r, "result") == "true");
  CHECK(r.body.find(R"("code":"red")") != std::string::npos);
  CHECK(f.call("GET", "ConceptMap/$translate", "",
               {{"url", "http://example.org/none"}, {"system", "s"}, {"code", "c"}})
            .status == 404);
}

TEST_CASE("token :in and :below over a stored value set and code system") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/colours", kColours).status == 201);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 201);
  for (const char* code : {"red", "scarlet", "blue", "orange"}) {
    REQUIRE(f.call("POST", "Observation",
                   R"({"resourceType":"Observation","status":"final","code":{"coding":[
                     {"system":"http://example.org/CodeSystem/colours","code":")" +
                       std::string(code) + R"("}]}})")
                .status == 201);
  }
  auto total = [&](std::string param, std::string value) {
    return search_total(f, "Observation", std::move(param), std::move(value));
  };
  CHECK(total("code:in", std::string(kVsUrl)) == 2);      // red, scarlet (orange excluded)
  CHECK(total("code:not-in", std::string(kVsUrl)) == 2);  // blue, orange
  CHECK(total("code:below", std::string(kCsUrl) + "|warm") == 3);
  CHECK(total("code:above", std::string(kCsUrl) + "|scarlet") == 2);  // scarlet, red
  // The value set follows its update.
  REQUIRE(
      f.call("PUT", "ValueSet/warm",
             replace(kWarm, R"("concept":[{"code":"orange"}])", R"("concept":[{"code":"red"}])"))
          .status == 200);
  CHECK(total("code:in", std::string(kVsUrl)) == 2);  // scarlet, orange
  CHECK(f.call("GET", "Observation", "", {{"code:in", "http://example.org/none"}}).status == 400);
}
