// Every SearchParameter.expression of R4 compiles, and evaluates without error on every official
// example of each of its base resource types in the package (Resource/DomainResource parameters
// on the Patient examples). Prints the counts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/fhirpath/path_walk.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "official_examples.h"
#include "tests/test_paths.h"

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

// Do `a` and `b` name the same document node, typed alike?
bool same_node(const Item& a, const Item& b) {
  return a.kind == b.kind && a.json == b.json && a.json_ext == b.json_ext && a.type == b.type &&
         a.owner == b.owner && a.element == b.element && a.name == b.name && a.parent == b.parent;
}

// The search index's resolve(): an empty resource of the type a reference names.
EvalOptions stub_resolver(std::map<std::string, JsonDocument, std::less<>>& stubs) {
  EvalOptions options;
  options.resolver = [&stubs](std::string_view ref) -> const JsonValue* {
    std::string_view type = ref.substr(0, ref.find('/'));
    if (type.size() == ref.size() || !is_resource_type(type)) return nullptr;
    auto it = stubs.find(type);
    if (it == stubs.end()) {
      JsonDocument d;
      d.Parse(("{\"resourceType\":\"" + std::string(type) + "\"}").c_str());
      it = stubs.emplace(std::string(type), std::move(d)).first;
    }
    return &it->second;
  };
  return options;
}

// The path walk (fhirpath/path_walk.h) of every expression in its subset, compiled with and
// without the resource type, gives what evaluate() gives on every official example of the
// parameter's base types: the same nodes in the same
// order for one branch; for a union, the evaluated items in order among the walked ones (the
// walk keeps what the union drops as equal to an earlier item). Errors alike.
TEST_CASE("the path walk of R4 SearchParameter expressions agrees with evaluate()") {
  auto examples = load_examples();
  std::map<std::string, JsonDocument, std::less<>> stubs;
  const EvalOptions options = stub_resolver(stubs);
  int expressions = 0, walkable = 0, unions = 0, walks = 0, non_empty = 0, kept_extra = 0;
  for (const SearchParamDef& p : search_params()) {
    if (p.expression.empty()) continue;
    auto expr = compile(p.expression);
    if (!expr.is_ok()) continue;
    ++expressions;
    std::optional<PathWalk> walk = compile_path_walk(*expr);
    if (!walk) continue;
    ++walkable;
    if (walk->branches().size() > 1) ++unions;
    for (std::string_view base : p.base) {
      std::string_view type = is_resource_type(base) ? base : std::string_view("Patient");
      auto it = examples.find(type);
      if (it == examples.end()) continue;
      // Walked as the search index does: knowing the resource type (the expected elements).
      std::optional<PathWalk> typed = compile_path_walk(*expr, find_type(type));
      REQUIRE(typed.has_value());
      for (const auto& doc : it->second) {
        auto evaluated = evaluate(*expr, *doc, options);
        Collection walked, untyped;
        Status st = typed->walk(*doc, options, walked);
        Status st_untyped = walk->walk(*doc, options, untyped);
        ++walks;
        REQUIRE(st.is_ok() == st_untyped.is_ok());
        CHECK(std::equal(walked.begin(), walked.end(), untyped.begin(), untyped.end(), same_node));
        REQUIRE_MESSAGE(st.is_ok() == evaluated.is_ok(), std::string(p.id));
        if (!st.is_ok()) continue;
        if (!walked.empty()) ++non_empty;
        if (walk->branches().size() == 1) {
          const bool same = std::equal(walked.begin(), walked.end(), evaluated->begin(),
                                       evaluated->end(), same_node);
          CHECK_MESSAGE(same, std::string(p.id) << " on " << std::string(type));
          continue;
        }
        std::size_t next = 0;
        for (const Item& w : walked) {
          if (next < evaluated->size() && same_node(w, (*evaluated)[next])) ++next;
        }
        CHECK_MESSAGE(next == evaluated->size(), std::string(p.id) << " on " << std::string(type));
        kept_extra += static_cast<int>(walked.size() - evaluated->size());
      }
    }
  }
  std::printf(
      "fhirpath path walk: %d of %d search parameter expressions walkable (%d unions); %d walks "
      "(%d non-empty) agree with evaluate(); %d items a union drops kept by the walk\n",
      walkable, expressions, unions, walks, non_empty, kept_extra);
  CHECK(walkable * 10 > expressions * 8);
  CHECK(non_empty > testing::at_least(10000));
}

