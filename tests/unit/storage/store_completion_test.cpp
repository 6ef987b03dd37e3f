// Store behaviour suite, the completion forms: ResourceStore::write() and transact() with a done
// call it exactly once, after the commit (what it reports is readable by anyone), with the same
// errors as the blocking forms. Run against every backend (store_backends.h).
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <memory>
#include <vector>

#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using testing::request;

// write(), waiting for its completion; checks the written version is committed when it runs.
Result<WriteOutcome> write_and_wait(ResourceStore& store, WriteOp op, WriteRequest r) {
  std::promise<Result<WriteOutcome>> promise;
  auto future = promise.get_future();
  bool committed = true;  // checked here: doctest's assertions stay on the test's thread
  store.write(op, std::move(r), [&](Result<WriteOutcome> outcome) {
    if (outcome.is_ok() && outcome->kind != WriteKind::kNoChange) {
      auto now = store.vread(outcome->stored.type, outcome->stored.id, outcome->stored.version);
      committed = now.status().code() == (outcome->stored.deleted ? Code::kGone : Code::kOk);
    }
    promise.set_value(std::move(outcome));
  });
  Result<WriteOutcome> outcome = future.get();
  CHECK(committed);
  return outcome;
}

Status transact_and_wait(ResourceStore& store, TransactionBody body) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  store.transact(std::move(body), [&](Status status) { promise.set_value(std::move(status)); });
  return future.get();
}

TEST_CASE("write with done: create, update, delete, each committed before done runs") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto created = write_and_wait(*store, WriteOp::kCreate, request("Patient", "a"));
    REQUIRE(created.is_ok());
    CHECK(created->kind == WriteKind::kCreated);
    CHECK(created->stored.version == 1);
    auto updated = write_and_wait(*store, WriteOp::kUpdate, request("Patient", "a", 1));
    REQUIRE(updated.is_ok());
    CHECK(updated->kind == WriteKind::kUpdated);
    CHECK(updated->stored.version == 2);
    auto removed = write_and_wait(*store, WriteOp::kRemove, request("Patient", "a"));
    REQUIRE(removed.is_ok());
    CHECK(removed->kind == WriteKind::kDeleted);
    CHECK(store->read("Patient", "a").status().code() == Code::kGone);
  }
}

TEST_CASE("write with done: failures are delivered to done") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(write_and_wait(*store, WriteOp::kCreate, request("Patient", "a")).is_ok());
    CHECK(write_and_wait(*store, WriteOp::kCreate, request("Patient", "a")).status().code() ==
          Code::kConflict);
    CHECK(write_and_wait(*store, WriteOp::kUpdate, request("Patient", "a", 7)).status().code() ==
          Code::kPreconditionFailed);
    WriteRequest no_body = request("Patient", "b");
    no_body.make_body = nullptr;
    CHECK(write_and_wait(*store, WriteOp::kCreate, no_body).status().code() == Code::kInternal);
  }
}

TEST_CASE("transact with done: commits all or nothing, the body's error delivered") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    Status ok = transact_and_wait(*store, [](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "a")).status());
      return tx.create(request("Observation", "o")).status();
    });
    REQUIRE(ok.is_ok());
    CHECK(store->read("Observation", "o").is_ok());
    Status failed = transact_and_wait(*store, [](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(request("Patient", "b")).status());
      return tx.create(request("Patient", "a")).status();  // exists: kConflict
    });
    CHECK(failed.code() == Code::kConflict);
    CHECK(store->read("Patient", "b").status().code() == Code::kNotFound);
  }
}

TEST_CASE("write with done: many at once, each done called exactly once") {
  for (const auto& b : backends(true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    constexpr int kWrites = 200;
    std::vector<std::atomic<int>> calls(kWrites);
    std::atomic<int> finished{0};
    std::atomic<int> failed{0};
    std::promise<void> all;
    for (int i = 0; i < kWrites; ++i) {
      store->write(WriteOp::kCreate, request("Patient", "p" + std::to_string(i)),
                   [&, i](Result<WriteOutcome> outcome) {
                     if (!outcome.is_ok()) failed.fetch_add(1);
                     calls[i].fetch_add(1);
                     if (finished.fetch_add(1) + 1 == kWrites) all.set_value();
                   });
    }
    all.get_future().wait();
    CHECK(failed.load() == 0);
    for (int i = 0; i < kWrites; ++i) CHECK(calls[i].load() == 1);
    HistoryQuery everything;
    auto page = store->history(everything);
    REQUIRE(page.is_ok());
    CHECK(page->total == kWrites);
  }
}

}  // namespace
}  // namespace hearth::storage
