// `hearth import` of FHIR Bundle files into a running server's store: a transaction Bundle is
// written whole (placeholders resolved, a conditional create found again on a second import),
// a refused one writes nothing and names its file and status, a batch reports its failed entries
// and keeps the others.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness.h"
#include "search_support.h"

namespace {

using hearth::testing::ServerProcess;
using hearth::testing::TempDir;
namespace search = hearth::testing::search;

std::string transaction(const std::string& tag) {
  return R"({"resourceType":"Bundle","type":"transaction","entry":[
 {"fullUrl":"urn:uuid:6a0c6b1e-0000-4000-8000-000000000001",
  "resource":{"resourceType":"Patient","identifier":[{"system":"urn:import-test","value":")" +
         tag + R"("}],"name":[{"family":"Imported"}]},
  "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=urn:import-test|)" +
         tag +
         R"("}},
 {"resource":{"resourceType":"Observation","status":"final","code":{"text":")" +
         tag +
         R"("},"subject":{"reference":"urn:uuid:6a0c6b1e-0000-4000-8000-000000000001"}},
  "request":{"method":"POST","url":"Observation"}}]})";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_CASE("hearth import: FHIR transaction and batch Bundles through the REST core") {
  ServerProcess server;
  TempDir dir;
  const std::string tag = hearth::testing::unique_name("import");
  const std::filesystem::path root(dir.path);
  write_file(root / "a-transaction.json", transaction(tag));
  write_file(root / "b-refused.json",
             R"({"resourceType":"Bundle","type":"transaction","entry":[{"resource":)"
             R"({"resourceType":"Patient","gender":"robot"},"request":{"method":"POST",)"
             R"("url":"Patient"}}]})");
  // A batch: the first entry writes, the second fails alone (a read of a resource that is not
  // there).
  write_file(root / "c-batch.json",
             R"({"resourceType":"Bundle","type":"batch","entry":[{"resource":)"
             R"({"resourceType":"Patient","identifier":[{"system":"urn:import-test","value":")" +
                 tag +
                 R"(-batch"}]},"request":{"method":"POST","url":"Patient"}},)"
                 R"({"request":{"method":"GET","url":"Patient/absent-)" +
                 tag + R"("}}]})");

  auto imported = hearth::testing::run_hearth({"import", "--store", server.store_url(), dir.path});
  INFO(imported.out, imported.err);
  CHECK(imported.exit_code == 1);
  CHECK(imported.out.find("b-refused.json 422 the code 'robot'") != std::string::npos);
  CHECK(imported.out.find("c-batch.json 200 1 entry(ies) failed") != std::string::npos);
  CHECK(imported.out.find("imported 3 unit(s) from 3 file(s)") != std::string::npos);
  CHECK(imported.out.find(": 2 200 1 422; 0 duplicate(s), 3 resource version(s) written") !=
        std::string::npos);

  auto client = server.client();
  auto patients = search::search(client, "Patient?identifier=urn:import-test|" + tag);
  REQUIRE(search::total(patients) == 1);
  const std::string patient_id = search::match_keys(patients).front();
  auto observations = search::search(client, "Observation?subject=" + patient_id);
  REQUIRE(search::total(observations) == 1);
  const auto& code = observations["entry"][0]["resource"]["code"]["text"];
  CHECK(std::string(code.GetString()) == tag);
  CHECK(search::total(
            search::search(client, "Patient?identifier=urn:import-test|" + tag + "-batch")) == 1);

  // Again: the conditional create finds its patient, only the Observation is new.
  auto again = hearth::testing::run_hearth(
      {"import", "--store", server.store_url(), (root / "a-transaction.json").string()});
  INFO(again.out, again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find(": 1 200; 0 duplicate(s), 1 resource version(s) written") !=
        std::string::npos);
  CHECK(search::total(search::search(client, "Observation?subject=" + patient_id)) == 2);
  CHECK(search::total(search::search(client, "Patient?identifier=urn:import-test|" + tag)) == 1);
}

}  // namespace
