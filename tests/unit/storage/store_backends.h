// Test support for the storage behaviour suite: the backends every test runs against (a
// SQLite temp file, SQLite in memory, and PostgreSQL when HEARTH_TEST_PG_URL is set), raw SQL
// access to them for fault setups, a controllable clock and body builders.
#pragma once

#include <postgresql/libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "storage/sql/words_tokenizer.h"
#include "storage/store.h"

namespace hearth::storage::testing {

struct Backend {
  std::string name;
  std::string url;          // a fresh, empty database
  std::string sqlite_path;  // for raw access (file backend)
  bool persistent = true;   // survives closing the store
  bool postgresql = false;
};

inline std::filesystem::path temp_root() {
  static const std::filesystem::path root = [] {
    std::filesystem::path p = std::filesystem::temp_directory_path() /
                              ("hearth-storage-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(p);
    struct Cleanup {
      std::filesystem::path path;
      ~Cleanup() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      }
    };
    static Cleanup cleanup{p};
    return p;
  }();
  return root;
}

// A path that does not exist yet, in a directory that does not exist yet.
inline std::string fresh_sqlite_path() {
  static std::atomic<int> counter{0};
  return (temp_root() / ("db" + std::to_string(++counter)) / "nested" / "hearth.sqlite").string();
}

// Runs SQL directly against a PostgreSQL database (throws on failure).
inline void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("pg connect: " + message);
  }
  PQclear(PQexec(conn, "SET client_min_messages = warning"));
  PGresult* res = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(res);
  std::string message = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("pg exec: " + message);
  }
}

inline void sqlite_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("sqlite open");
  // The full-text index's tokenizer, as the store's own connections have it.
  if (!storage::detail::register_words_tokenizer(db)) throw std::runtime_error("no FTS5");
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("sqlite exec: " + message);
}

// Raw SQL on a persistent backend (SQLite file or PostgreSQL).
inline void raw_exec(const Backend& backend, const std::string& sql) {
  if (backend.postgresql) {
    pg_exec(backend.url, sql);
  } else {
    sqlite_exec(backend.sqlite_path, sql);
  }
}

// SQLite keeps the words of idx_text in two tables of their own (storage/sql/text_index.h):
// dropping idx_text drops them with it.
inline void drop_text_words(const Backend& backend) {
  if (backend.postgresql) return;
  raw_exec(backend, "DROP TABLE idx_text_pending");
  raw_exec(backend, "DROP TABLE idx_text_words");
}

// Takes a database back to before schema 5 (no search index tables, and none of schema 7's
// resource keys and parameter ids).
inline void drop_search_index(const Backend& backend) {
  for (const char* table :
       {"idx_string", "idx_token", "idx_date", "idx_number", "idx_quantity", "idx_reference",
        "idx_uri", "idx_composite", "phonetic_name", "idx_text", "search_param"}) {
    raw_exec(backend, std::string("DROP TABLE ") + table);
  }
  drop_text_words(backend);
  raw_exec(backend, "DROP INDEX resource_rid");
  raw_exec(backend, "ALTER TABLE resource DROP COLUMN rid");
}

// Takes a SQLite database back to before schema 20 (no idx_token_date); nothing on PostgreSQL.
inline void drop_token_dates(const Backend& b) {
  if (b.postgresql) return;
  raw_exec(b,
           "DROP TABLE IF EXISTS idx_token_date;"
           " DELETE FROM sqlite_stat1 WHERE tbl = 'idx_token_date'");
}

// Takes a database back to before schema 18 (no tenant columns, keys without them), and so
// before 20.
inline void drop_tenants(const Backend& b) {
  drop_token_dates(b);
  if (b.postgresql) {
    for (const char* statement : {
             "ALTER TABLE resource DROP COLUMN tenant",
             "ALTER TABLE resource ADD PRIMARY KEY (res_type, res_id)",
             "ALTER TABLE resource_version DROP COLUMN tenant",
             "ALTER TABLE resource_version ADD UNIQUE (res_type, res_id, version)",
             "CREATE INDEX resource_version_type_seq ON resource_version (res_type, seq)",
             "CREATE INDEX resource_version_last_updated ON resource_version (last_updated)",
             "ALTER TABLE search_param DROP COLUMN tenant",
             "ALTER TABLE search_param ADD UNIQUE (res_type, code)",
             "ALTER TABLE hl7_message DROP COLUMN tenant",
             "CREATE INDEX hl7_message_resend ON hl7_message (sender, control_id, content_hash)",
             "CREATE INDEX hl7_message_received_at ON hl7_message (received_at)",
         }) {
      raw_exec(b, statement);
    }
  } else {
    raw_exec(
        b,
        "CREATE TABLE r17 (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
        " version INTEGER NOT NULL, last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL,"
        " method TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0, rid INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (res_type, res_id)) WITHOUT ROWID;"
        "INSERT INTO r17 SELECT res_type, res_id, version, last_updated, deleted, method, seq,"
        " rid FROM resource;"
        "DROP TABLE resource; ALTER TABLE r17 RENAME TO resource;"
        "CREATE INDEX resource_rid ON resource (rid);"
        "CREATE TABLE v17 (seq INTEGER PRIMARY KEY, res_type TEXT NOT NULL,"
        " res_id TEXT NOT NULL, version INTEGER NOT NULL, last_updated INTEGER NOT NULL,"
        " deleted INTEGER NOT NULL, method TEXT NOT NULL, body TEXT NOT NULL,"
        " UNIQUE (res_type, res_id, version));"
        "INSERT INTO v17 SELECT seq, res_type, res_id, version, last_updated, deleted, method,"
        " body FROM resource_version;"
        "DROP TABLE resource_version; ALTER TABLE v17 RENAME TO resource_version;"
        "CREATE INDEX resource_version_type_seq ON resource_version (res_type, seq);"
        "CREATE INDEX resource_version_last_updated ON resource_version (last_updated);"
        "CREATE TABLE p17 (id INTEGER PRIMARY KEY, res_type TEXT NOT NULL,"
        " code TEXT NOT NULL, UNIQUE (res_type, code));"
        "INSERT INTO p17 SELECT id, res_type, code FROM search_param;"
        "DROP TABLE search_param; ALTER TABLE p17 RENAME TO search_param;"
        "DROP INDEX hl7_message_resend; DROP INDEX hl7_message_received_at;"
        "ALTER TABLE hl7_message DROP COLUMN tenant;"
        "CREATE INDEX hl7_message_resend ON hl7_message (sender, control_id, content_hash);"
        "CREATE INDEX hl7_message_received_at ON hl7_message (received_at);");
  }
}

