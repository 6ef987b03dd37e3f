// Store behaviour suite, bounded time: the statement time limit (StoreOptions), cancellation of
// a search through the thread's CancelToken, the session lanes that keep searches from taking
// what writes need, and the PostgreSQL connection defaults.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/cancel.h"
#include "fhir/search/search_query.h"
#include "storage/sql/session_pool.h"
#include "storage/store.h"
#include "storage/store_url.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using fhir::search::Modifier;
using fhir::search::SearchClause;
using fhir::search::SearchQuery;
using fhir::search::SearchValue;
using testing::backends;
using testing::ManualClock;
using testing::raw_exec;

constexpr int kRows = 300'000;

// kRows Patients with one `family` index row each, written straight into the tables: a
// :contains search over them scans every row, far longer than the limits used below.
void fill(const testing::Backend& b) {
  const std::string n = std::to_string(kRows);
  if (b.postgresql) {
    raw_exec(
        b,
        "INSERT INTO resource_version (res_type, res_id, version, last_updated, deleted,"
        " method, body) SELECT 'Patient', 'p' || g, 1, 1, 0, 'POST', '{}'"
        " FROM generate_series(1, " +
            n +
            ") g;"
            "INSERT INTO resource (res_type, res_id, version, last_updated, deleted, method, seq,"
            " rid) SELECT res_type, res_id, version, last_updated, deleted, method, seq, seq"
            " FROM resource_version;"
            "INSERT INTO idx_string (rid, pid, folded, exact) SELECT r.rid, p.id,"
            " 'name' || substr(r.res_id, 2), 'name' || substr(r.res_id, 2) FROM resource r,"
            " search_param p WHERE p.res_type = 'Patient' AND p.code = 'family'");
  } else {
    raw_exec(b,
             "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + n +
                 ") INSERT INTO resource_version (res_type, res_id, version, last_updated,"
                 " deleted, method, body) SELECT 'Patient', 'p' || x, 1, 1, 0, 'POST', '{}'"
                 " FROM g;"
                 "INSERT INTO resource (res_type, res_id, version, last_updated, deleted, method,"
                 " seq, rid) SELECT res_type, res_id, version, last_updated, deleted, method, seq,"
                 " seq FROM resource_version;"
                 "INSERT INTO idx_string (rid, pid, folded, exact) SELECT r.rid, p.id,"
                 " 'name' || substr(r.res_id, 2), 'name' || substr(r.res_id, 2) FROM resource r,"
                 " search_param p WHERE p.res_type = 'Patient' AND p.code = 'family'");
  }
}

SearchQuery slow_search() {
  SearchClause contains;
  contains.param = fhir::find_search_param("Patient", "family");
  REQUIRE(contains.param != nullptr);
  contains.code = contains.param->code;
  contains.modifier = Modifier::kContains;
  // Values that match nothing: every row is looked at, for each of them.
  for (const char* text : {"zzz", "yyy", "xxx", "www"}) {
    SearchValue v;
    v.raw = v.folded = text;
    contains.values.push_back(v);
  }
  SearchQuery q;
  q.resource_type = "Patient";
  q.clauses = {contains};
  q.sort.push_back({.param = fhir::find_search_param("Patient", "_id"), .descending = false});
  return q;
}

std::unique_ptr<Store> open_with(const std::string& url, const Clock& clock,
                                 std::chrono::milliseconds timeout) {
  auto store = open_store(url, clock, StoreOptions{.statement_timeout = timeout});
  REQUIRE_MESSAGE(store.is_ok(), store.status().message());
  return std::move(store).value();
}

TEST_CASE("a search past the statement time limit fails 503-style and frees its session") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    // Open once to create the schema, fill behind its back, reopen with a limit.
    open_with(b.url, clock, std::chrono::milliseconds(0)).reset();
    fill(b);
    auto store = open_with(b.url, clock, std::chrono::milliseconds(40));
    for (int i = 0; i < 3; ++i) {  // the session is fine afterwards, again and again
      auto page = store->search(slow_search());
      REQUIRE_FALSE(page.is_ok());
      CHECK(page.status().code() == Code::kUnavailable);
      CHECK(page.status().message().find("time limit") != std::string::npos);
    }
    // Quick calls on the same store still work. Under a heavily loaded machine a quick call
    // can itself pass 40 ms: it may meet the time limit a few times, never another failure.
    auto works = [](const auto& call) {
      Status last;
      for (int attempt = 0; attempt < 5; ++attempt) {
        last = call();
        if (last.code() != Code::kUnavailable) break;
      }
      return last;
    };
    const Status read = works([&] { return store->read("Patient", "p1").status(); });
    CHECK_MESSAGE(read.is_ok(), read.message());
    const Status created =
        works([&] { return store->create(testing::request("Patient", "new")).status(); });
    CHECK_MESSAGE(created.is_ok(), created.message());
    // Without a limit the same search completes.
    auto unlimited = open_with(b.url, clock, std::chrono::milliseconds(0));
    auto page = unlimited->search(slow_search());
    REQUIRE_MESSAGE(page.is_ok(), page.status().message());
    CHECK(page->entries.empty());
  }
}

