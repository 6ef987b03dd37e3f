// The documented PostgreSQL backup route (docs/operations.md) against the real binary: a store
// with resources of several versions, a deletion and archived HL7 messages is dumped with pg_dump,
// restored with pg_restore into an empty database and brought to this binary's schema with
// `hearth migrate`; every resource, version and archive row of the copy equals the live one, and
// a server on the copy serves them. Runs in the PostgreSQL pass only.
#include <doctest/doctest.h>
#include <postgresql/libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "harness.h"
#include "mllp_harness.h"

using hearth::testing::MllpClient;
using hearth::testing::run_hearth;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;

namespace {

// Every row of `sql` on `url`, each as its columns joined by '\x1f'; the statement's ORDER BY
// decides the order. An empty list and a failed CHECK when the query fails.
std::vector<std::string> pg_rows(const std::string& url, const std::string& sql) {
  std::vector<std::string> out;
  PGconn* conn = PQconnectdb(url.c_str());
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  PGresult* res = PQexec(conn, sql.c_str());
  CHECK_MESSAGE(PQresultStatus(res) == PGRES_TUPLES_OK, PQerrorMessage(conn));
  for (int r = 0; r < PQntuples(res); ++r) {
    std::string row;
    for (int c = 0; c < PQnfields(res); ++c) {
      row.append(PQgetisnull(res, r, c) ? "<null>" : PQgetvalue(res, r, c)).push_back('\x1f');
    }
    out.push_back(std::move(row));
  }
  PQclear(res);
  PQfinish(conn);
  return out;
}

void pg_command(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  PGresult* res = PQexec(conn, sql.c_str());
  CHECK_MESSAGE(PQresultStatus(res) == PGRES_COMMAND_OK, PQerrorMessage(conn));
  PQclear(res);
  PQfinish(conn);
}

// `url` with its database name replaced by `name`.
std::string with_database(const std::string& url, const std::string& name) {
  const std::size_t slash = url.rfind('/');
  const std::size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

int shell(const std::string& command) {
  const int rc = std::system(command.c_str());  // NOLINT(cert-env33-c): a test's own tools
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

constexpr const char* kVersions =
    "SELECT res_type, res_id, version, last_updated, deleted, method, body FROM resource_version"
    " WHERE res_type = 'Patient' ORDER BY res_type, res_id, version";
constexpr const char* kCurrent =
    "SELECT res_type, res_id, version, last_updated, deleted, method FROM resource"
    " WHERE res_type = 'Patient' ORDER BY res_type, res_id";
constexpr const char* kMessages =
    "SELECT id, received_at, sender, control_id, message_type, status, raw, ack, note"
    " FROM hl7_message ORDER BY id";

}  // namespace

TEST_CASE("postgresql: pg_dump, pg_restore and hearth migrate give back every row") {
  const char* shared = std::getenv("HEARTH_TEST_STORE");
  if (shared == nullptr || std::string_view(shared).rfind("postgres", 0) != 0) {
    MESSAGE("pg_dump route: PostgreSQL pass only");
    return;
  }
  ServerProcess server;
  const std::string live = server.store_url();
  auto client = server.client();
  for (int i = 0; i < 10; ++i) {
    auto created = client.post("Patient", R"({"resourceType":"Patient","name":[{"family":"Dump)" +
                                              std::to_string(i) + R"("}]})");
    REQUIRE(created.status == 201);
    const std::string location = created.header("Location");
    const std::size_t at = location.find("Patient/") + 8;
    const std::string id = location.substr(at, location.find('/', at) - at);
    REQUIRE(client
                .put("Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                                          R"(","active":true,"name":[{"family":"Dump)" +
                                          std::to_string(i) + R"("}]})")
                .status == 200);
    if (i == 0) REQUIRE(client.del("Patient/" + id).status == 200);
  }
  if (server.mllp_port() != 0) {
    MllpClient mllp("127.0.0.1", server.mllp_port());
    for (int i = 0; i < 3; ++i) {
      CHECK(hearth::testing::msa(
                mllp.exchange(hearth::testing::make_oru("PGDUMP", "D" + std::to_string(i))), 1) ==
            "AA");
    }
  }

  const std::string name = "hearth_restored_" + std::to_string(::getpid());
  const std::string copy = with_database(live, name);
  const std::string dump = (std::filesystem::temp_directory_path() / (name + ".dump")).string();
  pg_command(live, "DROP DATABASE IF EXISTS " + name);
  REQUIRE(shell("pg_dump --format=custom --no-owner --file='" + dump + "' '" + live + "'") == 0);
  pg_command(live, "CREATE DATABASE " + name);
  REQUIRE(shell("pg_restore --no-owner --exit-on-error --single-transaction --dbname='" + copy +
                "' '" + dump + "'") == 0);
  REQUIRE(run_hearth({"migrate", "--store", copy}).exit_code == 0);

  const auto versions = pg_rows(live, kVersions);
  CHECK(versions.size() >= 21);  // 10 creates, 10 updates, a deletion, and other tests' rows
  CHECK(pg_rows(copy, kVersions) == versions);
  CHECK(pg_rows(copy, kCurrent) == pg_rows(live, kCurrent));
  const auto messages = pg_rows(live, kMessages);
  CHECK(pg_rows(copy, kMessages) == messages);
  {
    ServerOptions options;
    options.store = copy;
    ServerProcess restored(options);
    auto found = restored.client().get("Patient?family=Dump1");
    CHECK(found.status == 200);
    CHECK(found.body.find("\"active\":true") != std::string::npos);
  }
  std::filesystem::remove(dump);
  pg_command(live, "DROP DATABASE " + name);
}
