// Store behaviour suite, part 4: URLs, persistence across reopen and process death, schema
// migrations and the refusal of a newer schema.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "storage/store.h"
#include "storage/store_url.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using testing::raw_exec;
using testing::request;

TEST_CASE("store URLs: unknown schemes are invalid, unreachable databases unavailable") {
  CHECK(open_store("mysql://x").status().code() == Code::kInvalidArgument);
  CHECK(open_store("sqlite:").status().code() == Code::kInvalidArgument);
  CHECK(open_store("").status().code() == Code::kInvalidArgument);
  CHECK(migrate_store("nope:x").status().code() == Code::kInvalidArgument);
  CHECK(open_store("sqlite:/proc/hearth-no/such.sqlite").status().code() == Code::kUnavailable);
  auto pg = open_store("postgresql://nobody:x@127.0.0.1:1/none?connect_timeout=2");
  CHECK(pg.status().code() == Code::kUnavailable);
}

TEST_CASE("SQLite URL parameter synchronous=full|normal; anything else is refused") {
  auto full = parse_store_url("sqlite:/var/lib/hearth/h.db?synchronous=full");
  REQUIRE(full.is_ok());
  CHECK(full->path == "/var/lib/hearth/h.db");
  CHECK(full->sync_every_commit);
  auto normal = parse_store_url("sqlite:h.db?synchronous=NORMAL");
  REQUIRE(normal.is_ok());
  CHECK(normal->path == "h.db");
  CHECK_FALSE(normal->sync_every_commit);
  CHECK(parse_store_url("sqlite:h.db")->sync_every_commit == StoreUrl::kSyncEveryCommitByDefault);
  CHECK(parse_store_url("sqlite:h.db?synchronous=off").status().code() == Code::kInvalidArgument);
  CHECK(parse_store_url("sqlite:h.db?cache=shared").status().code() == Code::kInvalidArgument);
  CHECK(parse_store_url("sqlite:?synchronous=full").status().code() == Code::kInvalidArgument);
  // A store opened with it works like any other.
  const auto dir =
      std::filesystem::temp_directory_path() / ("hearth-sync-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    ManualClock clock;
    auto store = open_or_die("sqlite:" + (dir / "h.db").string() + "?synchronous=full", clock);
    REQUIRE(store->create(request("Patient", "durable")).is_ok());
  }
  ManualClock clock;
  auto reopened = open_or_die("sqlite:" + (dir / "h.db").string(), clock);
  CHECK(reopened->read("Patient", "durable").is_ok());
  std::filesystem::remove_all(dir);
}

TEST_CASE("every sqlite::memory: store is its own database") {
  ManualClock clock;
  auto one = open_or_die("sqlite::memory:", clock);
  auto two = open_or_die("sqlite::memory:", clock);
  REQUIRE(one->create(request("Patient", "m")).is_ok());
  CHECK(one->read("Patient", "m").is_ok());
  CHECK(two->read("Patient", "m").status().code() == Code::kNotFound);
}

TEST_CASE("traits: SQLite reads cheaply and group-commits; each engine bounds its searches") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    const StoreTraits traits = store->traits();
    const bool sqlite = b.url.starts_with("sqlite:");
    CHECK(traits.cheap_reads == sqlite);
    CHECK(traits.group_commit == sqlite);
    // The kQuery lane's bound (session_pool.h): 12 of SQLite's 16 sessions, 6 of PostgreSQL's 8.
    CHECK(traits.concurrent_searches == (sqlite ? 12u : 6u));
  }
}

TEST_CASE("data persists across reopen") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    std::string body;
    {
      auto store = open_or_die(b.url, clock);
      auto made = store->create(request("Patient", "keep"));
      REQUIRE(made.is_ok());
      body = made->stored.body;
      REQUIRE(store->update(request("Patient", "keep")).is_ok());
    }
    auto store = open_or_die(b.url, clock);
    auto read = store->read("Patient", "keep");
    REQUIRE(read.is_ok());
    CHECK(read->version == 2);
    auto v1 = store->vread("Patient", "keep", 1);
    REQUIRE(v1.is_ok());
    CHECK(v1->body == body);
    auto next = store->update(request("Patient", "keep"));
    REQUIRE(next.is_ok());
    CHECK(next->stored.version == 3);
  }
}

