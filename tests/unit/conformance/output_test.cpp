// The renderings of a run: TestReport (a valid R4 resource), JUnit XML (well-formed, counts
// right, parsed with libxml2), the text summary, and the `conformance run` command's exit codes
// and files.
#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "conformance/conformance_command.h"
#include "conformance/junit.h"
#include "conformance/operation.h"
#include "conformance/summary.h"
#include "conformance/test_report.h"
#include "fake_transport.h"
#include "fhir/validate.h"

namespace hearth::conformance {
namespace {

using testing::FakeTransport;
using testing::json_response;

constexpr const char* kScript =
    R"({"resourceType":"TestScript","id":"mixed","name":"Mixed <&> \"quotes\"","status":"active",
  "test":[
    {"name":"passes","action":[{"operation":{"type":{"code":"capabilities"}}},{"assert":{"response":"okay"}}]},
    {"name":"fails","action":[{"operation":{"type":{"code":"capabilities"}}},{"assert":{"label":"want-404","response":"notFound"}}]},
    {"name":"skips","action":[{"operation":{"type":{"code":"capabilities"}}},{"assert":{"path":"fhir:CapabilityStatement/fhir:rest[1]/@mode","value":"server"}}]}]})";

FakeTransport ok_server() {
  return FakeTransport([](const HttpRequest&) -> Result<HttpResponse> {
    return json_response(200, R"({"resourceType":"CapabilityStatement","note":"<b>&</b>\u0001"})");
  });
}

ScriptResult mixed_result() {
  FakeTransport server = ok_server();
  return testing::run_script(server, kScript);
}

int count_elements(xmlNode* node, const char* name) {
  int n = 0;
  for (xmlNode* c = node; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name)) ++n;
    n += count_elements(c->children, name);
  }
  return n;
}

TEST_CASE("the TestReport is a valid R4 TestReport with one action per operation and assert") {
  ScriptResult r = mixed_result();
  std::string json = test_report_json(r);
  auto doc = fhir::parse_json(json);
  REQUIRE(doc);
  Status valid = fhir::validate_resource(*doc, "TestReport");
  CHECK_MESSAGE(valid.is_ok(), valid.message());
  CHECK(json.find(R"("result": "fail")") != std::string::npos);
  CHECK(json.find(R"("reference": "TestScript/mixed")") != std::string::npos);
  CHECK(json.find(R"("score": 33.3)") != std::string::npos);
  CHECK((*doc)["test"].Size() == 3);
  CHECK((*doc)["test"][1]["action"][1]["assert"]["result"] == "fail");
  CHECK((*doc)["test"][2]["action"][1]["assert"]["result"] == "skip");

  ScriptResult load;
  load.name = "broken";
  load.load_error = "cannot read 'x.json'";
  auto broken = fhir::parse_json(test_report_json(load));
  REQUIRE(broken);
  CHECK(fhir::validate_resource(*broken, "TestReport").is_ok());
  CHECK((*broken)["setup"]["action"][0]["operation"]["result"] == "error");
}

TEST_CASE("JUnit XML parses with libxml2 and counts tests, failures and skips") {
  ScriptResult r = mixed_result();
  ScriptResult load;
  load.name = "broken";
  load.load_error = "cannot read 'x.json' <bad>";
  std::string xml = junit_xml({r, load});
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr,
                              XML_PARSE_NONET);
  REQUIRE(doc != nullptr);
  xmlNode* root = xmlDocGetRootElement(doc);
  REQUIRE(root != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(root->name)) == "testsuites");
  CHECK(count_elements(root, "testsuite") == 2);
  CHECK(count_elements(root, "testcase") == 4);
  CHECK(count_elements(root, "failure") == 2);
  CHECK(count_elements(root, "skipped") == 1);
  xmlNode* suite = root->children;
  while (suite != nullptr && suite->type != XML_ELEMENT_NODE) suite = suite->next;
  REQUIRE(suite != nullptr);
  xmlChar* name = xmlGetProp(suite, BAD_CAST "name");
  CHECK(std::string(reinterpret_cast<const char*>(name)) == "Mixed <&> \"quotes\"");
  xmlFree(name);
  xmlChar* failures = xmlGetProp(suite, BAD_CAST "failures");
  CHECK(std::string(reinterpret_cast<const char*>(failures)) == "1");
  xmlFree(failures);
  xmlFreeDoc(doc);
}

