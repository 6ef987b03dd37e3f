// The audit trail against the real binary (--auth jwt turns it on): every access, failed
// authentication and refusal included, becomes an AuditEvent; a clean shutdown stores every one
// of them; they are searched like any resource; --audit-file has the same events as JSON lines;
// the log stays free of the values searched for.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "jwt_harness.h"
#include "mllp_harness.h"

using namespace hearth::testing;

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int count_with(const std::vector<std::string>& lines, const std::vector<std::string>& needles) {
  int n = 0;
  for (const std::string& line : lines) {
    bool all = true;
    for (const std::string& needle : needles) all = all && line.find(needle) != std::string::npos;
    n += all ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_CASE("audit: every access is an AuditEvent, stored by a clean shutdown and searchable") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  const std::string audit_file = file.dir + "/audit.jsonl";
  ServerOptions options = jwt_options(file);
  options.args.insert(options.args.end(), {"--audit-file", audit_file});
  ServerProcess server(options);
  auto client = server.client();
  const Headers admin = bearer_for(rsa, "system/*.*", ",\"client_id\":\"audit-app\"");
  const std::string family = unique_name("Secret");

  HttpResponse created = client.post(
      "Patient", R"({"resourceType":"Patient","name":[{"family":")" + family + R"("}]})", admin);
  REQUIRE(created.status == 201);
  std::string location = created.header("Location");
  location = location.substr(location.find("/fhir/") + 6);
  const std::string patient = location.substr(0, location.find("/_history"));
  CHECK(client.get(patient, admin).status == 200);
  CHECK(client.get("Patient?family=" + family, admin).status == 200);
  CHECK(client.get(patient).status == 401);
  CHECK(client.get(patient, bearer_for(rsa, "user/Observation.rs")).status == 403);
  CHECK(client.get("metadata").status == 200);  // not an access to data: not recorded

  server.restart();  // SIGTERM: the queue is written before the store closes
  const std::vector<std::string> lines = lines_of(audit_file);
  CHECK(lines.size() == 5);
  CHECK(count_with(lines,
                   {"\"code\":\"create\"", "\"reference\":\"" + patient + "\"", "\"action\":\"C\"",
                    "\"altId\":\"audit-app\"", "\"value\":\"user-1\""}) == 1);
  CHECK(count_with(lines, {"\"code\":\"read\"", "\"reference\":\"" + patient + "\"",
                           "\"outcome\":\"0\""}) == 1);
  CHECK(count_with(lines, {"\"code\":\"read\"", "\"outcomeDesc\":\"401\""}) == 1);
  CHECK(count_with(lines, {"\"code\":\"read\"", "\"outcomeDesc\":\"403\""}) == 1);
  CHECK(count_with(lines, {"\"code\":\"search-type\"", "\"query\":\""}) == 1);
  // The value searched for is in the AuditEvent (base64, as FHIR stores queries), never in
  // the log.
  for (const std::string& line : server.log_lines()) {
    CHECK(line.find(family) == std::string::npos);
  }

  auto again = server.client();
  HttpResponse found = again.get("AuditEvent?entity=" + patient, admin);
  REQUIRE(found.status == 200);
  CHECK(found.body.find("\"total\":4") != std::string::npos);  // create, read, 401, 403
  HttpResponse creates = again.get("AuditEvent?entity=" + patient + "&action=C", admin);
  CHECK(creates.body.find("\"total\":1") != std::string::npos);
  HttpResponse refusals = again.get("AuditEvent?entity=" + patient + "&outcome=4", admin);
  CHECK(refusals.body.find("\"total\":2") != std::string::npos);
  // Reading the trail is itself an access: recorded, but never an event about an event.
  CHECK(again.get("AuditEvent?entity=" + patient, bearer_for(rsa, "user/Patient.rs")).status ==
        403);
}

TEST_CASE("audit: off without --auth jwt unless asked; --audit-file needs it") {
  ServerProcess plain;
  auto client = plain.client();
  HttpResponse created = client.post("Patient", R"({"resourceType":"Patient"})");
  REQUIRE(created.status == 201);
  std::string location = created.header("Location");
  location = location.substr(location.find("/fhir/") + 6);
  plain.restart();
  CHECK(plain.client()
            .get("AuditEvent?entity=" + location.substr(0, location.find("/_history")))
            .body.find("\"total\":0") != std::string::npos);
  auto refused = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--audit", "off", "--audit-file", "/tmp/x.jsonl"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--audit-file") != std::string::npos);
}

TEST_CASE("audit: an MLLP message received and acknowledged is an AuditEvent") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  const std::string audit_file = file.dir + "/audit.jsonl";
  ServerOptions options = jwt_options(file);
  options.args.insert(options.args.end(), {"--audit", "on", "--audit-file", audit_file});
  ServerProcess server(options);
  REQUIRE(server.mllp_port() != 0);
  {
    hearth::testing::MllpClient mllp("127.0.0.1", server.mllp_port());
    // A control id of its own: on a shared database an identical resend would be a duplicate.
    const std::string ack = mllp.exchange(make_oru("AUDITLAB", unique_name("AUD")));
    CHECK(msa(ack, 1) == "AA");
  }
  server.restart();
  const std::vector<std::string> lines = lines_of(audit_file);
  CHECK(count_with(lines, {"\"code\":\"hl7v2\"", "\"code\":\"hl7-message\"", "ORU^R01 ACK AA",
                           "\"reference\":\"Provenance/", "\"outcome\":\"0\""}) == 1);
}