TEST_CASE("SQLite: committed writes survive kill -9 of the writing process") {
  const std::string path = testing::fresh_sqlite_path();
  const std::string url = "sqlite:" + path;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto clock = make_system_clock();
    auto store = open_store(url, *clock);
    if (!store.is_ok()) _exit(3);
    for (int i = 0; i < 100; ++i) {
      if (!(*store)->create(request("Patient", "k" + std::to_string(i))).is_ok()) _exit(4);
    }
    ::kill(::getpid(), SIGKILL);  // no destructors, no checkpoint, no close
    _exit(5);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  ManualClock clock;
  auto store = open_or_die(url, clock);
  HistoryQuery q;
  q.type = "Patient";
  auto page = store->history(q);
  REQUIRE(page.is_ok());
  CHECK(page->total == 100);
  CHECK(store->read("Patient", "k99").is_ok());
}

TEST_CASE("migrations are idempotent and reported by migrate_store") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    auto first = migrate_store(b.url);
    REQUIRE(first.is_ok());
    CHECK(*first >= 1);
    auto second = migrate_store(b.url);
    REQUIRE(second.is_ok());
    CHECK(*second == *first);
    ManualClock clock;
    {
      auto store = open_or_die(b.url, clock);
      REQUIRE(store->create(request("Patient", "m")).is_ok());
    }
    auto third = migrate_store(b.url);
    REQUIRE(third.is_ok());
    CHECK(*third == *first);
    auto store = open_or_die(b.url, clock);
    CHECK(store->read("Patient", "m").is_ok());
  }
}

// Schema 1 as released (bodies in both tables), written by hand so the test does not depend on
// the migration code it checks.
std::string schema_1_with_data(bool postgresql) {
  const std::string big = postgresql ? "BIGINT" : "INTEGER";
  const std::string seq = postgresql ? "seq BIGSERIAL PRIMARY KEY" : "seq INTEGER PRIMARY KEY";
  const std::string without_rowid = postgresql ? "" : " WITHOUT ROWID";
  return "CREATE TABLE schema_version (version INTEGER NOT NULL);"
         "INSERT INTO schema_version VALUES (1);"
         "CREATE TABLE resource (res_type TEXT NOT NULL, res_id TEXT NOT NULL, version " +
         big + " NOT NULL, last_updated " + big +
         " NOT NULL, deleted INTEGER NOT NULL,"
         " method TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (res_type, res_id))" +
         without_rowid +
         ";"
         "CREATE TABLE resource_version (" +
         seq +
         ", res_type TEXT NOT NULL,"
         " res_id TEXT NOT NULL, version " +
         big + " NOT NULL, last_updated " + big +
         " NOT NULL, deleted INTEGER NOT NULL, method TEXT NOT NULL, body TEXT NOT NULL,"
         " UNIQUE (res_type, res_id, version));"
         "CREATE INDEX resource_version_type_seq ON resource_version (res_type, seq);"
         "CREATE INDEX resource_version_last_updated ON resource_version (last_updated);"
         "INSERT INTO resource_version (res_type, res_id, version, last_updated, deleted, method,"
         " body) VALUES ('Patient', 'old', 1, 10, 0, 'POST', '{\"v\":1}'),"
         " ('Patient', 'old', 2, 20, 0, 'PUT', '{\"v\":2}'),"
         " ('Patient', 'gone', 1, 30, 0, 'POST', '{\"g\":1}'),"
         " ('Patient', 'gone', 2, 40, 1, 'DELETE', '');"
         "INSERT INTO resource VALUES ('Patient', 'old', 2, 20, 0, 'PUT', '{\"v\":2}'),"
         " ('Patient', 'gone', 2, 40, 1, 'DELETE', '');";
}

