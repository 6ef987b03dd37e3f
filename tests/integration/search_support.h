// What the search tests over HTTP share: JSON of a response, per-run tags that keep a shared
// PostgreSQL store's other resources out of the counts, creating resources, and reading a
// searchset (match ids, total, links).
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "harness.h"

namespace hearth::testing::search {

inline fhir::JsonDocument json(const HttpResponse& r) {
  auto doc = fhir::parse_json(r.body);
  REQUIRE_MESSAGE(doc.is_ok(), r.body);
  return std::move(doc.value());
}

inline std::string create(HttpClient& client, const std::string& type, const std::string& body) {
  HttpResponse r = client.post(type, body);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(json(r)["id"].GetString());
}

// The match entries of a searchset as "Type/id", in order.
inline std::vector<std::string> match_keys(const fhir::JsonDocument& bundle) {
  std::vector<std::string> out;
  if (!bundle.HasMember("entry")) return out;
  for (const auto& e : bundle["entry"].GetArray()) {
    if (std::string_view(e["search"]["mode"].GetString()) == "match") {
      out.push_back(std::string(e["resource"]["resourceType"].GetString()) + "/" +
                    e["resource"]["id"].GetString());
    }
  }
  return out;
}

// GET `target`, which must answer 200 with a searchset.
inline fhir::JsonDocument search(HttpClient& client, const std::string& target) {
  HttpResponse r = client.get(target);
  REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.body);
  return json(r);
}

// Bundle.total (fhir::parse_json keeps numbers as their text).
inline int total(const fhir::JsonDocument& bundle) {
  REQUIRE(bundle.HasMember("total"));
  return std::stoi(std::string(fhir::json_number_text(bundle["total"])));
}

// The url of the Bundle.link with `relation`, or "".
inline std::string link(const fhir::JsonDocument& bundle, std::string_view relation) {
  for (const auto& l : bundle["link"].GetArray()) {
    if (std::string_view(l["relation"].GetString()) == relation) return l["url"].GetString();
  }
  return "";
}

}  // namespace hearth::testing::search
