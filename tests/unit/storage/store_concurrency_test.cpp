// Store behaviour suite, part 3: concurrent writers never lose or duplicate a version.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::open_or_die;
using testing::request;

TEST_CASE("8 threads x 200 updates of one resource: versions 1..1601, none lost") {
  constexpr int kThreads = 8;
  constexpr int kUpdates = 200;
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    REQUIRE(store->create(request("Patient", "hot")).is_ok());

    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kUpdates; ++i) {
          if (!store->update(request("Patient", "hot")).is_ok()) ++failures;
          if (i % 10 == 0 && !store->read("Patient", "hot").is_ok()) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(failures.load() == 0);

    constexpr int kLast = kThreads * kUpdates + 1;
    auto current = store->read("Patient", "hot");
    REQUIRE(current.is_ok());
    CHECK(current->version == kLast);

    HistoryQuery q;
    q.type = "Patient";
    q.id = "hot";
    q.count = 5000;
    auto page = store->history(q);
    REQUIRE(page.is_ok());
    CHECK(page->total == kLast);
    std::set<std::int64_t> versions;
    std::int64_t previous_version = kLast + 1;
    std::int64_t previous_time = INT64_MAX;
    bool ordered = true;
    for (const auto& e : page->entries) {
      versions.insert(e.version);
      ordered =
          ordered && e.version == previous_version - 1 && e.last_updated_micros < previous_time;
      previous_version = e.version;
      previous_time = e.last_updated_micros;
    }
    CHECK(ordered);
    CHECK(versions.size() == static_cast<std::size_t>(kLast));
    CHECK(*versions.begin() == 1);
    CHECK(*versions.rbegin() == kLast);
  }
}

TEST_CASE("racing creates of one id: exactly one wins, the rest conflict") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    for (int round = 0; round < 10; ++round) {
      const std::string id = "race" + std::to_string(round);
      std::atomic<int> created{0}, conflicts{0}, other{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
          auto r = store->create(request("Patient", id));
          if (r.is_ok()) {
            ++created;
          } else if (r.status().code() == Code::kConflict) {
            ++conflicts;
          } else {
            ++other;
          }
        });
      }
      for (auto& th : threads) th.join();
      CHECK(created.load() == 1);
      CHECK(conflicts.load() == 7);
      CHECK(other.load() == 0);
    }
  }
}

TEST_CASE("racing update-as-create of one new id yields versions 1..8") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    std::atomic<int> failures{0}, creations{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        auto r = store->update(request("Patient", "fresh"));
        if (!r.is_ok()) {
          ++failures;
        } else if (r->kind == WriteKind::kCreated) {
          ++creations;
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(failures.load() == 0);
    CHECK(creations.load() == 1);
    auto current = store->read("Patient", "fresh");
    REQUIRE(current.is_ok());
    CHECK(current->version == 8);
  }
}

}  // namespace
}  // namespace hearth::storage
