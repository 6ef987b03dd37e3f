// Stored terminology resources read into the built-in shapes (fhir/terminology/
// stored_code_system.h, compose.h, stored_concept_map.h): the hierarchy and flags of a compiled
// CodeSystem, expansion over a custom source, each compile error with its path, and the bounds.
#include <doctest/doctest.h>

#include <string>

#include "fhir/terminology/compose.h"
#include "fhir/terminology/expansion.h"
#include "fhir/terminology/stored_code_system.h"
#include "fhir/terminology/stored_concept_map.h"

namespace hearth::fhir::terminology {
namespace {

JsonDocument parse(std::string_view text) {
  Result<JsonDocument> doc = parse_json(text);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  return std::move(doc).value();
}

// The path of the first issue of compiling `json` as a CodeSystem ("" when it compiles).
std::string code_system_error(std::string_view json) {
  JsonDocument doc = parse(json);
  auto r = compile_code_system(doc);
  if (r.is_ok()) return {};
  CHECK(r.status().code() == Code::kInvalidArgument);
  return r.status().issues()[0].expression;
}

std::string compose_error(std::string_view json) {
  JsonDocument doc = parse(json);
  auto r = read_compose(doc);
  if (r.is_ok()) return {};
  CHECK(r.status().code() == Code::kInvalidArgument);
  return r.status().issues()[0].expression;
}

// A source holding one stored code system and one stored value set.
class OneOfEach final : public TerminologySource {
 public:
  OneOfEach(const CodeSystem& cs, const Compose& vs) : cs_(cs), vs_(vs) {}
  const CodeSystem* code_system(std::string_view url) override {
    return url == cs_.url ? &cs_ : builtin_.code_system(url);
  }
  const Compose* value_set(std::string_view url) override {
    return url == vs_.url ? &vs_ : builtin_.value_set(url);
  }

 private:
  const CodeSystem& cs_;
  const Compose& vs_;
  BuiltinTerminology builtin_;
};

constexpr std::string_view kCs = R"({"resourceType":"CodeSystem","url":"http://x/cs|3",
  "version":"3","concept":[{"code":"a","display":"A","concept":[{"code":"b","concept":[
  {"code":"c","property":[{"code":"inactive","valueBoolean":true}]}]}]},
  {"code":"d","property":[{"code":"abstract","valueBoolean":true}]}]})";

TEST_CASE("a compiled CodeSystem: hierarchy, flags, lookup, expansion") {
  JsonDocument doc = parse(kCs);
  auto compiled = compile_code_system(doc);
  REQUIRE(compiled.is_ok());
  const CodeSystem& cs = (*compiled)->view();
  CHECK(cs.url == "http://x/cs");
  CHECK(cs.concepts.size() == 4);
  const Concept* a = find_concept(cs, "a");
  const Concept* c = find_concept(cs, "c");
  REQUIRE(a != nullptr);
  REQUIRE(c != nullptr);
  CHECK(display_of(cs, *a) == "A");
  CHECK(subsumes(cs, *a, *c) == Subsumption::kSubsumes);
  CHECK(code_of(cs, *parent_of(cs, *c)) == "b");
  CHECK((c->flags & kConceptInactive) != 0);
  CHECK((find_concept(cs, "d")->flags & kConceptNotSelectable) != 0);
  CHECK(find_concept(cs, "A") == nullptr);  // case-sensitive by default

  JsonDocument vs_doc = parse(R"({"resourceType":"ValueSet","url":"http://x/vs","compose":{
    "include":[{"system":"http://x/cs","filter":[{"property":"concept","op":"descendent-of",
    "value":"a"}]},{"system":"http://hl7.org/fhir/administrative-gender","concept":[
    {"code":"male"}]}],"exclude":[{"system":"http://x/cs","concept":[{"code":"b"}]}]}})");
  auto compose = read_compose(vs_doc);
  REQUIRE(compose.is_ok());
  OneOfEach source(cs, *compose);
  auto all = expand_all(*compose, source);
  REQUIRE(all.is_ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].code == "c");
  CHECK((*all)[0].version == "3");
  CHECK((*all)[1].code == "male");
  ExpandOptions active;
  active.active_only = true;
  CHECK(page_of(*all, active).total == 1);
}

TEST_CASE("compile and read errors name their path; the bounds hold") {
  CHECK(code_system_error(R"({"resourceType":"ValueSet"})") == "CodeSystem");
  CHECK(code_system_error(R"({"resourceType":"CodeSystem"})") == "CodeSystem.url");
  CHECK(code_system_error(R"({"resourceType":"CodeSystem","url":"u","concept":{}})") ==
        "CodeSystem.concept");
  CHECK(code_system_error(R"({"resourceType":"CodeSystem","url":"u","concept":[{"code":"a",
    "concept":[{"display":"x"}]}]})") == "CodeSystem.concept[0].concept[0].code");
  CHECK(code_system_error(R"({"resourceType":"CodeSystem","url":"u","concept":[{"code":"a"},
    {"code":"b","concept":[{"code":"a"}]}]})") == "CodeSystem.concept[1].concept[0].code");
  CHECK(code_system_error(R"({"resourceType":"CodeSystem","url":"u","caseSensitive":false,
    "concept":[{"code":"a"},{"code":"A"}]})") == "CodeSystem.concept[1].code");
  std::string deep = R"({"resourceType":"CodeSystem","url":"u","concept":)";
  for (int i = 0; i <= kMaxConceptDepth; ++i)
    deep += R"([{"code":"c)" + std::to_string(i) + R"(","concept":)";
  deep += "[]";
  for (int i = 0; i <= kMaxConceptDepth; ++i) deep += "}]";
  deep += "}";
  CHECK(code_system_error(deep).find("CodeSystem.concept[0].concept[0]") == 0);
  std::string many = R"({"resourceType":"CodeSystem","url":"u","concept":[)";
  for (std::size_t i = 0; i <= kMaxStoredConcepts; ++i) {
    many += std::string(i ? "," : "") + R"({"code":"c)" + std::to_string(i) + R"("})";
  }
  many += "]}";
  CHECK(code_system_error(many) ==
        "CodeSystem.concept[" + std::to_string(kMaxStoredConcepts) + "]");

  CHECK(compose_error(R"({"resourceType":"ValueSet","url":"u"})") == "ValueSet.compose");
  CHECK(compose_error(R"({"resourceType":"ValueSet","compose":{"include":[{}]}})") ==
        "ValueSet.compose.include[0]");
  CHECK(compose_error(R"({"resourceType":"ValueSet","compose":{"include":[{"system":"s",
    "concept":[{"display":"d"}]}]}})") == "ValueSet.compose.include[0].concept[0].code");
  CHECK(compose_error(R"({"resourceType":"ValueSet","compose":{"exclude":[{"system":"s",
    "filter":[{"property":"concept","op":"="}]}]}})") ==
        "ValueSet.compose.exclude[0].filter[0].value");
  CHECK(compose_error(R"({"resourceType":"ValueSet","compose":{"include":[{
    "concept":[{"code":"a"}],"valueSet":["v"]}]}})") == "ValueSet.compose.include[0].system");

  JsonDocument map = parse(R"({"resourceType":"ConceptMap","group":[{"source":"s",
    "element":[{"target":[{"code":"x"}]}]}]})");
  auto cm = compile_concept_map(map);
  REQUIRE_FALSE(cm.is_ok());
  CHECK(cm.status().issues()[0].expression == "ConceptMap.group[0].element[0].code");
}

}  // namespace
}  // namespace hearth::fhir::terminology
