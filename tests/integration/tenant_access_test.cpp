// Who reaches a tenant (`--tenancy url`, docs/tenancy.md), against the real binary on the test
// store (SQLite, or PostgreSQL through $HEARTH_TEST_STORE; tenants named per run): under
// `--tenant-claim` a token reaches only the tenants its claim lists (403 otherwise, for every
// interaction, /hl7 included); an HL7 v2 message sent over MLLP lands in `--mllp-tenant`, and
// nowhere else; the flags refuse to start without what they need.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "jwt_harness.h"
#include "mllp_harness.h"

using namespace hearth::testing;

namespace {

bool has(const HttpResponse& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("tenant claim: a token reaches the tenants its claim lists, and no other") {
  const std::string sfx = unique_name();
  const std::string alpha = "alpha-" + sfx;
  const std::string beta = "beta-" + sfx;
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(jwks_of({rsa.jwk()}));
  ServerOptions options = jwt_options(file);
  for (const char* arg : {"--tenancy", "url", "--tenant-claim", "hearth.tenants", "--mllp-tenant",
                          "inbox", "--admin-claim", "roles", "--admin-value", "admin"}) {
    options.args.emplace_back(arg);
  }
  ServerProcess server(options);
  HttpClient a("127.0.0.1", server.port(), "/fhir/" + alpha);
  HttpClient b("127.0.0.1", server.port(), "/fhir/" + beta);
  HttpClient hl7_a("127.0.0.1", server.port(), "/hl7/" + alpha);
  HttpClient hl7_b("127.0.0.1", server.port(), "/hl7/" + beta);

  const Headers only_alpha = bearer_for(
      rsa, "system/*.*", R"(,"roles":["admin"],"hearth":{"tenants":[")" + alpha + R"("]})");
  const Headers both =
      bearer_for(rsa, "system/*.*", R"(,"hearth":{"tenants":")" + alpha + " " + beta + R"("})");
  const Headers none = bearer_for(rsa, "system/*.*", R"(,"roles":["admin"])");

  const std::string patient = R"({"resourceType":"Patient","id":"p1"})";
  REQUIRE(a.put("Patient/p1", patient, only_alpha).status == 201);
  CHECK(a.get("Patient/p1", only_alpha).status == 200);
  HttpResponse refused = b.put("Patient/p1", patient, only_alpha);
  CHECK(refused.status == 403);
  CHECK(has(refused, "does not grant tenant '" + beta + "'"));
  CHECK(b.get("Patient?_count=1", only_alpha).status == 403);
  CHECK(b.post("", R"({"resourceType":"Bundle","type":"batch","entry":[]})", only_alpha).status ==
        403);
  CHECK(hl7_a.get("messages", only_alpha).status == 200);
  CHECK(hl7_b.get("messages", only_alpha).status == 403);

  CHECK(b.put("Patient/p1", patient, both).status == 201);
  CHECK(a.get("Patient/p1", both).status == 200);
  CHECK(b.get("Patient/p1", both).status == 200);

  CHECK(a.get("Patient/p1", none).status == 403);
  CHECK(hl7_a.get("messages", none).status == 403);
  // What tells a client how to get a token needs none, in any tenant.
  CHECK(b.get("metadata").status == 200);
}

TEST_CASE("MLLP: a message lands in --mllp-tenant, and no other tenant sees it") {
  const std::string sfx = unique_name();
  const std::string inbox = "lab-" + sfx;
  const std::string other = "other-" + sfx;
  ServerOptions options;
  options.args = {"--tenancy", "url", "--mllp-tenant", inbox, "--audit", "on"};
  ServerProcess server(options);
  MllpClient mllp("127.0.0.1", server.mllp_port());
  const std::string family = "Tenantlab" + sfx;
  std::string oru = make_oru("LAB" + sfx, "T" + sfx);
  oru.replace(oru.find("SMITH"), 5, family);
  REQUIRE(msa(mllp.exchange(oru), 1) == "AA");

  HttpClient in("127.0.0.1", server.port(), "/fhir/" + inbox);
  HttpClient out("127.0.0.1", server.port(), "/fhir/" + other);
  HttpResponse found = in.get("Patient?family=" + family);
  REQUIRE(found.status == 200);
  CHECK(has(found, "\"total\":1"));
  CHECK(has(in.get("Observation?subject:Patient.family=" + family), "\"total\":1"));
  CHECK(has(out.get("Patient?family=" + family), "\"total\":0"));
  CHECK(has(out.get("Observation?_count=5"), "\"total\":0"));

  HttpClient hl7_in("127.0.0.1", server.port(), "/hl7/" + inbox);
  HttpClient hl7_out("127.0.0.1", server.port(), "/hl7/" + other);
  HttpResponse listed = hl7_in.get("messages");
  REQUIRE(listed.status == 200);
  CHECK(has(listed, "\"count\": 1"));
  CHECK(has(listed, "/hl7/" + inbox + "/messages/"));
  CHECK(has(hl7_out.get("messages"), "\"count\": 0"));

  // The message's AuditEvent is the listener tenant's too.
  bool audited = false;
  for (int i = 0; i < 250 && !audited; ++i) {
    audited = !has(in.get("AuditEvent?subtype=hl7-message"), "\"total\":0");
    if (!audited) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(audited);
  CHECK(has(out.get("AuditEvent?subtype=hl7-message"), "\"total\":0"));
}

TEST_CASE("tenant flags: what each needs") {
  auto refused = [](std::vector<std::string> args, const std::string& reason) {
    std::vector<std::string> full = {"serve", "--listen", "127.0.0.1:0", "--store",
                                     "sqlite::memory:"};
    full.insert(full.end(), args.begin(), args.end());
    auto result = run_hearth(full);
    CHECK(result.exit_code != 0);
    CHECK_MESSAGE(result.err.find(reason) != std::string::npos, result.err);
  };
  refused({"--tenancy", "url"}, "--mllp-tenant NAME");
  refused({"--tenancy", "url", "--mllp-tenant", "Patient"}, "--mllp-tenant:");
  refused({"--mllp-tenant", "lab"}, "go with --tenancy url");
  refused({"--tenancy", "url", "--mllp-listen", "off", "--tenant-claim", "tenants"},
          "add --auth jwt");
}
