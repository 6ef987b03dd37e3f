// Every SearchParameter.expression of R4 compiles, and evaluates without error on every official
// example of each of its base resource types in the package (Resource/DomainResource parameters
// on the Patient examples). Prints the counts.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "official_examples.h"

namespace hearth::fhir::fhirpath {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The package's examples by resource type (files "<Type>-<id>.json").
std::map<std::string, std::vector<std::unique_ptr<JsonDocument>>, std::less<>> load_examples() {
  std::map<std::string, std::vector<std::unique_ptr<JsonDocument>>, std::less<>> out;
  for (const std::filesystem::path& path : testing::official_example_files()) {
    std::string name = path.filename().string();
    std::size_t dash = name.find('-');
    if (dash == std::string::npos) continue;
    std::string type = name.substr(0, dash);
    if (!is_resource_type(type)) continue;
    auto doc = parse_json(read_file(path));
    if (doc.is_ok()) out[type].push_back(std::make_unique<JsonDocument>(std::move(*doc)));
  }
  return out;
}

TEST_CASE("every R4 SearchParameter expression compiles and evaluates on official examples") {
  auto examples = load_examples();
  REQUIRE(static_cast<int>(examples.size()) > testing::at_least(100));
  int compiled = 0, evaluations = 0, non_empty = 0, empty = 0;
  for (const SearchParamDef& p : search_params()) {
    if (p.expression.empty()) {
      ++empty;
      continue;
    }
    auto expr = compile(p.expression);
    if (!expr.is_ok()) {
      FAIL_CHECK(std::string(p.id) << ": " << expr.status().message());
      continue;
    }
    ++compiled;
    for (std::string_view base : p.base) {
      std::string_view type = is_resource_type(base) ? base : std::string_view("Patient");
      auto it = examples.find(type);
      if (it == examples.end()) continue;
      for (const auto& doc : it->second) {
        auto result = evaluate(*expr, *doc);
        ++evaluations;
        if (!result.is_ok()) {
          FAIL_CHECK(std::string(p.id)
                     << " on " << std::string(type) << ": " << result.status().message());
        } else if (!result->empty()) {
          ++non_empty;
        }
      }
    }
  }
  std::printf(
      "fhirpath search parameters: %d expressions compiled (%d without one), %d "
      "evaluations (%d non-empty) on the examples of %zu resource types\n",
      compiled, empty, evaluations, non_empty, examples.size());
  CHECK(compiled > 1000);
}

}  // namespace
}  // namespace hearth::fhir::fhirpath

namespace hearth::fhir::fhirpath {
namespace {

// Values the index would store, for a few parameters on their official examples.
std::vector<std::string> values(std::string_view type, std::string_view code,
                                const std::string& file, const EvalOptions& options = {}) {
  const SearchParamDef* p = find_search_param(type, code);
  REQUIRE(p != nullptr);
  auto expr = compile(p->expression);
  REQUIRE(expr.is_ok());
  auto doc = parse_json(read_file(std::filesystem::path(HEARTH_FHIR_PACKAGE_DIR) / file));
  REQUIRE(doc.is_ok());
  auto r = evaluate(*expr, *doc, options);
  REQUIRE(r.is_ok());
  std::vector<std::string> out;
  for (const Item& i : *r) out.push_back(to_string(i).value_or(std::string(type_name(i))));
  return out;
}

TEST_CASE("search parameter expressions give the values an index needs") {
  using V = std::vector<std::string>;
  CHECK(values("Patient", "birthdate", "Patient-example.json") == V{"1974-12-25"});
  CHECK(values("Observation", "value-quantity", "Observation-example.json") == V{"185 '[lb_av]'"});
  CHECK(values("Patient", "family", "Patient-example.json") == V{"Chalmers", "Windsor"});
  // where(resolve() is Patient): empty without a resolver, the reference with one.
  CHECK(values("Observation", "patient", "Observation-example.json").empty());
  JsonDocument patient;
  patient.Parse(R"({"resourceType":"Patient","id":"example"})");
  EvalOptions options;
  options.resolver = [&](std::string_view ref) -> const JsonValue* {
    return ref.starts_with("Patient/") ? &patient : nullptr;
  };
  CHECK(values("Observation", "patient", "Observation-example.json", options) == V{"Reference"});
}

}  // namespace
}  // namespace hearth::fhir::fhirpath
