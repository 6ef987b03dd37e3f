// param_parts (fhir/search/param_parts.h): the umbrella parameters found in the model, and the
// claim the index relies on, checked on every official example: each row of a part is also a
// row of its umbrella (so the index may store it once).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/index_values.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/searchable.h"
#include "official_examples.h"

namespace hearth::fhir::search {
namespace {

std::vector<std::string_view> parts_of(std::string_view type, std::string_view code) {
  auto parts = param_parts(type, code);
  return {parts.begin(), parts.end()};
}

TEST_CASE("param_parts: names, addresses, telecoms, subject references and combo parameters") {
  using V = std::vector<std::string_view>;
  CHECK(parts_of("Patient", "name") == V{"family", "given"});
  CHECK(parts_of("Practitioner", "name") == V{"family", "given"});
  CHECK(parts_of("Patient", "address") ==
        V{"address-city", "address-country", "address-postalcode", "address-state"});
  CHECK(parts_of("Patient", "telecom") == V{"email", "phone"});
  CHECK(parts_of("Observation", "subject") == V{"patient"});
  // Unions of other parameters' expressions.
  CHECK(parts_of("Observation", "combo-code") == V{"code", "component-code"});
  CHECK(parts_of("Observation", "combo-value-quantity") ==
        V{"component-value-quantity", "value-quantity"});
  CHECK(parts_of("Patient", "family").empty());
  CHECK(parts_of("Patient", "phonetic").empty());  // its values are dictionary entries
  CHECK(parts_of("Observation", "code").empty());
  CHECK(parts_of("NoSuchType", "name").empty());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

auto values(const StringIndex& r) {
  return std::tie(r.folded, r.exact);
}
auto values(const TokenIndex& r) {
  return std::tie(r.system, r.code, r.text);
}
auto values(const DateIndex& r) {
  return std::tie(r.low, r.high);
}
auto values(const NumberIndex& r) {
  return std::tie(r.value);
}
auto values(const QuantityIndex& r) {
  return std::tie(r.value, r.system, r.code);
}
auto values(const ReferenceIndex& r) {
  return std::tie(r.target_type, r.target_id, r.url);
}
auto values(const UriIndex& r) {
  return std::tie(r.uri);
}

// Rows of parts of an umbrella that the umbrella lacks (must be none); counts the umbrella
// rows a part holds too (the rows the index saves).
template <class Rows>
int missing_from_umbrella(std::string_view type, const Rows& rows, int& saved) {
  int missing = 0;
  for (const auto& umbrella : rows) {
    for (std::string_view part : param_parts(type, umbrella.param)) {
      for (const auto& r : rows) {
        if (r.param == part && values(r) == values(umbrella)) {
          ++saved;
          goto next_umbrella_row;
        }
      }
    }
  next_umbrella_row:;
  }
  for (const auto& r : rows) {
    for (const SearchParamDef* u : searchable_params(type)) {
      auto parts = param_parts(type, u->code);
      if (std::find(parts.begin(), parts.end(), r.param) == parts.end()) continue;
      bool found = false;
      for (const auto& other : rows) {
        found = found || (other.param == u->code && values(other) == values(r));
      }
      if (!found) {
        ++missing;
        MESSAGE(std::string(type) << "." << std::string(r.param) << " row not in "
                                  << std::string(u->code));
      }
    }
  }
  return missing;
}

TEST_CASE("param_parts: every part row is an umbrella row, on every official example") {
  int examples = 0, missing = 0, saved = 0, rows = 0, pairs = 0, dropped_wrong = 0;
  for (std::string_view type : resource_types()) {
    for (const SearchParamDef* p : searchable_params(type)) {
      pairs += static_cast<int>(param_parts(type, p->code).size());
    }
  }
  for (const std::filesystem::path& path : testing::official_example_files()) {
    const std::string name = path.filename().string();
    const std::size_t dash = name.find('-');
    if (dash == std::string::npos) continue;
    const std::string type = name.substr(0, dash);
    if (!is_resource_type(type)) continue;
    auto doc = parse_json(read_file(path));
    if (!doc.is_ok()) continue;
    auto v = extract_index(*doc);
    if (!v.is_ok()) continue;
    ++examples;
    rows += static_cast<int>(v->size());
    const int saved_before = saved;
    missing += missing_from_umbrella(type, v->strings, saved);
    missing += missing_from_umbrella(type, v->tokens, saved);
    missing += missing_from_umbrella(type, v->dates, saved);
    missing += missing_from_umbrella(type, v->numbers, saved);
    missing += missing_from_umbrella(type, v->quantities, saved);
    missing += missing_from_umbrella(type, v->references, saved);
    missing += missing_from_umbrella(type, v->uris, saved);
    // drop_rows_held_by_parts removes exactly the rows the plain search above counted.
    const std::size_t before = v->size();
    drop_rows_held_by_parts(type, *v);
    if (before - v->size() != static_cast<std::size_t>(saved - saved_before)) {
      ++dropped_wrong;
      MESSAGE(name << ": dropped " << before - v->size() << ", held " << saved - saved_before);
    }
  }
  std::printf(
      "param parts: %d (umbrella, part) pairs; %d official examples, %d index rows, %d umbrella "
      "rows held by a part (stored once), %d part rows missing from their umbrella\n",
      pairs, examples, rows, saved, missing);
  CHECK(examples > testing::at_least(2000));
  CHECK(pairs > 50);
  CHECK(saved > testing::at_least(300));
  CHECK(missing == 0);
  CHECK(dropped_wrong == 0);
}

TEST_CASE("drop_rows_held_by_parts: an umbrella keeps only the rows no part holds, in order") {
  auto doc = parse_json(R"({"resourceType": "Patient", "gender": "male",
      "name": [{"prefix": ["Mr."], "family": "Chalmers", "given": ["Peter", "James"]}],
      "telecom": [{"system": "phone", "value": "555"}, {"system": "fax", "value": "556"}]})");
  REQUIRE(doc.is_ok());
  auto v = extract_index(*doc);
  REQUIRE(v.is_ok());
  using S = std::vector<std::string>;
  const auto strings = [&] {
    S out;
    for (const StringIndex& r : v->strings) out.push_back(std::string(r.param) + "=" + r.folded);
    return out;
  };
  const auto tokens = [&] {
    S out;
    for (const TokenIndex& r : v->tokens) out.push_back(std::string(r.param) + "=" + r.code);
    return out;
  };
  S strings_left = strings(), tokens_left = tokens();
  // `name` holds every part of the HumanName, so only its prefix row is no part's (family,
  // given); `telecom` keeps the fax, the phone is `phone`'s.
  for (const char* held : {"name=chalmers", "name=peter", "name=james"}) {
    REQUIRE(std::count(strings_left.begin(), strings_left.end(), held) == 1);
    strings_left.erase(std::find(strings_left.begin(), strings_left.end(), held));
  }
  REQUIRE(std::count(tokens_left.begin(), tokens_left.end(), "telecom=555") == 1);
  tokens_left.erase(std::find(tokens_left.begin(), tokens_left.end(), "telecom=555"));
  drop_rows_held_by_parts("Patient", *v);
  CHECK(strings() == strings_left);
  CHECK(tokens() == tokens_left);
  CHECK(std::count(strings_left.begin(), strings_left.end(), "name=mr.") == 1);
  CHECK(std::count(tokens_left.begin(), tokens_left.end(), "telecom=556") == 1);
  CHECK(std::count(tokens_left.begin(), tokens_left.end(), "gender=male") == 1);
  drop_rows_held_by_parts("NoSuchType", *v);  // a type without umbrellas: nothing changes
  CHECK(strings() == strings_left);
}

}  // namespace
}  // namespace hearth::fhir::search
