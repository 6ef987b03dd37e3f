// The CapabilityStatement's _include / _revinclude claims (api/rest/capabilities.cpp): per type,
// what it lists is what a search of that type accepts, and it is computed from the official
// SearchParameters (a reference parameter is listed where its targets allow, nothing else is).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "rest_test_support.h"

namespace hearth::api {
namespace {

using testing::body_json;
using testing::RestFixture;

std::vector<std::string> strings(const rapidjson::Value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) out.emplace_back(v.GetString());
  return out;
}

bool has(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

TEST_CASE("the CapabilityStatement's searchInclude and searchRevInclude are served as claimed") {
  RestFixture f;
  auto doc = body_json(f.call("GET", "metadata"));
  std::size_t types = 0, claims = 0, searches = 0;
  for (const auto& resource : doc["rest"][0]["resource"].GetArray()) {
    const std::string type = resource["type"].GetString();
    CAPTURE(type);
    REQUIRE(resource.HasMember("searchInclude"));
    REQUIRE(resource.HasMember("searchRevInclude"));
    ++types;
    // Every claimed value is accepted by a search of the type, up to 100 per request (the
    // default --search-max-params).
    for (const char* name : {"_include", "_revinclude"}) {
      const auto values =
          strings(resource[name == std::string("_include") ? "searchInclude" : "searchRevInclude"]);
      CHECK(values.back() == "*");
      claims += values.size();
      for (std::size_t at = 0; at < values.size(); at += 100) {
        std::vector<std::pair<std::string, std::string>> query;
        for (std::size_t i = at; i < values.size() && i < at + 100; ++i) {
          query.emplace_back(name, values[i]);
        }
        Response r = f.call("GET", type, {}, query);
        CHECK_MESSAGE(r.status == 200, name << " of " << type << ": " << r.body);
        ++searches;
      }
    }
  }
  CHECK(types == 146);
  MESSAGE("searchInclude + searchRevInclude: " << claims << " values over " << types
                                               << " types, served by " << searches << " searches");

  // What is claimed follows the definitions: Observation.subject may point at a Patient,
  // Observation.encounter may not; Observation.code is no reference at all.
  auto find = [&](const std::string& type) -> const rapidjson::Value& {
    for (const auto& resource : doc["rest"][0]["resource"].GetArray()) {
      if (resource["type"].GetString() == type) return resource;
    }
    FAIL("no " << type);
    return doc;
  };
  const auto patient_rev = strings(find("Patient")["searchRevInclude"]);
  CHECK(has(patient_rev, "Observation:subject"));
  CHECK(has(patient_rev, "Observation:patient"));
  CHECK(has(patient_rev, "Provenance:target"));  // any target type
  CHECK_FALSE(has(patient_rev, "Observation:encounter"));
  const auto observation_inc = strings(find("Observation")["searchInclude"]);
  CHECK(has(observation_inc, "Observation:subject"));
  CHECK_FALSE(has(observation_inc, "Observation:code"));
  CHECK(std::is_sorted(observation_inc.begin(), observation_inc.end() - 1));
  // And what is not claimed is refused.
  CHECK(f.call("GET", "Patient", {}, {{"_revinclude", "Observation:encounter"}}).status == 400);
}

TEST_CASE("the CapabilityStatement claims search-system with the parameters it serves") {
  RestFixture f;
  auto doc = body_json(f.call("GET", "metadata"));
  const auto& rest = doc["rest"][0];
  std::vector<std::string> interactions;
  for (const auto& i : rest["interaction"].GetArray())
    interactions.emplace_back(i["code"].GetString());
  CHECK(has(interactions, "search-system"));
  std::vector<std::string> names;
  for (const auto& p : rest["searchParam"].GetArray()) names.emplace_back(p["name"].GetString());
  for (const char* common : {"_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"}) {
    CHECK_MESSAGE(has(names, common), common);
  }
  CHECK(has(names, "_content"));      // every resource's words
  CHECK_FALSE(has(names, "_text"));   // DomainResource's: not every type has a narrative
  CHECK_FALSE(has(names, "family"));  // not every type's
  // Each claimed parameter is served by a system-level search, strictly.
  auto strict = [&](const std::string& name, const std::string& value) {
    Request request;
    request.method = "GET";
    request.path = "";
    request.query = {{name, value}};
    request.prefer = "handling=strict";
    return f.call(std::move(request)).status;
  };
  for (const std::string& name : names) {
    CAPTURE(name);
    CHECK(strict(name, name == "_lastUpdated" ? "gt2020" : "x") == 200);
  }
  CHECK(strict("family", "x") == 400);
}

}  // namespace
}  // namespace hearth::api
