// Outbound HL7 v2 end to end: a corpus ORU^R01 sent over MLLP to the real server, then its
// DiagnosticReport rendered back with GET /fhir/DiagnosticReport/[id]/$hl7v2; both messages read
// with Hearth's parser carry the same results. The identifiers are made unique per run, so a
// shared PostgreSQL database may hold earlier runs.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "harness.h"
#include "hl7/v2/message.h"
#include "mllp_harness.h"
#include "tests/test_paths.h"

namespace {

using hearth::testing::MllpClient;
using hearth::testing::msa;
using hearth::testing::ServerProcess;

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string text(const hearth::hl7::Message& m, const std::string& path) {
  auto value = m.get_text(path);
  return value.is_ok() ? *value : std::string();
}

TEST_CASE("outbound: an ORU^R01 over MLLP, then DiagnosticReport/[id]/$hl7v2 over HTTP") {
  const std::filesystem::path file = std::filesystem::path(hearth::test::source_dir()) /
                                     "tests/data/corpus/hl7v2/mirth-connect/"
                                     "nonbatch08-ORU_R01-CBC.hl7";
  std::ifstream in(file, std::ios::binary);
  std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(original.empty());
  const std::string run = hearth::testing::unique_name();
  // The patient (PID-2, PID-3), the order (ORC-3, OBR-3) and the control id made this run's.
  original = replace_all(original, "12345", "M" + run);
  original = replace_all(original, "12376", "F" + run);
  original = replace_all(original, "|59689|", "|C" + run + "|");

  ServerProcess server;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  REQUIRE(msa(mllp.exchange(original), 1) == "AA");
  auto client = server.client();
  auto found = client.get("/fhir/DiagnosticReport?identifier=F" + run);
  REQUIRE(found.status == 200);
  rapidjson::Document bundle;
  bundle.Parse(found.body.data(), found.body.size());
  REQUIRE(bundle["entry"].Size() == 1);
  const std::string id = bundle["entry"][0]["resource"]["id"].GetString();

  auto rendered = client.get("/fhir/DiagnosticReport/" + id + "/$hl7v2");
  REQUIRE_MESSAGE(rendered.status == 200, rendered.body);
  CHECK(rendered.header("Content-Type").find("x-application/hl7-v2+er7") == 0);
  auto sent = hearth::hl7::Message::parse(original);
  auto back = hearth::hl7::Message::parse(rendered.body);
  REQUIRE(sent.is_ok());
  REQUIRE_MESSAGE(back.is_ok(), rendered.body);
  int compared = 0;
  for (int i = 1; sent->get("OBX[" + std::to_string(i) + "]-1").is_ok(); ++i) {
    const std::string at = "OBX[" + std::to_string(i) + "]-";
    CAPTURE(i);
    for (const char* part : {"2", "3.1", "3.4", "3.6", "5", "6", "7", "8", "11"}) {
      CAPTURE(part);
      CHECK(text(*back, at + part) == text(*sent, at + part));
    }
    // The same instant, with the offset the ingest read it in.
    CHECK(text(*back, at + "14") == text(*sent, at + "14") + "+0000");
    ++compared;
  }
  CHECK(compared == 14);
  CHECK(text(*back, "PID-3[2].1") == "M" + run);
  CHECK(text(*back, "OBR-3.1") == "F" + run);

  // The patient as an ADT^A08; an unknown event is a 400 OperationOutcome.
  const std::string patient = bundle["entry"][0]["resource"]["subject"]["reference"].GetString();
  auto adt = client.get("/fhir/" + patient + "/$hl7v2?event=A08");
  REQUIRE_MESSAGE(adt.status == 200, adt.body);
  auto adt_message = hearth::hl7::Message::parse(adt.body);
  REQUIRE(adt_message.is_ok());
  CHECK(text(*adt_message, "PID-5.1") == "MOUSE");
  CHECK(text(*adt_message, "PID-7") == "19240101");
  auto bad = client.get("/fhir/" + patient + "/$hl7v2?event=A99");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("OperationOutcome") != std::string::npos);
  CHECK(client.get("/fhir/DiagnosticReport/none" + run + "/$hl7v2").status == 404);
}

}  // namespace
