// Bounded time, end to end: slow searches saturating every read session and worker never delay
// an MLLP ACK or a create; a search whose client leaves is cancelled; a search past
// --statement-timeout answers 503 with an OperationOutcome; an MLLP frame must complete within
// --mllp-frame-timeout; connections over --max-connections / --mllp-max-connections are closed
// at once. The slow searches run over Patients written straight into the store's tables.
#include <doctest/doctest.h>
#include <postgresql/libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "mllp_harness.h"

namespace {

using hearth::testing::HttpClient;
using hearth::testing::make_oru;
using hearth::testing::MllpClient;
using hearth::testing::msa;
using hearth::testing::RawConnection;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using Clock = std::chrono::steady_clock;

// 40 `:contains` parameters of 100 values each, none matching: each clause reads every one of
// the 100,000 rows and tries its 100 patterns on it (seconds on SQLite; a single `:contains`
// over them takes a few hundred milliseconds since the index is keyed by integers).
const std::string& slow_search() {
  static const std::string target = [] {
    std::string t = "/fhir/Patient?_sort=name";
    for (int p = 0; p < 40; ++p) {
      t += "&name:contains=";
      for (int v = 0; v < 100; ++v) {
        t += (v == 0 ? "zq" : ",zq") + std::to_string(p) + "x" + std::to_string(v);
      }
    }
    return t;
  }();
  return target;
}

std::string prefix() {
  return "slow" + std::to_string(::getpid()) + "-";
}

void exec(const std::string& store_url, const std::string& sql) {
  if (store_url.rfind("sqlite:", 0) == 0) {
    sqlite3* db = nullptr;
    if (sqlite3_open(store_url.substr(7).c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      throw std::runtime_error("sqlite open");
    }
    sqlite3_busy_timeout(db, 30'000);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("sqlite exec: " + message);
    return;
  }
  PGconn* conn = PQconnectdb(store_url.c_str());
  PGresult* res = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(res);
  const std::string message = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("pg exec: " + message);
  }
}

// `rows` Patients with a `name` index row each, straight into the tables of a running server.
void fill(const ServerProcess& server, int rows) {
  const std::string n = std::to_string(rows), p = prefix();
  const bool sqlite = server.store_url().rfind("sqlite:", 0) == 0;
  const std::string series =
      sqlite
          ? "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + n + ") "
          : "WITH g(x) AS (SELECT generate_series(1, " + n + ")) ";
  exec(server.store_url(),
       "BEGIN;" + series +
           "INSERT INTO resource_version (res_type, res_id, version, last_updated, deleted,"
           " method, body) SELECT 'Patient', '" +
           p +
           "' || x, 1, 1, 0, 'POST',"
           " '{\"resourceType\":\"Patient\",\"id\":\"" +
           p +
           "' || x || '\"}' FROM g;"
           "INSERT INTO resource (res_type, res_id, version, last_updated, deleted, method, seq,"
           " rid) SELECT res_type, res_id, version, last_updated, deleted, method, seq, seq"
           " FROM resource_version WHERE res_id LIKE '" +
           p +
           "%';"
           "INSERT INTO idx_string (rid, pid, folded, exact) SELECT r.rid, s.id,"
           " 'name' || substr(r.res_id, length('" +
           p + "') + 1), 'name' || substr(r.res_id, length('" + p +
           "') + 1) FROM resource r, search_param s WHERE s.res_type = 'Patient'"
           " AND s.code = 'name' AND r.res_id LIKE '" +
           p + "%'; COMMIT");
}

void unfill(const ServerProcess& server) {
  const std::string like = " WHERE res_id LIKE '" + prefix() + "%'";
  exec(server.store_url(), "DELETE FROM idx_string WHERE rid IN (SELECT rid FROM resource" + like +
                               "); DELETE FROM resource" + like + "; DELETE FROM resource_version" +
                               like);
}

ServerOptions with_args(std::vector<std::string> args) {
  ServerOptions options;
  options.args = std::move(args);
  return options;
}

std::string get_request(std::string_view target) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

int count_lines(const ServerProcess& server, std::string_view a, std::string_view b) {
  int n = 0;
  for (const auto& line : server.log_lines()) {
    if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) ++n;
  }
  return n;
}

