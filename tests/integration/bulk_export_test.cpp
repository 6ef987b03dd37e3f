// Bulk Data $export over real HTTP against the real binary (SQLite, or PostgreSQL through
// $HEARTH_TEST_STORE): kick-off at the three levels, polling the status URL to its manifest,
// downloading every file (each line a resource of the file's type), DELETE, the refusals, and
// under --auth jwt the system/ scopes on kick-off, status and files. Each run counts only what it
// made (_since its own start), so a shared store's other rows do not matter.
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "core/url_encoding.h"
#include "jwt_harness.h"
#include "search_support.h"

using hearth::url_encode;
using hearth::testing::bearer_for;
using hearth::testing::Headers;
using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::JwksFile;
using hearth::testing::jwt_options;
using hearth::testing::ServerProcess;
using hearth::testing::TestSigningKey;
using namespace hearth::testing::search;

namespace {

const Headers kAsync = {{"Prefer", "respond-async"}, {"Accept", "application/fhir+json"}};

Headers with(Headers a, const Headers& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The server's idea of now (the CapabilityStatement's date), for _since.
std::string server_now(HttpClient& client) {
  HttpResponse meta = client.get("metadata");
  REQUIRE(meta.status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return json(meta)["date"].GetString();
}

// Polls the status URL until it is no longer 202; the last response.
HttpResponse poll(HttpClient& client, const std::string& status_url, const Headers& auth = {}) {
  for (int i = 0; i < 600; ++i) {
    HttpResponse r = client.get(status_url, auth);
    if (r.status != 202) return r;
    CHECK_FALSE(r.header("X-Progress").empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the export did not finish in 12 s");
  return {};
}

// type -> resources over every file of a manifest, each downloaded and checked line by line.
std::map<std::string, int> download(HttpClient& client, const hearth::fhir::JsonDocument& manifest,
                                    const Headers& auth = {}) {
  std::map<std::string, int> out;
  for (const auto& file : manifest["output"].GetArray()) {
    HttpResponse r =
        client.get(file["url"].GetString(), with(auth, {{"Accept", "application/fhir+ndjson"}}));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.header("Content-Type").find("application/fhir+ndjson") == 0);
    std::istringstream lines(r.body);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
      auto resource = hearth::fhir::parse_json(line);
      REQUIRE(resource.is_ok());
      CHECK(std::string((*resource)["resourceType"].GetString()) == file["type"].GetString());
      ++n;
    }
    CHECK(std::to_string(n) == hearth::fhir::json_number_text(file["count"]));
    out[file["type"].GetString()] += n;
  }
  return out;
}

std::string observation(const std::string& patient) {
  return R"({"resourceType":"Observation","status":"final","code":{"text":"bulk"},)"
         R"("subject":{"reference":"Patient/)" +
         patient + R"("}})";
}

}  // namespace

