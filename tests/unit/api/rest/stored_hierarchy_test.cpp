// A stored CodeSystem whose hierarchy is a graph (parent/child properties, a concept with two
// parents, nesting mixed in; fhir/terminology/stored_code_system.h) through every operation that
// reads a hierarchy: $lookup (parent and child properties), $subsumes, $expand filters, token
// :below/:above in a search; and one with a cycle, refused by each with the reason and its path.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

constexpr std::string_view kUrl = "http://example.org/CodeSystem/animals";

// animal > mammal (nested); dog: parents mammal (`parent`) and pet (pet's `child`); puppy: parent
// dog by `subsumedBy`, declared with the #parent uri; cat: parents mammal and pet.
const std::string kAnimals = R"({"resourceType":"CodeSystem","id":"animals",
  "url":"http://example.org/CodeSystem/animals","status":"active","content":"complete",
  "hierarchyMeaning":"is-a",
  "property":[{"code":"subsumedBy","uri":"http://hl7.org/fhir/concept-properties#parent",
               "type":"code"}],
  "concept":[{"code":"animal","display":"Animal","concept":[{"code":"mammal","display":"Mammal"}]},
    {"code":"pet","display":"Pet","property":[{"code":"child","valueCode":"dog"}]},
    {"code":"dog","display":"Dog","property":[{"code":"parent","valueCode":"mammal"}]},
    {"code":"puppy","display":"Puppy","property":[{"code":"subsumedBy","valueCode":"dog"}]},
    {"code":"cat","display":"Cat","property":[{"code":"parent","valueCode":"mammal"},
                                              {"code":"parent","valueCode":"pet"}]}]})";

// Every valueCode of the `property` parts named `name` in a $lookup answer.
std::vector<std::string> properties(const Response& r, std::string_view name) {
  auto doc = body_json(r);
  std::vector<std::string> out;
  for (auto& p : doc["parameter"].GetArray()) {
    if (std::string_view(p["name"].GetString()) != "property") continue;
    std::string code, value;
    for (auto& part : p["part"].GetArray()) {
      if (std::string_view(part["name"].GetString()) == "code")
        code = part["valueCode"].GetString();
      if (std::string_view(part["name"].GetString()) == "value" && part.HasMember("valueCode")) {
        value = part["valueCode"].GetString();
      }
    }
    if (code == name) out.push_back(value);
  }
  return out;
}

