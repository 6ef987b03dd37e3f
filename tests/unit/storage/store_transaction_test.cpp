// Store behaviour suite, transactions: ResourceStore::transact() commits all of a body's writes
// or none, lets the body read and search its own writes, and never lets two transactions
// interleave partially. Run against every backend (store_backends.h).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fhir/search/search_query.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using testing::request;

std::int64_t history_total(ResourceStore& store) {
  HistoryQuery all;
  auto page = store.history(all);
  REQUIRE(page.is_ok());
  return page->total;
}

fhir::search::SearchQuery by_id(const std::string& type, const std::string& id) {
  auto query = fhir::search::parse_search(type, {{"_id", id}}, "http://x/fhir", true);
  REQUIRE(query.is_ok());
  return std::move(query).value();
}

TEST_CASE("transact: every write of the body commits together") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(request("Patient", "old")).is_ok());
    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "a")).status());
      HEARTH_RETURN_IF_ERROR(tx.create(request("Observation", "o1")).status());
      HEARTH_RETURN_IF_ERROR(tx.update(request("Patient", "old", 1)).status());
      HEARTH_RETURN_IF_ERROR(tx.remove(request("Patient", "a")).status());
      return Status::ok();
    });
    REQUIRE(status.is_ok());
    CHECK(store->read("Patient", "a").status().code() == Code::kGone);
    CHECK(store->read("Observation", "o1").is_ok());
    auto old = store->read("Patient", "old");
    REQUIRE(old.is_ok());
    CHECK(old->version == 2);
    CHECK(history_total(*store) == 5);
  }
}

TEST_CASE("transact: an error from the body leaves the store exactly as before") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(request("Patient", "kept")).is_ok());
    const std::int64_t before = history_total(*store);

    // The body gives up after some writes succeeded.
    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "x1")).status());
      HEARTH_RETURN_IF_ERROR(tx.update(request("Patient", "kept")).status());
      return Status(Code::kUnprocessable, "entry 3 is invalid");
    });
    CHECK(status.code() == Code::kUnprocessable);
    CHECK(status.message() == "entry 3 is invalid");

    // A store error inside (create of an existing id) handed back by the body.
    status = store->transact([&](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "x2")).status());
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "kept")).status());
      return Status::ok();
    });
    CHECK(status.code() == Code::kConflict);

    // A stale precondition.
    status = store->transact([&](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "x3")).status());
      HEARTH_RETURN_IF_ERROR(tx.update(request("Patient", "kept", 7)).status());
      return Status::ok();
    });
    CHECK(status.code() == Code::kPreconditionFailed);

    CHECK(history_total(*store) == before);
    for (const char* id : {"x1", "x2", "x3"}) {
      CHECK(store->read("Patient", id).status().code() == Code::kNotFound);
    }
    auto kept = store->read("Patient", "kept");
    REQUIRE(kept.is_ok());
    CHECK(kept->version == 1);
    // The store still takes writes after the rollbacks.
    CHECK(store->create(request("Patient", "x1")).is_ok());
  }
}

TEST_CASE("transact: reads and searches inside see the transaction's own writes") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      CHECK(tx.read("Patient", "t1").status().code() == Code::kNotFound);
      auto none = tx.search(by_id("Patient", "t1"));
      REQUIRE(none.is_ok());
      CHECK(none->entries.empty());
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "t1")).status());
      auto read = tx.read("Patient", "t1");
      REQUIRE(read.is_ok());
      CHECK(read->version == 1);
      auto found = tx.search(by_id("Patient", "t1"));
      REQUIRE(found.is_ok());
      REQUIRE(found->entries.size() == 1);
      CHECK(found->entries[0].id == "t1");
      CHECK(tx.vread("Patient", "t1", 1).is_ok());
      return Status::ok();
    });
    CHECK(status.is_ok());
  }
}

// Each transaction moves two resources to the next version together, locking them in opposite
// orders on alternate threads. Inside, both must always be at the same version: a partial
// interleaving of two transactions would show one moved and the other not.
TEST_CASE("transact: concurrent transactions over the same resources never interleave") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(request("Patient", "A")).is_ok());
    REQUIRE(store->create(request("Patient", "B")).is_ok());
    constexpr int kThreads = 4;
    constexpr int kPerThread = 25;
    std::atomic<int> torn{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const char* first = t % 2 == 0 ? "A" : "B";
        const char* second = t % 2 == 0 ? "B" : "A";
        for (int i = 0; i < kPerThread; ++i) {
          Status status = store->transact([&](StoreTransaction& tx) -> Status {
            HEARTH_RETURN_IF_ERROR(tx.lock({{"Patient", first}, {"Patient", second}}));
            HEARTH_ASSIGN_OR_RETURN(auto one, tx.update(request("Patient", first)));
            HEARTH_ASSIGN_OR_RETURN(auto other, tx.read("Patient", second));
            if (one.stored.version != other.version + 1) torn.fetch_add(1);
            HEARTH_RETURN_IF_ERROR(tx.update(request("Patient", second)).status());
            return Status::ok();
          });
          if (!status.is_ok()) {
            failed.fetch_add(1);
            MESSAGE(status.message());
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(torn.load() == 0);
    CHECK(failed.load() == 0);
    auto a = store->read("Patient", "A");
    auto bb = store->read("Patient", "B");
    REQUIRE(a.is_ok());
    REQUIRE(bb.is_ok());
    CHECK(a->version == 1 + kThreads * kPerThread);
    CHECK(bb->version == 1 + kThreads * kPerThread);
  }
}

// The conditional-create shape: search, and create when nothing matched. Racing transactions
// that take the same criteria lock first find one another's resource: exactly one is created
// (on PostgreSQL the searches would otherwise all run before any create committed). Between
// search and create each body waits, up to 300 ms, for every racer to have searched: without
// the lock they all have, at once, and all create; with it each waits alone, in turn.
TEST_CASE("transact: lock_criteria makes racing search-then-create transactions create once") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    const std::string type = "Group";
    auto all = fhir::search::parse_search(type, {}, "http://x/fhir", true);
    REQUIRE(all.is_ok());
    const std::size_t before = [&] {
      auto page = store->search(*all);
      REQUIRE(page.is_ok());
      return page->entries.size();
    }();
    constexpr int kThreads = 4;
    std::atomic<int> created{0}, failed{0};
    std::atomic<int> ready{0}, searched{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();
        Status status = store->transact([&](StoreTransaction& tx) -> Status {
          HEARTH_RETURN_IF_ERROR(tx.lock_criteria("Group?code=racing"));
          HEARTH_ASSIGN_OR_RETURN(SearchPage page, tx.search(*all));
          if (page.entries.size() > before) return Status::ok();
          searched.fetch_add(1);
          const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
          while (searched.load() < kThreads && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
          HEARTH_RETURN_IF_ERROR(tx.create(request(type, "racer" + std::to_string(t))).status());
          created.fetch_add(1);
          return Status::ok();
        });
        if (!status.is_ok()) {
          failed.fetch_add(1);
          MESSAGE(status.message());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failed.load() == 0);
    auto page = store->search(*all);
    REQUIRE(page.is_ok());
    CHECK(page->entries.size() == before + 1);
    CHECK(created.load() >= 1);  // a retried body may count twice; the store holds one
  }
}

}  // namespace
}  // namespace hearth::storage
