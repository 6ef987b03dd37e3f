// The official patch test cases for R4 (fhir-test-cases r4/patch/), read as they are:
// json-patch-tests.json (RFC 6902 cases: doc, patch, then expected or error) through
// apply_json_patch, and fhir-patch-tests.xml (FHIRPath Patch cases: input resource, diff
// Parameters, then output or error, all in FHIR XML turned into JSON by fhir/xml) through
// apply_fhirpath_patch. Outputs are compared as semantic JSON; an expected error must be an
// error. A narrative div is XHTML in a JSON string, and FHIR XML -> JSON can spell the same XHTML
// in several ways (`"` or `&quot;` in text), so divs are compared after one re-serialisation.
// Prints "json patch suite: P passed of A applicable, E excluded" and the same for FHIRPath
// Patch; with HEARTH_PATCH_VERBOSE set it lists each failure. Fails below 100% of applicable.
#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "fhir/patch/fhirpath_patch.h"
#include "fhir/patch/json_equal.h"
#include "fhir/patch/json_patch.h"
#include "fhir/xml/xhtml_text.h"
#include "fhir/xml/xml_reader.h"
#include "fhir/xml/xml_tree.h"
#include "tests/test_paths.h"

namespace hearth::fhir::patch {
namespace {

const std::string kSuiteDir = hearth::test::source_dir() + "/tests/data/fhir-test-cases/r4/patch/";

// Cases that are not run, each with its reason (a case name of either file). Empty: every case
// of both files applies and passes.
struct Excluded {
  std::string_view name;
  std::string_view reason;
};
constexpr std::array<Excluded, 0> kExcluded{};

const Excluded* excluded(std::string_view name) {
  for (const Excluded& e : kExcluded) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Counts {
  int passed = 0;
  int applicable = 0;
  int excluded = 0;
};

void report(const char* suite, const Counts& c) {
  std::printf("%s: %d passed of %d applicable, %d excluded\n", suite, c.passed, c.applicable,
              c.excluded);
  CHECK(c.applicable > 0);
  CHECK(c.passed == c.applicable);
}

bool verbose() {
  return std::getenv("HEARTH_PATCH_VERBOSE") != nullptr;
}

// Rewrites every narrative div (a string member "div") the way the XML reader writes one.
void normalise_divs(JsonValue& value, JsonAllocator& alloc) {
  if (value.IsArray()) {
    for (JsonValue& e : value.GetArray()) normalise_divs(e, alloc);
    return;
  }
  if (!value.IsObject()) return;
  for (auto& m : value.GetObject()) {
    if (std::string_view(m.name.GetString()) == "div" && is_json_string(m.value)) {
      auto tree = detail::parse_xml_tree(json_string(m.value));
      if (!tree.is_ok()) continue;
      std::string text;
      detail::append_xhtml(xmlDocGetRootElement(tree->get()), text);
      m.value = make_json_string(text, alloc);
    } else {
      normalise_divs(m.value, alloc);
    }
  }
}

// Runs one case: `ok` from the patch, the patched document, and what the case expects.
bool judge(const std::string& name, const Status& applied, const JsonValue& result,
           const JsonValue* expected, bool expects_error) {
  bool pass = expects_error
                  ? !applied.is_ok()
                  : applied.is_ok() && expected != nullptr && json_equal(result, *expected);
  if (!pass && verbose()) {
    std::printf("FAIL %s: %s\n    got %s\n", name.c_str(),
                applied.is_ok() ? "applied" : applied.message().c_str(),
                write_json(result).c_str());
  }
  return pass;
}

TEST_CASE("official JSON Patch cases (r4/patch/json-patch-tests.json)") {
  auto suite = parse_json(read_file(kSuiteDir + "json-patch-tests.json"));
  REQUIRE(suite.is_ok());
  REQUIRE(suite->IsArray());
  Counts counts;
  for (const JsonValue& c : suite->GetArray()) {
    std::string name = c.HasMember("comment") ? std::string(json_string(c["comment"])) : "?";
    if (excluded(name) != nullptr) {
      ++counts.excluded;
      continue;
    }
    ++counts.applicable;
    JsonDocument doc;
    doc.CopyFrom(c["doc"], doc.GetAllocator());
    Status applied = apply_json_patch(c["patch"], doc);
    const JsonValue* expected = c.HasMember("expected") ? &c["expected"] : nullptr;
    if (judge(name, applied, doc, expected, c.HasMember("error"))) ++counts.passed;
  }
  report("json patch suite", counts);
  CHECK(counts.applicable == 16);
}

// The FHIR XML of the first element child of `holder`, as FHIR JSON (nullptr when absent).
std::unique_ptr<JsonDocument> resource_in(xmlDoc* doc, xmlNode* holder) {
  for (xmlNode* n = holder->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    xmlBuffer* buffer = xmlBufferCreate();
    xmlNodeDump(buffer, doc, n, 0, 0);
    std::string xml(reinterpret_cast<const char*>(xmlBufferContent(buffer)),
                    static_cast<std::size_t>(xmlBufferLength(buffer)));
    xmlBufferFree(buffer);
    auto parsed = parse_xml_resource(xml);
    REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
    return std::make_unique<JsonDocument>(std::move(*parsed));
  }
  return nullptr;
}

bool is(xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE &&
         xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

TEST_CASE("official FHIRPath Patch cases (r4/patch/fhir-patch-tests.xml)") {
  std::string xml = read_file(kSuiteDir + "fhir-patch-tests.xml");
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "patch.xml", nullptr,
                              XML_PARSE_NONET);
  REQUIRE(doc != nullptr);
  Counts counts;
  for (xmlNode* c = xmlDocGetRootElement(doc)->children; c != nullptr; c = c->next) {
    if (!is(c, "case")) continue;
    xmlChar* attr = xmlGetProp(c, reinterpret_cast<const xmlChar*>("name"));
    std::string name(attr != nullptr ? reinterpret_cast<const char*>(attr) : "?");
    xmlFree(attr);
    if (excluded(name) != nullptr) {
      ++counts.excluded;
      continue;
    }
    std::unique_ptr<JsonDocument> input, diff, output;
    bool expects_error = false;
    for (xmlNode* part = c->children; part != nullptr; part = part->next) {
      if (is(part, "input")) input = resource_in(doc, part);
      if (is(part, "diff")) diff = resource_in(doc, part);
      if (is(part, "output")) output = resource_in(doc, part);
      if (is(part, "error")) expects_error = true;
    }
    REQUIRE_MESSAGE((input != nullptr && diff != nullptr), name);
    ++counts.applicable;
    Status applied = apply_fhirpath_patch(*diff, *input);
    normalise_divs(*input, input->GetAllocator());
    if (output != nullptr) normalise_divs(*output, output->GetAllocator());
    if (judge(name, applied, *input, output.get(), expects_error)) ++counts.passed;
  }
  xmlFreeDoc(doc);
  report("fhirpath patch suite", counts);
  CHECK(counts.applicable == 33);
}

}  // namespace
}  // namespace hearth::fhir::patch