TEST_CASE("the summary lists each script's counts and each failing assertion with its request") {
  ScriptResult r = mixed_result();
  std::ostringstream out;
  write_summary(out, {r});
  std::string text = out.str();
  CHECK(text.find("PASSED  FAILED  SKIPPED") != std::string::npos);
  CHECK(text.find("want-404") != std::string::npos);
  CHECK(text.find("request:  GET http://fhir.test/base/metadata -> 200") != std::string::npos);
  CHECK(text.find("response: {\"resourceType\":\"CapabilityStatement\"") != std::string::npos);
  CHECK(text.find("1 script(s), 3 test(s): 1 passed, 1 failed, 1 skipped; 3 assertion(s)") !=
        std::string::npos);
  std::ostringstream progress;
  write_progress(progress, r, r.tests[1]);
  CHECK(progress.str().find("FAIL") != std::string::npos);
}

struct TempDir {
  TempDir() : path(std::filesystem::temp_directory_path() / "hearth-conformance-cmd") {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path / "suite");
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

TEST_CASE(
    "conformance run: exit codes, TestReports, junit, fixtures in a directory are not scripts") {
  TempDir dir;
  std::ofstream(dir.path / "suite" / "a-pass.json")
      << R"({"resourceType":"TestScript","id":"a","name":"A","status":"active","test":[{"name":"t","action":[{"operation":{"type":{"code":"capabilities"}}},{"assert":{"response":"okay"}}]}]})";
  std::ofstream(dir.path / "suite" / "fixture.json") << R"({"resourceType":"Patient","id":"p"})";
  FakeTransport server = ok_server();
  CommandOptions options;
  options.server = testing::kBase;
  options.paths = {(dir.path / "suite").string()};
  options.out_dir = (dir.path / "out").string();
  options.format = "junit";
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_conformance(options, server, out, err) == 0);
  CHECK(out.str().find("1 script(s), 1 test(s): 1 passed") != std::string::npos);
  CHECK(std::filesystem::exists(dir.path / "out" / "a.testreport.json"));
  CHECK(std::filesystem::exists(dir.path / "out" / "junit.xml"));

  std::ofstream(dir.path / "suite" / "b-fail.json") << kScript;
  std::ostringstream out2;
  CHECK(run_conformance(options, server, out2, err) == 1);
  CHECK(std::filesystem::exists(dir.path / "out" / "mixed.testreport.json"));

  options.vars = {"novalue"};
  CHECK(run_conformance(options, server, out2, err) == 2);
  options.vars = {};
  options.server = "ftp://x";
  CHECK(run_conformance(options, server, out2, err) == 2);
  options.server = testing::kBase;
  options.paths = {(dir.path / "missing").string()};
  CHECK(run_conformance(options, server, out2, err) == 2);

  // junit without --out goes to stdout, the progress to stderr.
  options.paths = {(dir.path / "suite" / "a-pass.json").string()};
  options.out_dir.clear();
  std::ostringstream xml_out;
  std::ostringstream progress;
  CHECK(run_conformance(options, server, xml_out, progress) == 0);
  CHECK(xml_out.str().rfind("<?xml", 0) == 0);
  CHECK(progress.str().find("PASS") != std::string::npos);
}

}  // namespace
}  // namespace hearth::conformance

namespace hearth::conformance {
namespace {

TEST_CASE("a binary response keeps the TestReport valid JSON and the JUnit XML well-formed") {
  FakeTransport server([](const HttpRequest&) -> Result<HttpResponse> {
    using namespace std::string_literals;
    std::string body = "\xff\xfe\x00\x01 binary \xed\xa0\x80 \xc3"s;
    body += std::string(400, 'x') + "\xe2\x82\xac";  // the cut lands inside the euro sign
    return HttpResponse{
        .status = 500, .headers = {{"Content-Type", "application/octet-stream"}}, .body = body};
  });
  ScriptResult r = testing::run_script(server, kScript);
  std::string json = test_report_json(r);
  CHECK(fhir::parse_json(json).is_ok());
  std::string xml = junit_xml({r});
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr,
                              XML_PARSE_NONET);
  CHECK(doc != nullptr);
  if (doc != nullptr) xmlFreeDoc(doc);
  CHECK(excerpt(std::string(299, 'a') + "\xe2\x82\xac", 300) ==
        std::string(299, 'a') + "... (302 bytes)");
}

}  // namespace
}  // namespace hearth::conformance
