// Store behaviour suite: point reads that share read transactions (storage/sql/read_snapshot.h)
// still read every write that was acknowledged before they began, never go back in time, and
// see another process's writes within kMaxSnapshotAge.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "storage/sql/read_snapshot.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::open_or_die;
using testing::request;

TEST_CASE("a point read right after a write reads it, though the session read just before") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    REQUIRE(store->create(request("Patient", "snap")).is_ok());
    int stale = 0;
    for (int i = 0; i < 200; ++i) {
      REQUIRE(store->read("Patient", "snap").is_ok());  // leaves its session with a snapshot
      Result<WriteOutcome> written = store->update(request("Patient", "snap"));
      REQUIRE(written.is_ok());
      Result<ResourceVersion> read = store->read("Patient", "snap");
      REQUIRE(read.is_ok());
      if (read->version != written->stored.version) ++stale;
    }
    CHECK(stale == 0);
  }
}

TEST_CASE("point reads see every acknowledged write, and never an older version after a newer") {
  constexpr int kReaders = 4;
  constexpr int kUpdates = 300;
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    REQUIRE(store->create(request("Patient", "snap")).is_ok());
    REQUIRE(store->create(request("Patient", "other")).is_ok());

    std::atomic<bool> stop{false};
    std::atomic<int> went_back{0};
    std::atomic<long> reads{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < kReaders; ++t) {
      readers.emplace_back([&] {
        std::int64_t seen = 0;
        while (!stop.load()) {
          Result<ResourceVersion> current = store->read("Patient", "snap");
          if (!current.is_ok()) continue;
          if (current->version < seen) ++went_back;
          seen = current->version;
          ++reads;
        }
      });
    }
    int stale = 0;
    for (int i = 0; i < kUpdates; ++i) {
      // A write to another resource first, so the readers' sessions hold snapshots taken
      // between commits, not only before them.
      REQUIRE(store->update(request("Patient", "other")).is_ok());
      Result<WriteOutcome> written = store->update(request("Patient", "snap"));
      REQUIRE(written.is_ok());
      Result<ResourceVersion> read = store->read("Patient", "snap");
      REQUIRE(read.is_ok());
      if (read->version != written->stored.version) ++stale;
    }
    stop.store(true);
    for (auto& reader : readers) reader.join();
    CHECK(stale == 0);
    CHECK(went_back.load() == 0);
    CHECK(reads.load() > 0);
  }
}

TEST_CASE("a write by another store on the same SQLite file is read within the snapshot age") {
  const auto file = backends(true).front();
  REQUIRE(!file.postgresql);
  auto clock = make_system_clock();
  auto reader = open_or_die(file.url, *clock);
  auto writer = open_or_die(file.url, *clock);  // as another process would: its own commits
  REQUIRE(writer->create(request("Patient", "elsewhere")).is_ok());
  for (int round = 0; round < 20; ++round) {
    Result<ResourceVersion> before = reader->read("Patient", "elsewhere");
    REQUIRE(before.is_ok());
    Result<WriteOutcome> written = writer->update(request("Patient", "elsewhere"));
    REQUIRE(written.is_ok());
    std::this_thread::sleep_for(2 * detail::kMaxSnapshotAge);
    Result<ResourceVersion> after = reader->read("Patient", "elsewhere");
    REQUIRE(after.is_ok());
    CHECK(after->version == written->stored.version);
  }
}

}  // namespace
}  // namespace hearth::storage
