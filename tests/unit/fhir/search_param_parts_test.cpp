// param_parts (fhir/search/param_parts.h): the umbrella parameters found in the model, and the
// claim the index relies on, checked on every official example: each row of a part is also a
// row of its umbrella (so the index may store it once).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
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
  // Composites: only those with the same components (code-value-concept selects the Observation
  // too, but reads another value).
  CHECK(parts_of("Observation", "combo-code-value-quantity") ==
        V{"code-value-quantity", "component-code-value-quantity"});
  CHECK(parts_of("Observation", "combo-code-value-concept") ==
        V{"code-value-concept", "component-code-value-concept"});
  CHECK(parts_of("Observation", "code-value-quantity").empty());
  CHECK(parts_of("Patient", "family").empty());
  CHECK(parts_of("Patient", "phonetic").empty());  // its values are dictionary entries
  CHECK(parts_of("Observation", "code").empty());
  CHECK(parts_of("NoSuchType", "name").empty());
}

TEST_CASE("held_by_parts: the umbrellas whose every branch is a part's") {
  std::vector<std::string> held;
  for (std::string_view type : resource_types()) {
    for (const SearchParamDef* p : searchable_params(type)) {
      if (held_by_parts(type, p->code))
        held.push_back(std::string(type) + "." + std::string(p->code));
    }
  }
  // Patient `name` is not: its prefix and suffix rows are no part's.
  CHECK(held == std::vector<std::string>{
                    "Observation.combo-code", "Observation.combo-code-value-concept",
                    "Observation.combo-code-value-quantity", "Observation.combo-data-absent-reason",
                    "Observation.combo-value-concept", "Observation.combo-value-quantity"});
  CHECK_FALSE(held_by_parts("Patient", "family"));
  CHECK_FALSE(held_by_parts("NoSuchType", "name"));
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

// Rows of a held umbrella (held_by_parts) that none of its parts holds (must be none).
template <class Rows>
int not_held(std::string_view type, const Rows& rows) {
  int out = 0;
  for (const auto& u : rows) {
    if (!held_by_parts(type, u.param)) continue;
    const auto parts = param_parts(type, u.param);
    const bool found = std::any_of(rows.begin(), rows.end(), [&](const auto& r) {
      return std::find(parts.begin(), parts.end(), r.param) != parts.end() &&
             values(r) == values(u);
    });
    if (!found) {
      ++out;
      MESSAGE(std::string(type) << "." << std::string(u.param) << " row held by no part");
    }
  }
  return out;
}

// A composite's groups, each as its components' sets of values.
using Group = std::vector<std::set<std::string>>;
std::set<Group> groups_of(const std::vector<CompositeIndex>& rows, std::string_view param) {
  std::map<std::uint32_t, Group> by_group;
  for (const CompositeIndex& r : rows) {
    if (r.param != param) continue;
    Group& g = by_group[r.group];
    if (g.size() <= r.component) g.resize(r.component + 1);
    g[r.component].insert(r.system + "|" + r.code + "|" + r.text + "|" + r.folded + "|" + r.exact +
                          "|" + std::to_string(r.low) + "|" + std::to_string(r.high) + "|" +
                          std::to_string(r.value) + "|" + r.target_type + "|" + r.target_id + "|" +
                          r.url);
  }
  std::set<Group> out;
  for (auto& [n, g] : by_group) out.insert(std::move(g));
  return out;
}

// Composite umbrellas whose groups differ from the union of their parts' (must be none: a
// search on the umbrella reads its parts' groups); counts the groups compared.
int composite_mismatches(std::string_view type, const std::vector<CompositeIndex>& rows,
                         int& compared) {
  int out = 0;
  for (const SearchParamDef* u : searchable_params(type)) {
    if (u->type != SearchParamType::kComposite || param_parts(type, u->code).empty()) continue;
    const std::set<Group> own = groups_of(rows, u->code);
    std::set<Group> of_parts;
    for (std::string_view part : param_parts(type, u->code)) {
      std::set<Group> g = groups_of(rows, part);
      // Every part's group is one of the umbrella's.
      for (const Group& x : g) {
        if (!own.contains(x)) {
          ++out;
          MESSAGE(std::string(type)
                  << "." << std::string(part) << " group not in " << std::string(u->code));
        }
      }
      of_parts.insert(g.begin(), g.end());
    }
    compared += static_cast<int>(own.size());
    if (held_by_parts(type, u->code) && own != of_parts) {
      ++out;
      MESSAGE(std::string(type) << "." << std::string(u->code) << ": groups not its parts'");
    }
  }
  return out;
}

template <class Rows>
std::size_t rows_of(const Rows& rows, std::string_view type) {
  return static_cast<std::size_t>(std::count_if(
      rows.begin(), rows.end(), [&](const auto& r) { return held_by_parts(type, r.param); }));
}

TEST_CASE("param_parts: every part row is an umbrella row, on every official example") {
  int examples = 0, missing = 0, saved = 0, rows = 0, pairs = 0, dropped_wrong = 0;
  int unheld = 0, composite_wrong = 0, groups = 0, skipped_wrong = 0;
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
    auto v = extract_index(*doc, kDefaultMaxIndexRows, IndexGuards::kOn, IndexPaths::kWalk,
                           HeldUmbrellas::kExtract);
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
    unheld += not_held(type, v->strings) + not_held(type, v->tokens) + not_held(type, v->dates) +
              not_held(type, v->numbers) + not_held(type, v->quantities) +
              not_held(type, v->references) + not_held(type, v->uris);
    composite_wrong += composite_mismatches(type, v->composites, groups);
    // drop_rows_held_by_parts removes exactly the rows the plain search above counted, and the
    // composite rows of held umbrellas.
    const std::size_t held_composites = rows_of(v->composites, type);
    const std::size_t before = v->size();
    drop_rows_held_by_parts(type, *v);
    if (before - v->size() != static_cast<std::size_t>(saved - saved_before) + held_composites) {
      ++dropped_wrong;
      MESSAGE(name << ": dropped " << before - v->size() << ", held " << saved - saved_before);
    }
    // What the store is given: the rows extract_index gives by default (held umbrellas not
    // evaluated), once the rest is dropped, are the same.
    auto skipped = extract_index(*doc);
    REQUIRE(skipped.is_ok());
    drop_rows_held_by_parts(type, *skipped);
    if (skipped->size() != v->size() || skipped->composites.size() != v->composites.size()) {
      ++skipped_wrong;
      MESSAGE(name << ": " << skipped->size() << " rows without the held umbrellas, " << v->size()
                   << " with them dropped");
    }
  }
  std::printf(
      "param parts: %d (umbrella, part) pairs; %d official examples, %d index rows, %d umbrella "
      "rows held by a part (stored once), %d part rows missing from their umbrella; %d rows of "
      "held umbrellas held by no part; %d composite umbrella groups, %d mismatches\n",
      pairs, examples, rows, saved, missing, unheld, groups, composite_wrong);
  CHECK(examples > testing::at_least(2000));
  CHECK(pairs > 50);
  CHECK(saved > testing::at_least(300));
  CHECK(missing == 0);
  CHECK(dropped_wrong == 0);
  CHECK(unheld == 0);
  CHECK(groups > testing::at_least(50));
  CHECK(composite_wrong == 0);
  CHECK(skipped_wrong == 0);
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
