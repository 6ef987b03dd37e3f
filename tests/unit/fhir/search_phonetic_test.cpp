// Soundex (fhir/search/phonetic.h): the published examples, the h/w rule, folding, and the keys
// a name part gives; the index turns phonetic values into dictionary entries, and the query side
// reads a phonetic value as its key.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/phonetic.h"
#include "fhir/search/search_query.h"

namespace hearth::fhir::search {
namespace {

TEST_CASE("soundex: the US National Archives examples") {
  CHECK(soundex("Robert") == "R163");
  CHECK(soundex("Rupert") == "R163");
  CHECK(soundex("Rubin") == "R150");
  CHECK(soundex("Ashcraft") == "A261");  // h between s and c: one code
  CHECK(soundex("Ashcroft") == "A261");
  CHECK(soundex("Tymczak") == "T522");  // a vowel between c and k keeps both
  CHECK(soundex("Pfister") == "P236");  // f has the first letter's code
  CHECK(soundex("Honeyman") == "H555");
  CHECK(soundex("Lee") == "L000");
  CHECK(soundex("Gutierrez") == "G362");
  CHECK(soundex("Jackson") == "J250");
  CHECK(soundex("Washington") == "W252");
}

TEST_CASE("soundex: case, accents and other characters") {
  CHECK(soundex("SMITH") == soundex("smith"));
  CHECK(soundex("M\xc3\xbcller") == "M460");  // Müller folds to muller
  CHECK(soundex("O'Brien") == "O165");
  CHECK(soundex("") == "");
  CHECK(soundex("123 -") == "");
}

TEST_CASE("phonetic_keys: each word, and the whole part when it has several") {
  CHECK(phonetic_keys("Smith") == std::vector<std::string>{"S530"});
  CHECK(phonetic_keys("van Dyke") == std::vector<std::string>{"V500", "D200", "V532"});
  CHECK(phonetic_keys("Ann Ann") == std::vector<std::string>{"A500", "A550"});  // each once
  CHECK(phonetic_keys("--").empty());
}

TEST_CASE("phonetic: indexed as keys, searched by the value's key") {
  auto doc = parse_json(
      R"({"resourceType":"Patient","name":[{"family":"Smith","given":["Robert","Rob"]}]})");
  REQUIRE(doc.is_ok());
  auto v = extract_index(*doc);
  REQUIRE(v.is_ok());
  // No rows of its own: dictionary entries (key, folded part) for the store.
  CHECK(std::none_of(v->strings.begin(), v->strings.end(),
                     [](const StringIndex& r) { return r.param == "phonetic"; }));
  std::vector<std::string> entries;
  for (const PhoneticName& n : v->phonetic_names) entries.push_back(n.key + " " + n.folded);
  CHECK(entries == std::vector<std::string>{"S530 smith", "R163 robert", "R100 rob"});
  // Organization `phonetic` reads Organization.name, but its `name` holds alias too: not served.
  const SearchParamDef* org = find_search_param("Organization", "phonetic");
  REQUIRE(org != nullptr);
  CHECK_FALSE(is_indexed(*org));
  const SearchParamDef* individual = find_search_param("Practitioner", "phonetic");
  REQUIRE(individual != nullptr);
  CHECK(is_indexed(*individual));
  CHECK(phonetic_source("Practitioner", *individual) == find_search_param("Practitioner", "name"));
  auto query = parse_search("Patient", {{"phonetic", "Smyth"}}, "http://h", true);
  REQUIRE(query.is_ok());
  CHECK(query->clauses.front().values.front().folded == "S530");
  // No letter to encode, or a text modifier: 400 naming the parameter.
  auto empty = parse_search("Patient", {{"phonetic", "42"}}, "http://h", true);
  REQUIRE_FALSE(empty.is_ok());
  CHECK(empty.status().message().find("phonetic") != std::string::npos);
  CHECK_FALSE(parse_search("Patient", {{"phonetic:exact", "Smith"}}, "http://h", true).is_ok());
  CHECK(parse_search("Patient", {{"phonetic:missing", "true"}}, "http://h", true).is_ok());
  CHECK_FALSE(parse_search("Patient", {{"_sort", "phonetic"}}, "http://h", true).is_ok());
  CHECK_FALSE(parse_search("Organization", {{"phonetic", "Acme"}}, "http://h", false).is_ok());
}

}  // namespace
}  // namespace hearth::fhir::search