TEST_CASE(
    "slow searches on every read session never delay MLLP ACKs or creates; leaving "
    "cancels them") {
  ServerProcess server(with_args({"--statement-timeout", "10min"}));
  fill(server, 100'000);
  // More slow searches than read sessions (12) and store sessions (16); their clients send
  // and wait without reading.
  constexpr int kSearches = 20;
  std::vector<RawConnection> searchers;
  for (int i = 0; i < kSearches; ++i) {
    searchers.push_back(server.raw());
    searchers.back().send(get_request(slow_search()));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // let them reach the store

  MllpClient mllp("127.0.0.1", server.mllp_port(), std::chrono::seconds(20));
  HttpClient writer = server.client();
  const std::string sender = "BOUNDED" + std::to_string(::getpid());
  for (int i = 0; i < 10; ++i) {
    const auto started = Clock::now();
    const std::string ack = mllp.exchange(make_oru(sender, "T" + std::to_string(i)));
    CHECK(msa(ack, 1) == "AA");
    CHECK(Clock::now() - started < std::chrono::seconds(10));
    const auto create_started = Clock::now();
    CHECK(writer.post("Patient", R"({"resourceType":"Patient","active":true})").status == 201);
    CHECK(Clock::now() - create_started < std::chrono::seconds(10));
    CHECK(writer.get("metadata").status == 200);
  }
  // The searches were still running all along: none has answered.
  CHECK(count_lines(server, "GET /fhir/Patient?", " 200 ") == 0);

  // Their clients leave: every search is cancelled (503 in the access log) long before the
  // statement time limit.
  searchers.clear();
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (count_lines(server, "GET /fhir/Patient?", " 503 ") < kSearches &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(count_lines(server, "GET /fhir/Patient?", " 503 ") == kSearches);
  // And the server serves searches again.
  CHECK(writer.get("Patient?_id=nothing").status == 200);
  unfill(server);
}

TEST_CASE("a search past --statement-timeout is 503 with an OperationOutcome, not 500") {
  ServerProcess server(with_args({"--statement-timeout", "500ms"}));
  fill(server, 100'000);
  HttpClient client("127.0.0.1", server.port(), "/fhir", std::chrono::seconds(60));
  const auto started = Clock::now();
  auto response = client.get(slow_search());
  CHECK(response.status == 503);
  CHECK(response.body.find("OperationOutcome") != std::string::npos);
  // The body is generic (a reference, no internals); the log has the reason under it.
  const std::size_t ref = response.body.find("reference ");
  REQUIRE(ref != std::string::npos);
  const std::string reference = response.body.substr(ref + 10, 16);
  CHECK(server.wait_for_log("error " + reference));
  if (!server.wait_for_log("statement time limit")) {
    for (const std::string& line : server.log_lines()) {
      if (line.find(reference) != std::string::npos) FAIL_CHECK("not a time limit: " << line);
    }
  }
  CHECK(Clock::now() - started < std::chrono::seconds(30));
  CHECK(client.post("Patient", R"({"resourceType":"Patient"})").status == 201);
  unfill(server);
}

TEST_CASE("mllp: a frame must complete within --mllp-frame-timeout, however it trickles") {
  ServerProcess server(with_args({"--mllp-frame-timeout", "1s"}));
  const std::string sender = "TRICKLE" + std::to_string(::getpid());
  {  // An idle connection is not a frame: it is kept, and a message after 1.5 s gets AA.
    MllpClient idle("127.0.0.1", server.mllp_port());
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(msa(idle.exchange(make_oru(sender, "I1")), 1) == "AA");
  }
  MllpClient trickler("127.0.0.1", server.mllp_port(), std::chrono::seconds(1));
  const std::string framed = "\x0b" + make_oru(sender, "T1");  // never ends
  const auto started = Clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < framed.size() && !closed; ++i) {
    try {
      trickler.send_raw(framed.substr(i, 1));  // one byte every 100 ms: each resets nothing
    } catch (const std::exception&) {
      closed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (Clock::now() - started > std::chrono::seconds(20)) break;
  }
  if (!closed) closed = trickler.closed_by_peer();
  CHECK(closed);
  CHECK(Clock::now() - started < std::chrono::seconds(20));
  CHECK(server.wait_for_log("--mllp-frame-timeout"));
}

TEST_CASE("mllp: large unfinished frames share --mllp-max-buffered; one that finds no room waits") {
  // Mapping off: a 1.5 MB result value is about buffering here, not about what FHIR takes.
  ServerProcess server(with_args(
      {"--mllp-max-buffered", "1MiB", "--mllp-frame-timeout", "3s", "--hl7-mapping", "off"}));
  const std::string sender = "ROOM" + std::to_string(::getpid());
  // A: 2.5 MiB of a frame that never ends. Its first MiB is free, the next takes the whole
  // budget, and then it waits for room it cannot get until its frame deadline closes it.
  MllpClient hog("127.0.0.1", server.mllp_port(), std::chrono::seconds(10));
  hog.send_raw("\x0b" + make_oru(sender, "HOG", std::string(2'500'000, '7')));
  // Time for the server to read A's bytes into the budget, even on a loaded machine.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // B: a complete 1.5 MiB message; past its free MiB it needs room A holds.
  MllpClient patient("127.0.0.1", server.mllp_port(), std::chrono::seconds(30));
  const auto sent = Clock::now();
  const std::string ack = patient.exchange(make_oru(sender, "LARGE", std::string(1'500'000, '8')));
  const auto waited = Clock::now() - sent;
  CHECK(msa(ack, 1) == "AA");
  CHECK(waited >= std::chrono::milliseconds(750));  // until A's deadline, 3 s after its start
  CHECK(hog.closed_by_peer());
  CHECK(server.wait_for_log("--mllp-max-buffered"));
  // Between frames nothing is held: a small message answers at once.
  const auto small = Clock::now();
  CHECK(msa(patient.exchange(make_oru(sender, "SMALL")), 1) == "AA");
  CHECK(Clock::now() - small < std::chrono::seconds(5));
}

TEST_CASE("connections over --max-connections / --mllp-max-connections are closed at once") {
  ServerProcess server(with_args({"--max-connections", "2", "--mllp-max-connections", "2"}));
  const std::string sender = "CAP" + std::to_string(::getpid());
  {
    MllpClient a("127.0.0.1", server.mllp_port()), b("127.0.0.1", server.mllp_port());
    CHECK(msa(a.exchange(make_oru(sender, "A")), 1) == "AA");
    CHECK(msa(b.exchange(make_oru(sender, "B")), 1) == "AA");
    MllpClient c("127.0.0.1", server.mllp_port());
    CHECK(c.closed_by_peer());
    CHECK(server.wait_for_log("--mllp-max-connections"));
  }
  {
    HttpClient a = server.client(), b = server.client();
    CHECK(a.get("metadata").status == 200);
    CHECK(b.get("metadata").status == 200);
    RawConnection c = server.raw();
    CHECK(c.closed_by_peer());
    CHECK(server.wait_for_log("--max-connections"));
  }
  // Below the caps again (the closed connections are counted out): served as before.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  bool served = false;
  while (!served && Clock::now() < deadline) {
    try {
      MllpClient again("127.0.0.1", server.mllp_port(), std::chrono::seconds(2));
      served = msa(again.exchange(make_oru(sender, "C")), 1) == "AA";
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  CHECK(served);
  CHECK(server.client().get("metadata").status == 200);
}

}  // namespace
