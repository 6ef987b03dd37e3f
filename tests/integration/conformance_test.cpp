// `hearth conformance run` end to end: the bundled suites (conformance/suites/) and the official
// R4 update example against a real Hearth, and a run against a port that does not speak HTTP.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.h"

using hearth::testing::run_hearth;
using hearth::testing::ServerProcess;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the bundled conformance suites pass against Hearth") {
  ServerProcess server;
  std::filesystem::path out = std::filesystem::temp_directory_path() /
                              ("hearth-conformance-it-" + std::to_string(server.port()));
  auto result = run_hearth({"conformance", "run", "--server", server.base_url(), "--out", out.string(),
                            "--format", "junit", std::string(HEARTH_SOURCE_DIR) + "/conformance/suites"});
  INFO(result.out);
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find(" 0 failed, 0 skipped") != std::string::npos);
  std::string report = read_file(out / "hearth-patient-crud.testreport.json");
  CHECK(report.find(R"("resourceType": "TestReport")") != std::string::npos);
  CHECK(report.find(R"("result": "pass")") != std::string::npos);
  std::string junit = read_file(out / "junit.xml");
  CHECK(junit.find("<testsuites>") != std::string::npos);
  CHECK(junit.find("<failure") == std::string::npos);
  std::filesystem::remove_all(out);
}

TEST_CASE("the official R4 TestScript update example passes against Hearth") {
  ServerProcess server;
  auto result = run_hearth({"conformance", "run", "--server", server.base_url(),
                            std::string(HEARTH_FHIR_PACKAGE_DIR) + "/TestScript-testscript-example-update.json"});
  INFO(result.out);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("1 test(s): 1 passed") != std::string::npos);
}

TEST_CASE("a run against an endpoint that is not HTTP fails cleanly with a readable message") {
  ServerProcess server;
  REQUIRE(server.mllp_port() != 0);
  std::string not_http = "http://127.0.0.1:" + std::to_string(server.mllp_port()) + "/fhir";
  auto result = run_hearth({"conformance", "run", "--server", not_http, "--timeout", "2",
                            std::string(HEARTH_SOURCE_DIR) + "/conformance/suites/patient-crud.json"});
  INFO(result.out);
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("127.0.0.1:" + std::to_string(server.mllp_port())) != std::string::npos);
  CHECK(result.out.find("0 passed") != std::string::npos);
}