TEST_CASE("$export: kick-off, status, manifest, files and delete at the three levels") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string since = url_encode(server_now(client));
  const std::string p1 = create(client, "Patient", R"({"resourceType":"Patient"})");
  const std::string p2 = create(client, "Patient", R"({"resourceType":"Patient"})");
  for (int i = 0; i < 4; ++i) create(client, "Observation", observation(p1));
  create(client, "Observation", observation(p2));
  create(client, "Observation",
         R"({"resourceType":"Observation","status":"final","code":)"
         R"({"text":"orphan"}})");
  const std::string group =
      create(client, "Group",
             R"({"resourceType":"Group","type":"person","actual":true,"member":[{"entity":)"
             R"({"reference":"Patient/)" +
                 p2 + R"("}}]})");

  // System level.
  HttpResponse kick = client.get("$export?_type=Patient,Observation&_since=" + since +
                                     "&_outputFormat=application%2Ffhir%2Bndjson",
                                 kAsync);
  REQUIRE_MESSAGE(kick.status == 202, kick.body);
  const std::string status_url = kick.header("Content-Location");
  REQUIRE(status_url.find("/fhir/$export-status/") != std::string::npos);
  HttpResponse done = poll(client, status_url);
  REQUIRE_MESSAGE(done.status == 200, done.body);
  CHECK(done.header("Content-Type").find("application/json") == 0);
  CHECK_FALSE(done.header("Expires").empty());
  auto manifest = json(done);
  CHECK(std::string(manifest["request"].GetString()).find("/fhir/$export?_type=") !=
        std::string::npos);
  CHECK_FALSE(manifest["requiresAccessToken"].GetBool());
  CHECK(std::string(manifest["transactionTime"].GetString()).size() >= 20);
  CHECK(manifest["error"].Size() == 0);
  CHECK(download(client, manifest) ==
        std::map<std::string, int>{{"Observation", 6}, {"Patient", 2}});

  // Patient level: the orphan Observation is in no compartment.
  kick = client.get("Patient/$export?_type=Observation&_since=" + since, kAsync);
  REQUIRE_MESSAGE(kick.status == 202, kick.body);
  done = poll(client, kick.header("Content-Location"));
  REQUIRE_MESSAGE(done.status == 200, done.body);
  CHECK(download(client, json(done)) == std::map<std::string, int>{{"Observation", 5}});

  // Group level: its one member.
  kick = client.get("Group/" + group + "/$export?_since=" + since, kAsync);
  REQUIRE_MESSAGE(kick.status == 202, kick.body);
  done = poll(client, kick.header("Content-Location"));
  REQUIRE_MESSAGE(done.status == 200, done.body);
  const std::string group_status = kick.header("Content-Location");
  auto group_manifest = json(done);
  // Every type of the compartment by default: the Group names its member, so it is in it too.
  CHECK(download(client, group_manifest) ==
        std::map<std::string, int>{{"Group", 1}, {"Observation", 1}, {"Patient", 1}});

  // DELETE: 202, then the status and the files are gone.
  HttpResponse deleted = client.del(group_status);
  CHECK(deleted.status == 202);
  CHECK(client.get(group_status).status == 404);
  CHECK(client.get(group_manifest["output"][0]["url"].GetString()).status == 404);
  CHECK(client.del(group_status).status == 404);

  // Refusals.
  CHECK(client.get("$export").status == 400);  // no Prefer: respond-async
  CHECK(client.get("$export?_outputFormat=text/csv", kAsync).status == 400);
  CHECK(client.get("$export?_type=Nope", kAsync).status == 400);
  CHECK(client.get("$export?_typeFilter=Patient%3Factive%3Dtrue", kAsync).status == 400);
  CHECK(client.get("Patient/$export?_type=Medication", kAsync).status == 400);
  CHECK(client.get("Group/no-such-group/$export", kAsync).status == 404);
  CHECK(client.get("$export-status/0000-1111").status == 404);
  CHECK(client.get("$export-file/0000-1111/Patient-1.ndjson").status == 404);

  // The CapabilityStatement claims the three levels.
  auto cs = json(client.get("metadata"));
  int claimed = 0;
  for (const auto& op : cs["rest"][0]["operation"].GetArray()) {
    claimed += std::string_view(op["name"].GetString()) == "export";
  }
  for (const auto& resource : cs["rest"][0]["resource"].GetArray()) {
    const std::string_view type = resource["type"].GetString();
    if (type != "Patient" && type != "Group") continue;
    for (const auto& op : resource["operation"].GetArray()) {
      claimed += std::string_view(op["name"].GetString()) == "export";
    }
  }
  CHECK(claimed == 3);
}

TEST_CASE("$export under --auth jwt: system/ scopes on kick-off, status and files") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  ServerProcess server(jwt_options(file));
  HttpClient client = server.client();
  const Headers admin = bearer_for(rsa, "system/*.*");
  const Headers patients_only = bearer_for(rsa, "system/Patient.read");
  const Headers user = bearer_for(rsa, "user/*.*");
  HttpResponse meta = client.get("metadata");
  const std::string since = url_encode(json(meta)["date"].GetString());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  HttpResponse made = client.post("Patient", R"({"resourceType":"Patient"})", admin);
  REQUIRE(made.status == 201);

  CHECK(client.get("$export?_type=Patient", kAsync).status == 401);
  CHECK(client.get("$export?_type=Patient", with(kAsync, user)).status == 403);
  CHECK(client.get("$export?_type=Patient,Observation", with(kAsync, patients_only)).status == 403);
  CHECK(client.get("$export", with(kAsync, patients_only)).status == 403);  // every type

  HttpResponse kick =
      client.get("$export?_type=Patient,Observation&_since=" + since, with(kAsync, admin));
  REQUIRE_MESSAGE(kick.status == 202, kick.body);
  const std::string status_url = kick.header("Content-Location");
  CHECK(client.get(status_url).status == 401);
  CHECK(client.get(status_url, patients_only).status == 403);  // cannot read Observation
  HttpResponse done = poll(client, status_url, admin);
  REQUIRE_MESSAGE(done.status == 200, done.body);
  auto manifest = json(done);
  CHECK(manifest["requiresAccessToken"].GetBool());
  REQUIRE(manifest["output"].Size() == 1);
  const std::string url = manifest["output"][0]["url"].GetString();
  CHECK(client.get(url).status == 401);
  CHECK(client.get(url, patients_only).status == 403);
  CHECK(download(client, manifest, admin) == std::map<std::string, int>{{"Patient", 1}});
  CHECK(client.del(status_url, patients_only).status == 403);
  CHECK(client.del(status_url, admin).status == 202);
}
