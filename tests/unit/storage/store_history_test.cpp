// Store behaviour suite, part 2: history at instance, type and system level; paging within a
// snapshot while writes continue; _since and _at.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using testing::request;

// "Type/id/version" of each entry, newest first.
std::vector<std::string> keys(const HistoryPage& page) {
  std::vector<std::string> out;
  for (const auto& e : page.entries) {
    out.push_back(e.type + "/" + e.id + "/" + std::to_string(e.version) + (e.deleted ? "D" : ""));
  }
  return out;
}

HistoryPage must(Result<HistoryPage> r) {
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

HistoryQuery query(std::string type = "", std::string id = "") {
  HistoryQuery q;
  q.type = std::move(type);
  q.id = std::move(id);
  return q;
}

// a1, b1, a2, o1, b2(deleted), 10 micros apart; returns the times.
std::vector<std::int64_t> seed(Store& store, ManualClock& clock) {
  std::vector<std::int64_t> t;
  auto step = [&](Result<WriteOutcome> r) {
    REQUIRE(r.is_ok());
    t.push_back(r->stored.last_updated_micros);
    clock.advance(10);
  };
  step(store.create(request("Patient", "a")));
  step(store.create(request("Patient", "b")));
  step(store.update(request("Patient", "a")));
  step(store.create(request("Observation", "o")));
  step(store.remove(request("Patient", "b")));
  return t;
}

TEST_CASE("history at instance, type and system level, newest first") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    seed(*store, clock);

    HistoryPage instance = must(store->history(query("Patient", "a")));
    CHECK(keys(instance) == std::vector<std::string>{"Patient/a/2", "Patient/a/1"});
    CHECK(instance.total == 2);
    CHECK(instance.entries[0].method == "PUT");
    CHECK(instance.entries[1].method == "POST");
    CHECK_FALSE(instance.entries[0].body.empty());

    HistoryPage type = must(store->history(query("Patient")));
    CHECK(keys(type) ==
          std::vector<std::string>{"Patient/b/2D", "Patient/a/2", "Patient/b/1", "Patient/a/1"});
    CHECK(type.total == 4);
    CHECK(type.entries[0].method == "DELETE");
    CHECK(type.entries[0].body.empty());

    HistoryPage system = must(store->history(query()));
    CHECK(keys(system) == std::vector<std::string>{"Patient/b/2D", "Observation/o/1", "Patient/a/2",
                                                   "Patient/b/1", "Patient/a/1"});
    CHECK(system.total == 5);
    CHECK(system.snapshot > 0);

    CHECK(must(store->history(query("Patient", "zzz"))).total == 0);
    CHECK(must(store->history(query("Encounter"))).entries.empty());
    CHECK(store->history(query("", "a")).status().code() == Code::kInvalidArgument);
  }
}

TEST_CASE("history pages stay stable within a snapshot while writes continue") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    seed(*store, clock);

    HistoryQuery q = query("Patient");
    q.count = 2;
    HistoryPage first = must(store->history(q));
    CHECK(keys(first) == std::vector<std::string>{"Patient/b/2D", "Patient/a/2"});
    CHECK(first.total == 4);

    REQUIRE(store->update(request("Patient", "a")).is_ok());
    REQUIRE(store->create(request("Patient", "c")).is_ok());

    q.snapshot = first.snapshot;
    q.offset = 2;
    HistoryPage second = must(store->history(q));
    CHECK(keys(second) == std::vector<std::string>{"Patient/b/1", "Patient/a/1"});
    CHECK(second.total == 4);
    CHECK(second.snapshot == first.snapshot);

    q.offset = 4;
    CHECK(must(store->history(q)).entries.empty());

    HistoryQuery fresh = query("Patient");
    fresh.count = 2;
    HistoryPage now = must(store->history(fresh));
    CHECK(now.total == 6);
    CHECK(keys(now) == std::vector<std::string>{"Patient/c/1", "Patient/a/3"});
    CHECK(now.snapshot > first.snapshot);

    HistoryQuery none = query("Patient");
    none.count = 0;
    HistoryPage counted = must(store->history(none));
    CHECK(counted.entries.empty());
    CHECK(counted.total == 6);
  }
}

TEST_CASE("history _since keeps versions stamped at or after the instant") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    std::vector<std::int64_t> t = seed(*store, clock);

    HistoryQuery q = query("Patient");
    q.since_micros = t[2];  // a2
    HistoryPage page = must(store->history(q));
    CHECK(keys(page) == std::vector<std::string>{"Patient/b/2D", "Patient/a/2"});
    CHECK(page.total == 2);

    HistoryQuery sys = query();
    sys.since_micros = t[4] + 1;
    CHECK(must(store->history(sys)).total == 0);
    sys.since_micros = t[0];
    CHECK(must(store->history(sys)).total == 5);

    HistoryQuery inst = query("Patient", "a");
    inst.since_micros = t[1];
    CHECK(keys(must(store->history(inst))) == std::vector<std::string>{"Patient/a/2"});
  }
}

TEST_CASE("history _at returns the versions current at that instant") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    std::vector<std::int64_t> t = seed(*store, clock);

    HistoryQuery q = query();
    q.at_micros = t[2] + 5;  // after a2, before o1
    CHECK(keys(must(store->history(q))) == std::vector<std::string>{"Patient/a/2", "Patient/b/1"});

    q.at_micros = t[4];  // exactly when b was deleted
    HistoryPage all = must(store->history(q));
    CHECK(keys(all) == std::vector<std::string>{"Patient/b/2D", "Observation/o/1", "Patient/a/2"});
    CHECK(all.total == 3);

    q.at_micros = t[0] - 1;  // before anything existed
    CHECK(must(store->history(q)).total == 0);

    HistoryQuery type = query("Patient");
    type.at_micros = t[1];
    CHECK(keys(must(store->history(type))) ==
          std::vector<std::string>{"Patient/b/1", "Patient/a/1"});

    HistoryQuery inst = query("Patient", "a");
    inst.at_micros = t[3];
    CHECK(keys(must(store->history(inst))) == std::vector<std::string>{"Patient/a/2"});

    HistoryQuery both = query("Patient");  // _since and _at together
    both.at_micros = t[2] + 5;
    both.since_micros = t[2];
    CHECK(keys(must(store->history(both))) == std::vector<std::string>{"Patient/a/2"});
  }
}

}  // namespace
}  // namespace hearth::storage
