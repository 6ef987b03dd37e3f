// hearth backup and hearth restore against the real binary: a store filled with resources of
// several versions, deleted ones and archived HL7 messages is backed up while a client keeps
// writing, restored into an empty store, and compared row by row with the live store: every
// version and message the backup holds is identical to the live one, everything committed before
// the backup began is in it, and its current rows agree with its own history. A restored store
// serves reads and searches; a non-empty target, an existing backup file and a PostgreSQL URL
// are refused with precise errors.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "mllp_harness.h"

using hearth::testing::HttpResponse;
using hearth::testing::MllpClient;
using hearth::testing::run_hearth;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using hearth::testing::TempDir;

namespace {

// Every row of `sql` (key columns first), as key -> all columns joined by '\x1f'.
std::map<std::string, std::string> rows(const std::string& path, const std::string& sql,
                                        int key_columns) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::map<std::string, std::string> out;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string key, all;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const unsigned char* text = sqlite3_column_text(stmt, c);
      const std::string value =
          text == nullptr ? "<null>"
                          : std::string(reinterpret_cast<const char*>(text),
                                        static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      if (c < key_columns) key += value + "\x1f";
      all += value + "\x1f";
    }
    out.emplace(std::move(key), std::move(all));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

constexpr const char* kVersions =
    "SELECT res_type, res_id, version, last_updated, deleted, method, body FROM resource_version";
constexpr const char* kCurrent =
    "SELECT res_type, res_id, version, last_updated, deleted, method FROM resource";
constexpr const char* kMessages =
    "SELECT id, received_at, peer, sender, control_id, message_type, version, status, raw, ack, "
    "note FROM hl7_message";

// The version column of a kCurrent row ("type\x1fid\x1fversion\x1f...").
long long version_of(const std::string& row) {
  std::size_t at = 0;
  for (int i = 0; i < 2; ++i) at = row.find('\x1f', at) + 1;
  return std::stoll(row.substr(at));
}

}  // namespace

TEST_CASE("backup while writes run, restore into an empty store: every row compared") {
  ServerProcess server;
  if (server.store_url().rfind("sqlite:", 0) != 0) {
    // PostgreSQL is copied with pg_dump; the command says so instead of half-doing it.
    auto refused = run_hearth({"backup", "--store", server.store_url(), "--out", "/tmp/x"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("pg_dump") != std::string::npos);
    return;
  }
  const std::string live = server.store_url().substr(7);
  auto client = server.client();
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    HttpResponse created =
        client.post("Patient", R"({"resourceType":"Patient","name":[{"family":"Backup)" +
                                   std::to_string(i) + R"("}]})");
    REQUIRE(created.status == 201);
    const std::string location = created.header("Location");
    ids.push_back(location.substr(location.find("Patient/") + 8, 36));
  }
  for (int round = 0; round < 2; ++round) {  // three versions each
    for (const std::string& id : ids) {
      REQUIRE(client
                  .put("Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                                            R"(","active":)" + (round ? "true" : "false") +
                                            R"(,"name":[{"family":"Backup"}]})")
                  .status == 200);
    }
  }
  for (int i = 0; i < 5; ++i) REQUIRE(client.del("Patient/" + ids[i]).status == 200);
  {
    MllpClient mllp("127.0.0.1", server.mllp_port());
    for (int i = 0; i < 6; ++i) {
      CHECK(hearth::testing::msa(
                mllp.exchange(hearth::testing::make_oru("BACKUP", "B" + std::to_string(i))), 1) ==
            "AA");
    }
  }

  // Writes go on during the backup: new resources and new versions of old ones.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto busy = server.client();
    for (int i = 0; !stop.load(); ++i) {
      const std::string& id = ids[5 + i % 20];  // 25..39 keep their last version
      busy.put("Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                                    R"(","gender":"other","name":[{"family":"During"}]})");
      busy.post("Patient", R"({"resourceType":"Patient","name":[{"family":"During"}]})");
      written.fetch_add(2);
    }
  });
  while (written.load() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto versions_before = rows(live, kVersions, 3);
  const auto current_before = rows(live, kCurrent, 2);
  const auto messages_before = rows(live, kMessages, 1);
  TempDir dir;
  const std::string backup = dir.path + "/hearth.backup";
  auto backed_up = run_hearth({"backup", "--store", server.store_url(), "--out", backup});
  const int written_during = written.load();
  stop = true;
  writer.join();
  REQUIRE(backed_up.exit_code == 0);
  CHECK(backed_up.out.find("backup " + backup + ": ") == 0);
  CHECK(written_during > 20);
  CHECK(!std::filesystem::exists(backup + ".partial"));

  const std::string target = "sqlite:" + dir.path + "/restored/hearth.db";
  auto restored = run_hearth({"restore", "--store", target, "--in", backup});
  REQUIRE(restored.exit_code == 0);
  CHECK(restored.out.find(" messages, schema ") != std::string::npos);
  const std::string copy = dir.path + "/restored/hearth.db";

  const auto live_versions = rows(live, kVersions, 3);
  const auto copy_versions = rows(copy, kVersions, 3);
  const auto copy_current = rows(copy, kCurrent, 2);
  const auto live_messages = rows(live, kMessages, 1);
  const auto copy_messages = rows(copy, kMessages, 1);
  MESSAGE("versions: " << versions_before.size() << " before, " << copy_versions.size()
                       << " backed up, " << live_versions.size() << " live after");
  // What the backup holds is what the live store committed, byte for byte.
  int differing = 0;
  for (const auto& [key, row] : copy_versions) {
    auto it = live_versions.find(key);
    if (it == live_versions.end() || it->second != row) ++differing;
  }
  CHECK(differing == 0);
  for (const auto& [key, row] : copy_messages) {
    auto it = live_messages.find(key);
    CHECK((it != live_messages.end() && it->second == row));
  }
  // Everything committed before the backup began is in it.
  int missing = 0;
  for (const auto& [key, row] : versions_before) missing += copy_versions.count(key) == 1 ? 0 : 1;
  CHECK(missing == 0);
  for (const auto& [key, row] : messages_before) CHECK(copy_messages.count(key) == 1);
  CHECK(copy_messages.size() >= 6);
  for (const auto& [key, row] : current_before) {
    auto it = copy_current.find(key);
    REQUIRE(it != copy_current.end());
    CHECK(version_of(it->second) >= version_of(row));
  }
  // The copy is one moment: each current row is the newest version it holds, and every
  // version up to it is there.
  for (const auto& [key, row] : copy_current) {
    const long long version = version_of(row);
    for (long long v = 1; v <= version; ++v) {
      CHECK(copy_versions.count(key + std::to_string(v) + "\x1f") == 1);
    }
    CHECK(copy_versions.count(key + std::to_string(version + 1) + "\x1f") == 0);
  }
  // Deleted resources stay deleted, with their history.
  CHECK(copy_versions.count("Patient\x1f" + ids[0] + "\x1f" + "4\x1f") == 1);

  // A server on the restored store reads, searches and keeps history.
  ServerOptions options;
  options.store = target;
  ServerProcess again(options);
  auto reader = again.client();
  CHECK(reader.get("Patient/" + ids[0]).status == 410);
  HttpResponse history = reader.get("Patient/" + ids[1] + "/_history");
  CHECK(history.status == 200);
  CHECK(history.body.find("\"total\":") != std::string::npos);
  // The search index came along: as many active patients as the copy's current bodies say.
  int active = 0;
  for (const auto& [key, row] : copy_current) {
    const std::string& body = copy_versions.at(key + std::to_string(version_of(row)) + "\x1f");
    if (body.find("\"active\":true") != std::string::npos) ++active;
  }
  CHECK(active > 0);
  HttpResponse search = reader.get("Patient?active=true&_summary=count");
  CHECK(search.status == 200);
  CHECK(search.body.find("\"total\":" + std::to_string(active)) != std::string::npos);
  CHECK(reader.get("/readyz").status == 200);
}