TEST_CASE("a schema-1 database (bodies stored twice) migrates with its data intact") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    if (!b.postgresql) {
      std::filesystem::create_directories(std::filesystem::path(b.sqlite_path).parent_path());
    }
    raw_exec(b, schema_1_with_data(b.postgresql));
    auto reached = migrate_store(b.url);
    REQUIRE(reached.is_ok());
    CHECK(*reached >= 2);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto current = store->read("Patient", "old");
    REQUIRE(current.is_ok());
    CHECK(current->version == 2);
    CHECK(current->body == "{\"v\":2}");
    CHECK(current->method == "PUT");
    auto first = store->vread("Patient", "old", 1);
    REQUIRE(first.is_ok());
    CHECK(first->body == "{\"v\":1}");
    ResourceVersion deletion;
    CHECK(store->read("Patient", "gone", &deletion).status().code() == Code::kGone);
    CHECK(deletion.version == 2);
    auto updated = store->update(request("Patient", "old", 2));
    REQUIRE(updated.is_ok());
    CHECK(updated->stored.version == 3);
    auto now = store->read("Patient", "old");
    REQUIRE(now.is_ok());
    CHECK(now->body == updated->stored.body);
    HistoryQuery query;
    query.type = "Patient";
    query.id = "old";
    auto history = store->history(query);
    REQUIRE(history.is_ok());
    CHECK(history->total == 3);
  }
}

TEST_CASE("check_ready: ready on its own schema, precondition failed on any other") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    CHECK(store->check_ready().is_ok());
    raw_exec(b, "UPDATE schema_version SET version = version + 1");
    Status newer = store->check_ready();
    CHECK(newer.code() == Code::kPreconditionFailed);
    CHECK(newer.message().find("this binary writes version") != std::string::npos);
    raw_exec(b, "UPDATE schema_version SET version = version - 2");
    CHECK(store->check_ready().code() == Code::kPreconditionFailed);
    raw_exec(b, "UPDATE schema_version SET version = version + 1");
    CHECK(store->check_ready().is_ok());
  }
}

TEST_CASE("a database with a newer schema than the binary knows is refused, untouched") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto version = migrate_store(b.url);
    REQUIRE(version.is_ok());
    {
      auto store = open_or_die(b.url, clock);
      REQUIRE(store->create(request("Patient", "n")).is_ok());
    }
    raw_exec(b, "UPDATE schema_version SET version = 999");
    auto refused = open_store(b.url, clock);
    REQUIRE_FALSE(refused.is_ok());
    CHECK(refused.status().code() == Code::kInternal);
    CHECK(refused.status().message().find("newer") != std::string::npos);
    CHECK(refused.status().message().find("999") != std::string::npos);
    CHECK(migrate_store(b.url).status().code() == Code::kInternal);

    raw_exec(b, "UPDATE schema_version SET version = " + std::to_string(*version));
    auto store = open_or_die(b.url, clock);
    CHECK(store->read("Patient", "n").is_ok());
  }
}

}  // namespace
}  // namespace hearth::storage

namespace hearth::storage {
namespace {

TEST_CASE("PostgreSQL: a lost connection is kUnavailable once, then replaced") {
  const char* url = testing::pg_url();
  if (url == nullptr) return;
  testing::backends();  // empties the database
  ManualClock clock;
  auto store = open_or_die(url, clock);
  REQUIRE(store->create(request("Patient", "c")).is_ok());
  // Kill every server session of ours except this one: the pool's session dies under it.
  testing::pg_exec(url,
                   "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                   " WHERE usename = current_user AND pid <> pg_backend_pid()");
  auto first = store->read("Patient", "c");
  if (!first.is_ok()) CHECK(first.status().code() == Code::kUnavailable);
  auto second = store->read("Patient", "c");
  REQUIRE(second.is_ok());
  CHECK(second->version == 1);
  CHECK(store->update(request("Patient", "c")).is_ok());
}

}  // namespace
}  // namespace hearth::storage
