// `hearth hl7 parse`: the text tree and the JSON view of corpus files, batches, and malformed
// or missing input (exit 1, the parser's error and location on stderr).
#include "server/cli/hl7_parse_command.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/test_paths.h"

namespace hearth::server {
namespace {

std::string corpus(const std::string& name) {
  return hearth::test::source_dir() + "/tests/data/corpus/hl7v2/" + name;
}

struct Run {
  int code = -1;
  std::string out, err;
};

Run parse(const std::string& path, bool json = false) {
  std::ostringstream out, err;
  Run run;
  run.code = run_hl7_parse(Hl7ParseOptions{.path = path, .json = json}, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST_CASE("hl7 parse prints an indented tree of the non-empty values") {
  Run run = parse(corpus("rethinkhealth-hl7v2/edge-field-repetitions.hl7"));
  CHECK(run.code == 0);
  CHECK(run.err.empty());
  CHECK(run.out.starts_with("MSH\n  MSH-1  |\n  MSH-2  ^~\\&\n  MSH-3  SENDER\n"));
  CHECK(run.out.find("  MSH-9\n    MSH-9.1  ADT\n    MSH-9.2  A01\n  MSH-10  MSG004\n") !=
        std::string::npos);
  CHECK(run.out.find("PID\n  PID-1  1\n  PID-3\n    PID-3.1  10001\n    PID-3.4  MRN\n") !=
        std::string::npos);
  CHECK(run.out.find("  PID-13[1]  555-0001\n") != std::string::npos);
  CHECK(run.out.find("  PID-13[12]  555-0012\n") != std::string::npos);
  CHECK(run.out.find("PID-3.2") == std::string::npos);  // empty components are skipped
}

TEST_CASE("hl7 parse --json prints the API's view; a batch gives one entry per message") {
  const std::string path = corpus("rethinkhealth-hl7v2/edge-field-repetitions.hl7");
  Run run = parse(path, true);
  REQUIRE(run.code == 0);
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto message = hl7::Message::parse(std::string_view(text));
  REQUIRE(message.is_ok());
  const hl7::MessageView view = hl7::view_of(*message);
  CHECK(run.out ==
        api::pretty_json([&](api::PrettyJsonWriter& w) { api::write_hl7_view(w, view); }));

  const std::string batch = corpus("cdc-data-exchange-hl7/batch-no-headers-two-MSH.hl7");
  Run tree = parse(batch);
  CHECK(tree.code == 0);
  CHECK(tree.out.starts_with("# message 1 of 2\nMSH\n"));
  CHECK(tree.out.find("\n\n# message 2 of 2\nMSH\n") != std::string::npos);
  CHECK(tree.out.find("OBX[34]\n") != std::string::npos);
  Run json = parse(batch, true);
  CHECK(json.code == 0);
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsArray());
  CHECK(doc.Size() == 2);
  CHECK(doc[1]["segments"][0]["name"] == "MSH");
}

TEST_CASE("hl7 parse continues a decoded line break under its label") {
  const std::string path =
      (std::filesystem::temp_directory_path() / "hearth_hl7_parse_test_br.hl7").string();
  {
    std::ofstream file(path, std::ios::binary);
    file << "MSH|^~\\&|A||B||||ORU^R01|1|P|2.5\nNTE|1||one\\.br\\two\n";  // LF line ends
  }
  Run run = parse(path);
  std::remove(path.c_str());
  CHECK(run.code == 0);
  CHECK(run.out.find("NTE\n  NTE-1  1\n  NTE-3  one\n    two\n") != std::string::npos);
}

TEST_CASE("hl7 parse: malformed or missing input exits 1 with the error on stderr") {
  Run no_msh = parse(corpus("python-hl7/malformed-batch-no-MSH.hl7"));
  CHECK(no_msh.code == 1);
  CHECK(no_msh.out.empty());
  CHECK(no_msh.err.find("code 100 Segment sequence error, at EVN[2]") != std::string::npos);
  Run delimiters = parse(corpus("cdc-data-exchange-hl7/ORU_R01-lyme-bad-delimiters.hl7"), true);
  CHECK(delimiters.code == 1);
  CHECK(delimiters.out.empty());
  CHECK(delimiters.err.find("code 102 Data type error, at MSH[1]-2") != std::string::npos);
  Run missing = parse("/nonexistent/hearth.hl7");
  CHECK(missing.code == 1);
  CHECK(missing.err.find("cannot open") != std::string::npos);
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {
namespace {

Run parse_fhir(const std::string& path) {
  std::ostringstream out, err;
  Run run;
  run.code = run_hl7_parse(Hl7ParseOptions{.path = path, .json = false, .fhir = true}, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST_CASE("hl7 parse --fhir prints the transaction Bundle the ingest would write") {
  Run run = parse_fhir(corpus("fhir-converter/SIU-S12-01.hl7"));
  INFO(run.err);
  rapidjson::Document bundle;
  bundle.Parse(run.out.c_str());
  REQUIRE_FALSE(bundle.HasParseError());
  CHECK(std::string(bundle["type"].GetString()) == "transaction");
  bool appointment = false;
  for (const auto& entry : bundle["entry"].GetArray()) {
    const auto& resource = entry["resource"];
    if (std::string(resource["resourceType"].GetString()) != "Appointment") continue;
    appointment = true;
    // SCH-11.4 / .5 (TQ[Appointment]); the status from the event (S12, SCH-25 empty).
    CHECK(std::string(resource["start"].GetString()) == "2020-10-01T11:26:00+02:15");
    CHECK(std::string(resource["status"].GetString()) == "booked");
  }
  CHECK(appointment);
  CHECK(run.err.find("set to") != std::string::npos);  // the repairs are listed
  CHECK(run.code == 0);
}

TEST_CASE("hl7 parse --fhir names a refusal and exits 1") {
  Run run = parse_fhir(corpus("google-whistle/oru_r01_ex1.hl7"));
  CHECK(run.code == 1);
  CHECK(run.err.find("refused: ") != std::string::npos);
}

}  // namespace
}  // namespace hearth::server
