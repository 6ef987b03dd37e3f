// The official FHIRPath test suite for R4 (fhir-test-cases r4/fhirpath/tests-fhir-r4.xml, 935
// tests), read as it is with libxml2 and run through compile()/evaluate(). Prints
// "fhirpath suite: P passed, F failed, S skipped of N"; with HEARTH_FHIRPATH_VERBOSE set it
// lists each failure. Fails below 99% of all tests passing.
#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/fhirpath/decimal.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "tests/test_paths.h"

namespace hearth::fhir::fhirpath {
namespace {

const std::string kSuiteDir =
    hearth::test::source_dir() + "/tests/data/fhir-test-cases/r4/fhirpath/";

// Tests that cannot run, each with the reason from the suite's own data.
struct Skip {
  std::string_view test;
  std::string_view reason;
};
constexpr Skip kSkipped[] = {
    {"testCombine1", "input codesystem-example.xml is not in the suite directory"},
    {"testPrimitiveExtensions", "input patient-name-extensions.json is not in the suite directory"},
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One place that turns a suite input file into a JSON document: XML inputs through the FHIR XML
// reader (fhir/xml), JSON ones through the JSON parser. nullptr when the file is missing.
std::shared_ptr<JsonDocument> load_input(const std::string& file) {
  static std::map<std::string, std::shared_ptr<JsonDocument>> cache;
  auto it = cache.find(file);
  if (it != cache.end()) return it->second;
  std::shared_ptr<JsonDocument> doc;
  std::string text = read_file(kSuiteDir + file);
  if (!text.empty()) {
    auto parsed = file.ends_with(".xml") ? parse_xml_resource(text) : parse_json(text);
    if (parsed.is_ok()) doc = std::make_shared<JsonDocument>(std::move(*parsed));
  }
  cache[file] = doc;
  return doc;
}

std::string attr(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return {};
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}
std::string text(xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  std::string s(v != nullptr ? reinterpret_cast<const char*>(v) : "");
  xmlFree(v);
  return s;
}
bool is(xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE &&
         xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

struct Output {
  std::string type;
  std::string value;
};
struct TestCase {
  std::string name, input, expression, invalid, mode;
  bool predicate = false, ordered = true, check_ordered = false;
  std::vector<Output> outputs;
};

std::vector<TestCase> load_suite() {
  std::string xml = read_file(kSuiteDir + "tests-fhir-r4.xml");
  std::vector<TestCase> tests;
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "suite.xml", nullptr,
                              XML_PARSE_NONET);
  if (doc == nullptr) return tests;
  for (xmlNode* g = xmlDocGetRootElement(doc)->children; g != nullptr; g = g->next) {
    if (!is(g, "group")) continue;
    for (xmlNode* t = g->children; t != nullptr; t = t->next) {
      if (!is(t, "test")) continue;
      TestCase tc;
      tc.name = attr(t, "name");
      tc.input = attr(t, "inputfile");
      tc.mode = attr(t, "mode");
      tc.predicate = attr(t, "predicate") == "true";
      tc.ordered = attr(t, "ordered") != "false";
      tc.check_ordered = attr(t, "checkOrderedFunctions") == "true";
      for (xmlNode* c = t->children; c != nullptr; c = c->next) {
        if (is(c, "expression")) {
          tc.expression = text(c);
          tc.invalid = attr(c, "invalid");
          if (tc.mode.empty()) tc.mode = attr(c, "mode");
        } else if (is(c, "output")) {
          tc.outputs.push_back(Output{attr(c, "type"), text(c)});
        }
      }
      tests.push_back(std::move(tc));
    }
  }
  xmlFreeDoc(doc);
  return tests;
}

// The suite's type name for an item: FHIR types by name, System types in lower camel case.
std::string suite_type(const Item& item) {
  std::string name(type_name(item));
  if (type_namespace(item) == "System" && name != "Quantity") {
    name[0] = static_cast<char>(std::tolower(name[0]));
    if (name == "dateTime" || name == "date" || name == "time") return name;
  }
  return name;
}

bool same_value(const Output& want, const Item& got) {
  std::optional<std::string> g = to_string(got);
  if (!g) return false;
  std::string w = want.value;
  if (!w.empty() && w[0] == '@') w.erase(0, 1);
  if (got.kind == ItemKind::kTime && !w.empty() && w[0] == 'T') w.erase(0, 1);
  // Numbers compare by value (1 = 1.0); untyped outputs too when both sides are numbers.
  bool numbers = want.type.empty() && Decimal::parse(w) && Decimal::parse(*g);
  if (want.type == "decimal" || want.type == "integer" || numbers) {
    auto a = Decimal::parse(w);
    auto b = Decimal::parse(*g);
    return a && b && a->compare(*b) == 0;
  }
  if (want.type == "Quantity") {
    auto space_w = w.find(' ');
    auto space_g = g->find(' ');
    if (space_w == std::string::npos || space_g == std::string::npos) return w == *g;
    auto a = Decimal::parse(w.substr(0, space_w));
    auto b = Decimal::parse(g->substr(0, space_g));
    return a && b && a->compare(*b) == 0 && w.substr(space_w) == g->substr(space_g);
  }
  return w == *g;
}

bool same_output(const Output& want, const Item& got) {
  // Some outputs carry no type (lowBoundary, precision, comparable): only the value counts.
  if (!want.type.empty() && want.type != suite_type(got)) return false;
  return same_value(want, got);
}

std::string describe(const Collection& c) {
  std::string s = "[";
  for (const Item& i : c) {
    if (s.size() > 1) s += ", ";
    s += suite_type(i) + ":" + to_string(i).value_or("{...}");
  }
  return s + "]";
}

// Runs one test: "" when it passes, else what went wrong.
std::string run(const TestCase& tc) {
  auto expr = compile(tc.expression);
  if (!expr.is_ok()) {
    return tc.invalid.empty() ? "compile error: " + expr.status().message() : "";
  }
  EvalOptions options;
  options.strict = tc.mode == "strict";
  options.check_ordered_functions = tc.check_ordered;
  Result<Collection> result = Status(Code::kInternal, "not run");
  if (tc.input.empty()) {
    result = evaluate(*expr, options);
  } else {
    auto doc = load_input(tc.input);
    if (!doc) return "input not available";
    result = evaluate(*expr, *doc, options);
  }
  if (!tc.invalid.empty()) {
    return result.is_ok() ? "expected an error, got " + describe(*result) : "";
  }
  if (!result.is_ok()) return "error: " + result.status().message();
  Collection got = *result;
  if (tc.predicate) {
    bool b = !got.empty();
    if (got.size() == 1 && to_boolean(got[0])) b = *to_boolean(got[0]);
    Item i;
    i.kind = ItemKind::kBoolean;
    i.boolean = b;
    got = {i};
  }
  bool ok = got.size() == tc.outputs.size();
  if (ok && tc.ordered) {
    for (std::size_t i = 0; i < got.size() && ok; ++i) ok = same_output(tc.outputs[i], got[i]);
  } else if (ok) {
    std::vector<bool> used(got.size(), false);
    for (const Output& o : tc.outputs) {
      bool found = false;
      for (std::size_t i = 0; i < got.size() && !found; ++i) {
        if (!used[i] && same_output(o, got[i])) used[i] = found = true;
      }
      ok = ok && found;
    }
  }
  if (ok) return "";
  std::string want = "[";
  for (const Output& o : tc.outputs) want += (want.size() > 1 ? ", " : "") + o.type + ":" + o.value;
  return "expected " + want + "], got " + describe(got);
}

TEST_CASE("the official FHIRPath suite (R4) passes at >= 99%") {
  std::vector<TestCase> tests = load_suite();
  // 937 lines say "<test " but two are inside comments: the file holds 935 tests.
  REQUIRE(tests.size() == 935);
  bool verbose = std::getenv("HEARTH_FHIRPATH_VERBOSE") != nullptr;
  // HEARTH_FHIRPATH_ONLY=<test name> runs one test (the counts then cover only it).
  const char* only = std::getenv("HEARTH_FHIRPATH_ONLY");
  int passed = 0, failed = 0, skipped = 0;
  for (const TestCase& tc : tests) {
    if (only != nullptr && tc.name != only) continue;
    bool skip = false;
    for (const Skip& s : kSkipped) skip = skip || s.test == tc.name;
    if (skip) {
      ++skipped;
      continue;
    }
    std::string problem = run(tc);
    if (problem.empty()) {
      ++passed;
    } else {
      ++failed;
      if (verbose) {
        std::printf("FAIL %s: %s\n    %s\n", tc.name.c_str(), tc.expression.c_str(),
                    problem.c_str());
      }
    }
  }
  std::printf("fhirpath suite: %d passed, %d failed, %d skipped of %zu\n", passed, failed, skipped,
              tests.size());
  if (only == nullptr) CHECK(passed * 100 >= static_cast<int>(tests.size()) * 99);
}

}  // namespace
}  // namespace hearth::fhir::fhirpath