std::string outcome(RestFixture& f, std::string a, std::string b) {
  Response r = f.call("GET", "CodeSystem/$subsumes", "",
                      {{"system", std::string(kUrl)}, {"codeA", a}, {"codeB", b}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto doc = body_json(r);
  return doc["parameter"][0]["valueCode"].GetString();
}

std::vector<std::string> expanded(RestFixture& f, const std::string& op, const std::string& value) {
  const std::string vs = R"({"resourceType":"ValueSet","id":"vs","status":"active",
    "url":"http://example.org/ValueSet/animal-filter","compose":{"include":[{
    "system":"http://example.org/CodeSystem/animals","filter":[{"property":"concept","op":")" +
                         op + R"(","value":")" + value + R"("}]}]}})";
  REQUIRE(f.call("PUT", "ValueSet/vs", vs).status / 100 == 2);
  Response r = f.call("GET", "ValueSet/vs/$expand");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto doc = body_json(r);
  std::vector<std::string> out;
  if (!doc["expansion"].HasMember("contains")) return out;
  for (auto& c : doc["expansion"]["contains"].GetArray()) out.emplace_back(c["code"].GetString());
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("a stored hierarchy graph: $lookup, $subsumes, $expand and :below/:above") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/animals", kAnimals).status == 201);
  const std::string cs(kUrl);

  Response r = f.call("GET", "CodeSystem/$lookup", "", {{"system", cs}, {"code", "dog"}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(properties(r, "parent") == Strings{"mammal", "pet"});
  CHECK(properties(r, "child") == Strings{"puppy"});
  r = f.call("GET", "CodeSystem/$lookup", "", {{"system", cs}, {"code", "pet"}});
  CHECK(properties(r, "parent").empty());
  CHECK(properties(r, "child") == Strings{"dog", "cat"});

  CHECK(outcome(f, "animal", "puppy") == "subsumes");  // through mammal and dog
  CHECK(outcome(f, "pet", "puppy") == "subsumes");     // through dog's second parent
  CHECK(outcome(f, "cat", "pet") == "subsumed-by");
  CHECK(outcome(f, "cat", "dog") == "not-subsumed");
  CHECK(outcome(f, "pet", "mammal") == "not-subsumed");
  CHECK(outcome(f, "puppy", "puppy") == "equivalent");

  CHECK(expanded(f, "is-a", "pet") == Strings{"pet", "dog", "puppy", "cat"});
  CHECK(expanded(f, "descendent-of", "mammal") == Strings{"dog", "puppy", "cat"});
  CHECK(expanded(f, "is-not-a", "pet") == Strings{"animal", "mammal"});
  CHECK(expanded(f, "generalizes", "cat") == Strings{"animal", "mammal", "pet", "cat"});

  for (const char* code : {"animal", "pet", "dog", "puppy", "cat"}) {
    REQUIRE(f.call("POST", "Observation",
                   R"({"resourceType":"Observation","status":"final","code":{"coding":[
                     {"system":"http://example.org/CodeSystem/animals","code":")" +
                       std::string(code) + R"("}]}})")
                .status == 201);
  }
  auto total = [&](std::string param, std::string value) {
    return search_total(f, "Observation", std::move(param), std::move(value));
  };
  CHECK(total("code:below", cs + "|pet") == 4);     // pet, dog, puppy, cat
  CHECK(total("code:below", cs + "|mammal") == 3);  // dog, puppy, cat (no mammal stored)
  CHECK(total("code:above", cs + "|puppy") == 4);   // puppy, dog, pet, animal
  CHECK(total("code:above", cs + "|cat") == 3);     // cat, pet, animal
}

TEST_CASE("a stored code system whose hierarchy has a cycle is refused by each use, saying why") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/loop", R"({"resourceType":"CodeSystem","id":"loop",
    "url":"http://example.org/CodeSystem/loop","status":"active","content":"complete",
    "concept":[{"code":"top"},
      {"code":"a","property":[{"code":"parent","valueCode":"top"},{"code":"parent","valueCode":"c"}]},
      {"code":"b","property":[{"code":"parent","valueCode":"a"}]},
      {"code":"c","property":[{"code":"parent","valueCode":"b"}]}]})")
              .status == 201);
  const std::string cs = "http://example.org/CodeSystem/loop";
  Response r = f.call("GET", "CodeSystem/$lookup", "", {{"system", cs}, {"code", "a"}});
  CHECK(r.status == 404);
  CHECK(r.body.find("cycle") != std::string::npos);
  CHECK(r.body.find("CodeSystem.concept[") != std::string::npos);
  r = f.call("GET", "CodeSystem/$subsumes", "", {{"system", cs}, {"codeA", "a"}, {"codeB", "c"}});
  CHECK(r.status == 404);
  CHECK(r.body.find("cycle") != std::string::npos);
  REQUIRE(f.call("PUT", "ValueSet/loop", R"({"resourceType":"ValueSet","id":"loop",
    "url":"http://example.org/ValueSet/loop","status":"active","compose":{"include":[{
    "system":"http://example.org/CodeSystem/loop","filter":[{"property":"concept","op":"is-a",
    "value":"top"}]}]}})")
              .status == 201);
  r = f.call("GET", "ValueSet/loop/$expand");
  CHECK(r.status == 422);
  CHECK(r.body.find("cycle") != std::string::npos);
  r = f.call("GET", "Observation", "", {{"code:below", cs + "|top"}});
  CHECK(r.status == 400);
  CHECK(r.body.find("cycle") != std::string::npos);
}
