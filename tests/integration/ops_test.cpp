// The server's own endpoints and logs against the real binary: /healthz, /readyz (and a schema
// it does not write), /metrics (counting what was sent, no PHI in it, behind a token under
// --auth jwt), X-Request-Id kept or generated and logged, and --log-format json.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "../unit/server/jwt_test_keys.h"
#include "harness.h"
#include "mllp_harness.h"

using namespace hearth::testing;

namespace {

// The value of the one sample `series` ("name{labels}") in a scrape, or -1.
double sample(const std::string& text, const std::string& series) {
  const std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

// A sender (MSH-3) no earlier run used: a PostgreSQL test database keeps its archive between
// runs, and a resend of an archived message is answered from the archive, not committed again.

bool is_hex32(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Runs `sql` on the SQLite store under a running server.
void sqlite_exec(const std::string& store_url, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(store_url.substr(7).c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("ops: /healthz and /readyz answer probes, GET and HEAD only") {
  ServerProcess server;
  auto client = server.client();
  HttpResponse health = client.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  CHECK(health.header("Content-Type").starts_with("text/plain"));
  HttpResponse ready = client.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body == "ready\n");
  CHECK(client.request("HEAD", "/healthz").status == 200);
  HttpResponse posted = client.post("/readyz", "x", {{"Content-Type", "text/plain"}});
  CHECK(posted.status == 405);
  CHECK(posted.header("Allow") == "GET, HEAD");
  CHECK(client.get("/healthz/x").status == 404);
  // Probes reach a pod by address: they are served whatever the Host header says.
  CHECK(client.get("/healthz", {{"Host", "10.1.2.3:8080"}}).status == 200);
  CHECK(client.get("/metrics", {{"Host", "evil.example"}}).status == 400);
}

TEST_CASE("ops: /readyz is 503 while the store's schema is not the one this binary writes") {
  ServerProcess server;
  if (server.store_url().rfind("sqlite:", 0) != 0)
    return;  // the schema is changed through the file
  auto client = server.client();
  REQUIRE(client.get("/readyz").status == 200);
  sqlite_exec(server.store_url(), "UPDATE schema_version SET version = version + 100");
  HttpResponse stale = client.get("/readyz");
  CHECK(stale.status == 503);
  CHECK(stale.body.find("not ready: store schema version") != std::string::npos);
  CHECK(client.get("/healthz").status == 200);  // alive all the same
  CHECK(server.wait_for_log("readyz: not ready"));
  sqlite_exec(server.store_url(), "UPDATE schema_version SET version = version - 100");
  CHECK(client.get("/readyz").status == 200);
  CHECK(server.wait_for_log("readyz: ready"));
}

// Rolling upgrades: a replica of an older release, started on a store a newer release has
// migrated, refuses to serve (and to migrate) instead of writing without the newer index rows.
TEST_CASE("ops: an older binary refuses to start on a store with a newer schema") {
  ServerProcess server;
  if (server.store_url().rfind("sqlite:", 0) != 0)
    return;  // the schema is changed through the file
  const std::string store = server.store_url();
  server.signal(SIGTERM);
  REQUIRE(server.wait_exit(std::chrono::seconds(10)).has_value());
  sqlite_exec(store, "UPDATE schema_version SET version = version + 1");
  auto served =
      run_hearth({"serve", "--listen", "127.0.0.1:0", "--mllp-listen", "off", "--store", store});
  CHECK(served.exit_code != 0);
  CHECK(served.err.find("is newer than this Hearth binary supports") != std::string::npos);
  auto migrated = run_hearth({"migrate", "--store", store});
  CHECK(migrated.exit_code != 0);
  CHECK(migrated.err.find("upgrade Hearth") != std::string::npos);
  sqlite_exec(store, "UPDATE schema_version SET version = version - 1");
  CHECK(run_hearth({"migrate", "--store", store}).exit_code == 0);
}

TEST_CASE("ops: /metrics counts requests by route and MLLP messages by ACK, without PHI") {
  ServerProcess server;
  auto client = server.client();
  HttpResponse created = client.post(
      "Patient", R"({"resourceType":"Patient","name":[{"family":"Metricsfamilyname"}]})");
  REQUIRE(created.status == 201);
  const std::string location = created.header("Location");
  const std::string id = location.substr(location.find("Patient/") + 8, 36);
  REQUIRE(client.get("Patient/" + id).status == 200);
  REQUIRE(client.get("Patient/" + id).status == 200);
  CHECK(client.get("Patient/does-not-exist").status == 404);
  CHECK(client.get("Patient?family=Metricsfamilyname").status == 200);
  MllpClient mllp("127.0.0.1", server.mllp_port());
  CHECK(msa(mllp.exchange(make_oru(unique_name("METRICS"), "M1")), 1) == "AA");

  // The message is counted once its ACK is written, just after the client may read it.
  HttpResponse scrape = client.get("/metrics");
  for (int i = 0; i < 100 && sample(scrape.body, "hearth_mllp_messages_total{ack=\"AA\"}") < 1;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    scrape = client.get("/metrics");
  }
  REQUIRE(scrape.status == 200);
  CHECK(scrape.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scrape.body;
  CHECK(sample(text,
               "hearth_http_requests_total{interaction=\"create\",type=\"Patient\","
               "code=\"2xx\"}") == 1);
  CHECK(sample(text,
               "hearth_http_requests_total{interaction=\"read\",type=\"Patient\","
               "code=\"2xx\"}") == 2);
  CHECK(sample(text,
               "hearth_http_requests_total{interaction=\"read\",type=\"Patient\","
               "code=\"4xx\"}") == 1);
  CHECK(sample(text,
               "hearth_http_requests_total{interaction=\"search-type\",type=\"Patient\","
               "code=\"2xx\"}") == 1);
  CHECK(sample(text,
               "hearth_http_request_duration_seconds_count{interaction=\"read\","
               "type=\"Patient\"}") == 3);
  CHECK(sample(text, "hearth_mllp_messages_total{ack=\"AA\"}") == 1);
  CHECK(sample(text, "hearth_mllp_ack_duration_seconds_count{ack=\"AA\"}") == 1);
  CHECK(sample(text, "hearth_store_commit_duration_seconds_count") >= 2);
  CHECK(sample(text, "hearth_open_connections{listener=\"http\"}") >= 1);
  CHECK(sample(text, "hearth_open_connections{listener=\"mllp\"}") == 1);
  CHECK(sample(text, "process_resident_memory_bytes") > 1e6);
  const double started = sample(text, "process_start_time_seconds");
  const double now = static_cast<double>(std::time(nullptr));
  CHECK(started > now - 600);
  CHECK(started <= now + 1);
  if (server.store_url().rfind("sqlite:", 0) == 0) {
    CHECK(sample(text, "hearth_store_commit_batch_writes_count") >= 2);
  }
  // No PHI and no id in any label or value.
  CHECK(text.find("Metricsfamilyname") == std::string::npos);
  CHECK(text.find(id) == std::string::npos);
  CHECK(text.find("does-not-exist") == std::string::npos);
  CHECK(text.find("M1\"") == std::string::npos);
  // A scrape counts from the next one on: one more than the scrapes before it (the wait above
  // may have scraped several times; the last one was not yet in its own body).
  const char* const scrapes =
      "hearth_http_requests_total{interaction=\"metrics\",type=\"\",code=\"2xx\"}";
  const double before = std::max(0.0, sample(text, scrapes));  // absent before the first count
  HttpResponse again = client.get("/metrics");
  CHECK(sample(again.body, scrapes) == before + 1);
}

TEST_CASE("ops: X-Request-Id is kept when valid, generated otherwise, and logged") {
  ServerProcess server;
  auto client = server.client();
  HttpResponse kept = client.get("metadata", {{"X-Request-Id", "trace-0042:abc"}});
  CHECK(kept.header("X-Request-Id") == "trace-0042:abc");
  HttpResponse generated = client.get("Patient/nope");
  CHECK(is_hex32(generated.header("X-Request-Id")));
  HttpResponse replaced = client.get("metadata", {{"X-Request-Id", "bad id with spaces"}});
  CHECK(is_hex32(replaced.header("X-Request-Id")));
  HttpResponse too_long = client.get("metadata", {{"X-Request-Id", std::string(129, 'a')}});
  CHECK(is_hex32(too_long.header("X-Request-Id")));
  CHECK(client.get("/healthz", {{"X-Request-Id", "probe-1"}}).header("X-Request-Id") == "probe-1");
  CHECK(server.wait_for_log("GET /fhir/metadata 200 "));
  CHECK(server.wait_for_log(" id=trace-0042:abc"));
  CHECK(server.wait_for_log(" id=" + generated.header("X-Request-Id")));
  for (const std::string& line : server.log_lines())
    CHECK(line.find("bad id") == std::string::npos);
}

TEST_CASE("ops: --log-format json writes one JSON object per line") {
  ServerOptions options;
  options.args = {"--log-format", "json"};
  ServerProcess server(options);
  auto client = server.client();
  REQUIRE(client.get("Patient?family=Secretname", {{"X-Request-Id", "json-1"}}).status == 200);
  MllpClient mllp("127.0.0.1", server.mllp_port());
  mllp.exchange(make_oru(unique_name("JSONLOG"), "J1"));
  REQUIRE(server.wait_for_log("\"request_id\":\"json-1\""));
  REQUIRE(server.wait_for_log("\"event\":\"mllp.message\""));
  bool request_line = false;
  for (const std::string& line : server.log_lines()) {
    CHECK(line.starts_with("{\"time\":\""));
    CHECK(line.ends_with("}"));
    CHECK(line.find("Secretname") == std::string::npos);
    if (line.find("\"request_id\":\"json-1\"") == std::string::npos) continue;
    request_line = true;
    CHECK(line.find("\"level\":\"info\",\"event\":\"http.request\"") != std::string::npos);
    CHECK(line.find("\"method\":\"GET\",\"target\":\"/fhir/Patient?family=\"") !=
          std::string::npos);
    CHECK(line.find("\"route\":\"search-type Patient\",\"status\":200,\"latency_us\":") !=
          std::string::npos);
    CHECK(line.find("\"peer\":\"127.0.0.1:") != std::string::npos);
  }
  CHECK(request_line);
  CHECK(server.wait_for_log("\"event\":\"listening on http://127.0.0.1:"));
}

TEST_CASE("ops: under --auth jwt /metrics needs a token with a system-level read scope") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  char pattern[] = "/tmp/hearth-ops-jwks-XXXXXX";
  REQUIRE(::mkdtemp(pattern) != nullptr);
  const std::string dir = pattern;
  std::ofstream(dir + "/jwks.json") << jwks_of({rsa.jwk()});
  const std::string iss = "https://idp.example.org", aud = "hearth-ops";
  {
    ServerOptions options;
    options.args = {"--auth",   "jwt", "--jwks-file", dir + "/jwks.json",
                    "--issuer", iss,   "--audience",  aud};
    ServerProcess server(options);
    auto client = server.client();
    const long long exp = static_cast<long long>(std::time(nullptr)) + 600;
    auto token = [&](const std::string& scope) {
      return rsa.token(rsa.header(), claims_json(iss, aud, exp, "", scope));
    };
    CHECK(client.get("/healthz").status == 200);
    CHECK(client.get("/readyz").status == 200);
    HttpResponse anonymous = client.get("/metrics");
    CHECK(anonymous.status == 401);
    CHECK(anonymous.header("WWW-Authenticate") == "Bearer realm=\"hearth\"");
    HttpResponse user =
        client.get("/metrics", {{"Authorization", "Bearer " + token("user/*.cruds")}});
    CHECK(user.status == 403);
    CHECK(user.body.find("system/*.read") != std::string::npos);
    HttpResponse system =
        client.get("/metrics", {{"Authorization", "Bearer " + token("system/*.rs")}});
    CHECK(system.status == 200);
    CHECK(system.body.find("# TYPE hearth_http_requests_total counter") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