TEST_CASE("SQLite: a search whose CancelToken is cancelled stops; writes are never cancelled") {
  const auto b = backends(/*persistent_only=*/true).front();
  ManualClock clock;
  open_with(b.url, clock, std::chrono::milliseconds(0)).reset();
  fill(b);
  auto store = open_with(b.url, clock, std::chrono::seconds(60));
  CancelToken token;
  token.cancel();
  {
    CancelScope scope(&token);
    const auto started = std::chrono::steady_clock::now();
    auto page = store->search(slow_search());
    REQUIRE_FALSE(page.is_ok());
    CHECK(page.status().code() == Code::kUnavailable);
    CHECK(page.status().message().find("cancelled") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
    // A write on a cancelled thread still commits (a group commit serves other clients too).
    CHECK(store->create(testing::request("Patient", "written")).is_ok());
  }
  CHECK(store->read("Patient", "written").is_ok());
  CancelToken live;
  CancelScope scope(&live);
  SearchQuery by_id = slow_search();
  by_id.clauses.clear();
  by_id.count = 1;
  by_id.total = fhir::search::TotalMode::kNone;
  CHECK(store->search(by_id).is_ok());
}

TEST_CASE("SQLite: a write batch past the time limit is rolled back whole") {
  const auto b = backends(/*persistent_only=*/true).front();
  ManualClock clock;
  // 50 ms: far below what 400,000 index rows take, far above a one-row create even under
  // sanitizers on a loaded machine (1 ms made the small create below fail now and then).
  auto store = open_with(b.url, clock, std::chrono::milliseconds(50));
  WriteRequest big = testing::request("Patient", "big");
  for (int i = 0; i < 400'000; ++i) {
    const std::string s = "value" + std::to_string(i);
    big.index.strings.push_back({.param = "family", .folded = s, .exact = s});
  }
  auto written = store->create(big);
  REQUIRE_FALSE(written.is_ok());
  CHECK(written.status().code() == Code::kUnavailable);
  CHECK(store->read("Patient", "big").status().code() == Code::kNotFound);
  CHECK(store->create(testing::request("Patient", "small")).is_ok());
}

TEST_CASE("session lanes: searches never take the sessions reads by id and writes need") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    auto url = parse_store_url(b.url);
    REQUIRE(url.is_ok());
    auto pool = SessionPool::open(*url, 8);
    REQUIRE(pool.is_ok());
    REQUIRE((*pool)->set_statement_timeout(std::chrono::milliseconds(200)).is_ok());
    CHECK((*pool)->max_queries() == 6);
    std::vector<SessionPool::Lease> queries;
    for (std::size_t i = 0; i < (*pool)->max_queries(); ++i) {
      auto lease = (*pool)->acquire(Lane::kQuery);
      REQUIRE_MESSAGE(lease.is_ok(), lease.status().message());
      queries.push_back(std::move(lease).value());
    }
    // One search more waits (up to the statement timeout) and gives up.
    auto more = (*pool)->acquire(Lane::kQuery);
    REQUIRE_FALSE(more.is_ok());
    CHECK(more.status().code() == Code::kUnavailable);
    {
      auto key = (*pool)->acquire(Lane::kKey);
      auto write = (*pool)->acquire(Lane::kWrite);
      CHECK(key.is_ok());
      CHECK(write.is_ok());
    }
    queries.pop_back();
    CHECK((*pool)->acquire(Lane::kQuery).is_ok());
  }
}

TEST_CASE("a search waiting for a session gives up its place once its client left") {
  const auto b = backends(/*persistent_only=*/true).front();
  auto url = parse_store_url(b.url);
  REQUIRE(url.is_ok());
  auto pool = SessionPool::open(*url, 4);
  REQUIRE(pool.is_ok());
  REQUIRE((*pool)->set_statement_timeout(std::chrono::minutes(10)).is_ok());
  std::vector<SessionPool::Lease> queries;
  for (std::size_t i = 0; i < (*pool)->max_queries(); ++i) {
    queries.push_back(std::move((*pool)->acquire(Lane::kQuery)).value());
  }
  CancelToken token;
  std::thread leaver([&token] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    token.cancel();
  });
  CancelScope scope(&token);
  const auto started = std::chrono::steady_clock::now();
  auto waited = (*pool)->acquire(Lane::kQuery);
  leaver.join();
  REQUIRE_FALSE(waited.is_ok());
  CHECK(waited.status().message().find("cancelled") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::minutes(1));
}

TEST_CASE("PostgreSQL URLs get connect_timeout and keepalives unless they set them") {
  auto plain = parse_store_url("postgresql://u:p@db.example:5432/hearth");
  REQUIRE(plain.is_ok());
  CHECK(plain->connect.find("connect_timeout='10'") != std::string::npos);
  CHECK(plain->connect.find("keepalives='1'") != std::string::npos);
  CHECK(plain->connect.find("keepalives_idle='30'") != std::string::npos);
  auto own = parse_store_url("postgresql://u:p@db/h?connect_timeout=2&keepalives=0");
  REQUIRE(own.is_ok());
  CHECK(own->connect.find("connect_timeout='2'") != std::string::npos);
  CHECK(own->connect.find("keepalives='0'") != std::string::npos);
  CHECK(own->connect.find("connect_timeout='10'") == std::string::npos);
}

}  // namespace
}  // namespace hearth::storage
