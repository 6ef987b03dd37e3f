// FHIRPath evaluations/s of the 20 search parameters clients use most (bench/run_fhir.sh runs
// it). The expressions are not typed here: each (type, code) pair is looked up in the R4 model
// tables, and evaluated, compiled once, on every resource of a 1,000-resource set built from the
// official examples of the types involved (cycled when there are fewer).
//
//   build/bench/fhirpath/fhirpath_bench [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "tests/test_paths.h"

namespace {

namespace fp = hearth::fhir::fhirpath;
using Clock = std::chrono::steady_clock;

// The search parameters behind the most common queries of patient-facing and clinical apps
// (patient lookup, observations by code/date/subject, encounters and conditions of a patient),
// plus the two every type has.
constexpr std::pair<const char*, const char*> kParams[] = {
    {"Patient", "name"},        {"Patient", "family"},          {"Patient", "given"},
    {"Patient", "identifier"},  {"Patient", "birthdate"},       {"Patient", "gender"},
    {"Patient", "address"},     {"Patient", "telecom"},         {"Observation", "code"},
    {"Observation", "subject"}, {"Observation", "patient"},     {"Observation", "date"},
    {"Observation", "status"},  {"Observation", "category"},    {"Observation", "value-quantity"},
    {"Encounter", "date"},      {"Encounter", "patient"},       {"Condition", "code"},
    {"Patient", "_id"},         {"Observation", "_lastUpdated"}};

struct Compiled {
  std::string type, code;
  fp::Expression expression;
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  std::vector<Compiled> compiled;
  std::map<std::string, std::vector<std::unique_ptr<hearth::fhir::JsonDocument>>> by_type;
  for (const auto& [type, code] : kParams) {
    const hearth::fhir::SearchParamDef* param = hearth::fhir::find_search_param(type, code);
    if (param == nullptr) return std::fprintf(stderr, "no search parameter %s.%s\n", type, code), 1;
    auto expression = fp::compile(param->expression);
    if (!expression.is_ok()) {
      return std::fprintf(stderr, "%s.%s: %s\n", type, code, expression.status().message().c_str()),
             1;
    }
    compiled.push_back(Compiled{type, code, std::move(expression).value()});
    by_type[type];
  }

  // The resource set: official examples of the types above, cycled up to 1,000 in all.
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(hearth::test::fhir_package_dir()))
    files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::string name = path.filename().string();
    std::string type = name.substr(0, name.find('-'));
    auto slot = by_type.find(type);
    if (slot == by_type.end() || path.extension() != ".json") continue;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = hearth::fhir::parse_json(text.str());
    if (!doc.is_ok() || !doc->IsObject() || !doc->HasMember("resourceType") ||
        std::string((*doc)["resourceType"].GetString()) != type) {
      continue;
    }
    slot->second.push_back(std::make_unique<hearth::fhir::JsonDocument>(std::move(doc).value()));
  }
  std::vector<std::pair<std::string, const hearth::fhir::JsonValue*>> originals;
  for (const auto& [type, docs] : by_type) {
    for (const auto& doc : docs) originals.emplace_back(type, doc.get());
  }
  if (originals.empty()) return std::fprintf(stderr, "no examples found\n"), 1;
  std::vector<std::pair<std::string, const hearth::fhir::JsonValue*>> set;
  while (set.size() < 1000) set.push_back(originals[set.size() % originals.size()]);

  fp::EvalOptions options;
  options.now_micros = 1'800'000'000'000'000;
  std::size_t evaluations = 0, items = 0;
  double best = 1e30;
  for (int round = 0; round < rounds; ++round) {
    evaluations = 0;
    items = 0;
    auto start = Clock::now();
    for (const auto& [type, resource] : set) {
      for (const Compiled& c : compiled) {
        if (c.type != type) continue;
        auto result = fp::evaluate(c.expression, *resource, options);
        if (!result.is_ok()) {
          std::fprintf(stderr, "%s.%s failed: %s\n", c.type.c_str(), c.code.c_str(),
                       result.status().message().c_str());
          return 1;
        }
        items += result->size();
        ++evaluations;
      }
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::printf(
      "FHIRPath: %zu search expressions over %zu resources (%zu distinct official "
      "examples of %zu types)\n",
      compiled.size(), set.size(), originals.size(), by_type.size());
  std::printf("  %zu evaluations per round, %zu items returned; best of %d rounds: %.3f s\n",
              evaluations, items, rounds, best);
  std::printf("  %.0f evaluations/s (%.2f us each), one thread\n", evaluations / best,
              1e6 * best / evaluations);
  return 0;
}