// Takes a database back to before schema 6 (no message content hash).
inline void drop_message_hash(const Backend& backend) {
  raw_exec(backend, "DROP INDEX hl7_message_resend");
  raw_exec(backend, "ALTER TABLE hl7_message DROP COLUMN content_hash");
  raw_exec(backend, "CREATE INDEX hl7_message_sender_control ON hl7_message (sender, control_id)");
  raw_exec(backend, "ALTER TABLE hl7_message DROP COLUMN sender_identity");  // schema 10
}

inline const char* pg_url() {
  const char* url = std::getenv("HEARTH_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    static bool told = false;
    if (!told) {
      std::printf("HEARTH_TEST_PG_URL not set: PostgreSQL pass of the storage suite skipped\n");
      told = true;
    }
    return nullptr;
  }
  return url;
}

// Fresh databases for one test: each call empties the PostgreSQL test database.
inline std::vector<Backend> backends(bool persistent_only = false) {
  std::vector<Backend> out;
  std::string path = fresh_sqlite_path();
  out.push_back(Backend{"sqlite-file", "sqlite:" + path, path, true, false});
  if (!persistent_only) out.push_back(Backend{"sqlite-memory", "sqlite::memory:", "", false});
  if (const char* url = pg_url()) {
    pg_exec(url,
            "DROP TABLE IF EXISTS resource, resource_version, hl7_message, schema_version,"
            " idx_string, idx_token, idx_date, idx_number, idx_quantity, idx_reference, idx_uri,"
            " idx_composite, phonetic_name, idx_text, search_param");
    out.push_back(Backend{"postgresql", url, "", true, true});
  }
  return out;
}

// A clock the test moves by hand; thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start = 1'700'000'000'000'000) : now_(start) {}
  std::int64_t now_micros() const override { return now_.load(); }
  void set(std::int64_t micros) { now_.store(micros); }
  void advance(std::int64_t micros) { now_.fetch_add(micros); }

 private:
  std::atomic<std::int64_t> now_;
};

// A JSON body that records the version and time the store handed to make_body.
inline std::string body_for(const std::string& type, const std::string& id, std::int64_t version,
                            std::int64_t last_updated, const std::string& extra = "") {
  return "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"" +
         std::to_string(version) + "\",\"lastUpdated\":" + std::to_string(last_updated) + "}" +
         extra + "}";
}

inline WriteRequest request(const std::string& type, const std::string& id,
                            std::optional<std::int64_t> expected = std::nullopt,
                            std::string extra = "") {
  WriteRequest r;
  r.type = type;
  r.id = id;
  r.expected_version = expected;
  r.make_body = [type, id, extra](std::int64_t v, std::int64_t lu) {
    return body_for(type, id, v, lu, extra);
  };
  return r;
}

// MessageArchive::archive, waiting for its completion.
inline Result<ArchiveOutcome> archive_and_wait(MessageArchive& archive,
                                               const ArchiveRequest& request) {
  std::promise<Result<ArchiveOutcome>> promise;
  std::future<Result<ArchiveOutcome>> outcome = promise.get_future();
  archive.archive(std::make_shared<ArchiveRequest>(request),
                  [&promise](Result<ArchiveOutcome> out) { promise.set_value(std::move(out)); });
  return outcome.get();
}

// A write of `json` (a resource of `type` with id `id`) with the index rows it yields; a JSON or
// extraction failure fails the test.
inline WriteRequest indexed_write(const std::string& type, const std::string& id,
                                  const std::string& json) {
  auto doc = fhir::parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), json);
  auto index = fhir::search::extract_index(*doc);
  REQUIRE_MESSAGE(index.is_ok(), index.status().message());
  WriteRequest r;
  r.type = type;
  r.id = id;
  r.make_body = [json](std::int64_t, std::int64_t) { return json; };
  r.index = std::move(*index);
  return r;
}

// indexed_write of {"resourceType": type, "id": id, fields}: `fields` are the members after
// "id" (JSON text without braces), possibly none.
inline WriteRequest indexed_fields(const std::string& type, const std::string& id,
                                   const std::string& fields) {
  return indexed_write(type, id,
                       R"({"resourceType":")" + type + R"(","id":")" + id + "\"" +
                           (fields.empty() ? "" : ",") + fields + "}");
}

inline std::unique_ptr<Store> open_or_die(const std::string& url, const Clock& clock,
                                          const StoreOptions& options = {}) {
  Result<std::unique_ptr<Store>> store = open_store(url, clock, options);
  if (!store.is_ok())
    throw std::runtime_error("open_store(" + url + "): " + store.status().message());
  return std::move(store).value();
}

}  // namespace hearth::storage::testing