TEST_CASE("backup and restore refuse what they must not do, precisely") {
  ServerProcess server;
  if (server.store_url().rfind("sqlite:", 0) != 0) {
    auto refused = run_hearth({"restore", "--store", server.store_url(), "--in", "/tmp/x"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("pg_restore") != std::string::npos);
    return;
  }
  REQUIRE(server.client().post("Patient", R"({"resourceType":"Patient"})").status == 201);
  TempDir dir;
  const std::string backup = dir.path + "/one.backup";
  REQUIRE(run_hearth({"backup", "--store", server.store_url(), "--out", backup}).exit_code == 0);
  auto overwrite = run_hearth({"backup", "--store", server.store_url(), "--out", backup});
  CHECK(overwrite.exit_code == 2);
  CHECK(overwrite.err.find("exists") != std::string::npos);
  // The live store is not empty.
  auto into_live = run_hearth({"restore", "--store", server.store_url(), "--in", backup});
  CHECK(into_live.exit_code == 1);
  CHECK(into_live.err.find("is not empty (1 resource versions, 0 archived messages)") !=
        std::string::npos);
  // A migrated but empty store is a fine target.
  const std::string empty = "sqlite:" + dir.path + "/empty/hearth.db";
  REQUIRE(run_hearth({"migrate", "--store", empty}).exit_code == 0);
  CHECK(run_hearth({"restore", "--store", empty, "--in", backup}).exit_code == 0);
  auto missing = run_hearth(
      {"restore", "--store", "sqlite:" + dir.path + "/x.db", "--in", dir.path + "/none.backup"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no backup file at") != std::string::npos);
  auto memory = run_hearth({"backup", "--store", "sqlite::memory:", "--out", dir.path + "/m"});
  CHECK(memory.exit_code == 2);
  CHECK(
      run_hearth({"backup", "--store", "postgresql://u:pw@127.0.0.1:1/x", "--out", dir.path + "/p"})
          .err.find("pg_dump") != std::string::npos);
}