TEST_CASE("compile_path_walk: plain paths only") {
  auto walkable = [](std::string_view text) {
    auto e = compile(text);
    REQUIRE(e.is_ok());
    return compile_path_walk(*e).has_value();
  };
  CHECK(walkable("Observation.code"));
  CHECK(walkable("(Observation.value as Quantity) | (Observation.value as SampledData)"));
  CHECK(walkable("Observation.subject.where(resolve() is Patient)"));
  CHECK(walkable("Bundle.entry[0].resource") == false);
  CHECK(walkable("Patient.name.where(use = 'official')") == false);
  CHECK(walkable("Observation.value.as(Quantity)"));
  CHECK(walkable("Observation.value.as(Quantity).first()") == false);
  CHECK(walkable("(Observation.code | Observation.category).coding") == false);
  CHECK(walkable("Patient.extension('http://x').value"));
  CHECK(walkable("Patient.extension(%url)") == false);
  CHECK(walkable("Patient.extension('http://a' + 'b')") == false);
  {
    // extension('url') keeps the extensions with that url, as the evaluator does, on the
    // resource and under an element; nothing where none has it.
    auto doc = parse_json(R"({"resourceType":"Patient","extension":[
        {"url":"http://a","valueString":"1"},{"url":"http://b","valueString":"2"},
        {"url":"http://a","valueString":"3"},{"valueString":"no url"}],
        "name":[{"family":"F","extension":[{"url":"http://a","valueCode":"x"}]}]})");
    REQUIRE(doc.is_ok());
    for (std::string_view text :
         {"Patient.extension('http://a').value", "Patient.extension('http://b')",
          "Patient.extension('http://none')", "Patient.name.extension('http://a').value",
          "Patient.extension('http://a').value | Patient.name.extension('http://a').value"}) {
      auto expr = compile(text);
      REQUIRE(expr.is_ok());
      Collection walked;
      REQUIRE(compile_path_walk(*expr)->walk(*doc, {}, walked).is_ok());
      auto evaluated = evaluate(*expr, *doc);
      REQUIRE(evaluated.is_ok());
      REQUIRE_MESSAGE(walked.size() == evaluated->size(), text);
      for (std::size_t i = 0; i < walked.size(); ++i) CHECK(walked[i].json == (*evaluated)[i].json);
    }
    auto a = compile("Patient.extension('http://a').value");
    REQUIRE(a.is_ok());
    Collection values;
    REQUIRE(compile_path_walk(*a)->walk(*doc, {}, values).is_ok());
    REQUIRE(values.size() == 2);
    CHECK(json_string(*values[0].json) == "1");
    CHECK(json_string(*values[1].json) == "3");
  }
  // A choice element's JSON name fails the walk as it fails the evaluation.
  auto e = compile("Observation.valueQuantity");
  REQUIRE(e.is_ok());
  auto doc = parse_json(R"({"resourceType":"Observation","valueQuantity":{"value":1}})");
  REQUIRE(doc.is_ok());
  Collection out;
  CHECK_FALSE(compile_path_walk(*e)->walk(*doc, {}, out).is_ok());
  CHECK_FALSE(evaluate(*e, *doc).is_ok());
  // as() on several items fails both ways too.
  auto as = compile("Observation.component.value.as(Quantity)");
  REQUIRE(as.is_ok());
  auto two = parse_json(R"({"resourceType":"Observation","component":[
      {"code":{"text":"a"},"valueQuantity":{"value":1}},
      {"code":{"text":"b"},"valueQuantity":{"value":2}}]})");
  REQUIRE(two.is_ok());
  out.clear();
  CHECK_FALSE(compile_path_walk(*as)->walk(*two, {}, out).is_ok());
  CHECK_FALSE(evaluate(*as, *two).is_ok());
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
  auto doc = parse_json(read_file(std::filesystem::path(hearth::test::fhir_package_dir()) / file));
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
