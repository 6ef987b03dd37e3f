// Store behaviour suite, part 1: create, read, vread, update, remove and their errors, run
// against every backend (store_backends.h).
#include <doctest/doctest.h>

#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::body_for;
using testing::ManualClock;
using testing::open_or_die;
using testing::request;

TEST_CASE("create then read returns version 1 with the body make_body built") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    CHECK(store->engine() == (b.postgresql ? "postgresql" : "sqlite"));
    auto created = store->create(request("Patient", "p1"));
    REQUIRE(created.is_ok());
    CHECK(created->kind == WriteKind::kCreated);
    CHECK(created->stored.version == 1);
    CHECK(created->stored.last_updated_micros == clock.now_micros());
    CHECK(created->stored.method == "POST");
    CHECK(created->stored.body == body_for("Patient", "p1", 1, clock.now_micros()));

    auto read = store->read("Patient", "p1");
    REQUIRE(read.is_ok());
    CHECK(read->version == 1);
    CHECK_FALSE(read->deleted);
    CHECK(read->method == "POST");
    CHECK(read->body == created->stored.body);
    CHECK(read->last_updated_micros == created->stored.last_updated_micros);

    CHECK(store->read("Patient", "nope").status().code() == Code::kNotFound);
    CHECK(store->read("Observation", "p1").status().code() == Code::kNotFound);
  }
}

TEST_CASE("create of an existing id is a conflict, even when deleted") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(request("Patient", "p1")).is_ok());
    CHECK(store->create(request("Patient", "p1")).status().code() == Code::kConflict);
    REQUIRE(store->remove(request("Patient", "p1")).is_ok());
    CHECK(store->create(request("Patient", "p1")).status().code() == Code::kConflict);
    CHECK(store->read("Patient", "p1").status().code() == Code::kGone);
  }
}

TEST_CASE("update: new versions, update-as-create, preconditions") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);

    auto made = store->update(request("Patient", "u1"));
    REQUIRE(made.is_ok());
    CHECK(made->kind == WriteKind::kCreated);
    CHECK(made->stored.version == 1);
    CHECK(made->stored.method == "PUT");

    clock.advance(10);
    auto second = store->update(request("Patient", "u1", std::nullopt, ",\"n\":2"));
    REQUIRE(second.is_ok());
    CHECK(second->kind == WriteKind::kUpdated);
    CHECK(second->stored.version == 2);
    CHECK(second->stored.last_updated_micros == clock.now_micros());

    auto mismatch = store->update(request("Patient", "u1", 1));
    CHECK(mismatch.status().code() == Code::kPreconditionFailed);
    auto matched = store->update(request("Patient", "u1", 2));
    REQUIRE(matched.is_ok());
    CHECK(matched->stored.version == 3);

    auto absent = store->update(request("Patient", "never", 1));
    CHECK(absent.status().code() == Code::kPreconditionFailed);
    CHECK(store->read("Patient", "never").status().code() == Code::kNotFound);

    // Update after delete re-creates the resource with the next version.
    REQUIRE(store->remove(request("Patient", "u1")).is_ok());
    auto revived = store->update(request("Patient", "u1"));
    REQUIRE(revived.is_ok());
    CHECK(revived->kind == WriteKind::kCreated);
    CHECK(revived->stored.version == 5);
    auto read = store->read("Patient", "u1");
    REQUIRE(read.is_ok());
    CHECK(read->version == 5);
    CHECK(read->body == revived->stored.body);
  }
}

TEST_CASE("last_updated is strictly increasing per resource even with a frozen clock") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(request("Patient", "t")).is_ok());
    const std::int64_t start = clock.now_micros();
    for (int i = 2; i <= 5; ++i) {
      auto u = store->update(request("Patient", "t"));
      REQUIRE(u.is_ok());
      CHECK(u->stored.last_updated_micros == start + (i - 1));
      CHECK(u->stored.body == body_for("Patient", "t", i, start + (i - 1)));
    }
    clock.set(start - 1'000'000);  // the clock steps back
    auto d = store->remove(request("Patient", "t"));
    REQUIRE(d.is_ok());
    CHECK(d->stored.last_updated_micros == start + 5);
  }
}

TEST_CASE("remove records a deletion version; repeated or missing deletes are kNoChange") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(request("Patient", "d1")).is_ok());
    clock.advance(5);

    CHECK(store->remove(request("Patient", "d1", 7)).status().code() == Code::kPreconditionFailed);
    auto removed = store->remove(request("Patient", "d1", 1));
    REQUIRE(removed.is_ok());
    CHECK(removed->kind == WriteKind::kDeleted);
    CHECK(removed->stored.version == 2);
    CHECK(removed->stored.deleted);
    CHECK(removed->stored.method == "DELETE");
    CHECK(removed->stored.body.empty());

    ResourceVersion gone;
    auto read = store->read("Patient", "d1", &gone);
    CHECK(read.status().code() == Code::kGone);
    CHECK(gone.version == 2);
    CHECK(gone.deleted);
    CHECK(gone.last_updated_micros == clock.now_micros());
    CHECK(store->read("Patient", "d1").status().code() == Code::kGone);  // null deleted_out

    auto again = store->remove(request("Patient", "d1"));
    REQUIRE(again.is_ok());
    CHECK(again->kind == WriteKind::kNoChange);
    CHECK(again->stored.version == 2);
    CHECK(again->stored.deleted);

    auto missing = store->remove(request("Patient", "zz"));
    REQUIRE(missing.is_ok());
    CHECK(missing->kind == WriteKind::kNoChange);
    CHECK(missing->stored.version == 0);
    CHECK(store->remove(request("Patient", "zz", 1)).status().code() == Code::kPreconditionFailed);
    CHECK(store->read("Patient", "zz").status().code() == Code::kNotFound);
  }
}

TEST_CASE("vread returns each version; deletion versions are gone, missing ones not found") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto v1 = store->create(request("Observation", "o1", std::nullopt, ",\"v\":1"));
    REQUIRE(v1.is_ok());
    clock.advance(1);
    auto v2 = store->update(request("Observation", "o1", std::nullopt, ",\"v\":2"));
    REQUIRE(v2.is_ok());
    REQUIRE(store->remove(request("Observation", "o1")).is_ok());

    auto r1 = store->vread("Observation", "o1", 1);
    REQUIRE(r1.is_ok());
    CHECK(r1->version == 1);
    CHECK(r1->body == v1->stored.body);
    CHECK(r1->method == "POST");
    auto r2 = store->vread("Observation", "o1", 2);
    REQUIRE(r2.is_ok());
    CHECK(r2->body == v2->stored.body);
    CHECK(r2->method == "PUT");
    CHECK(r2->last_updated_micros == v2->stored.last_updated_micros);
    CHECK(store->vread("Observation", "o1", 3).status().code() == Code::kGone);
    CHECK(store->vread("Observation", "o1", 4).status().code() == Code::kNotFound);
    CHECK(store->vread("Observation", "o1", 0).status().code() == Code::kNotFound);
    CHECK(store->vread("Observation", "nope", 1).status().code() == Code::kNotFound);
  }
}

TEST_CASE("ids and bodies are stored byte for byte") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    const std::string big(64 * 1024, 'x');
    const std::string unicode = "{\"name\":\"Zo\xC3\xAB \xE6\x9D\x8E 'quote' \\\"dq\\\"\"}";
    WriteRequest r;
    r.type = "Patient";
    r.id = "A-b.9";
    r.make_body = [&](std::int64_t, std::int64_t) { return unicode + big; };
    REQUIRE(store->create(r).is_ok());
    auto read = store->read("Patient", "A-b.9");
    REQUIRE(read.is_ok());
    CHECK(read->body == unicode + big);
    CHECK(store->read("Patient", "a-b.9").status().code() == Code::kNotFound);  // case matters
  }
}

TEST_CASE("a write without make_body is refused, not crashed") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    WriteRequest r;
    r.type = "Patient";
    r.id = "x";
    CHECK(store->create(r).status().code() == Code::kInternal);
    CHECK(store->read("Patient", "x").status().code() == Code::kNotFound);
  }
}

TEST_CASE("an exception from make_body rolls the write back") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    WriteRequest r = request("Patient", "boom");
    r.make_body = [](std::int64_t, std::int64_t) -> std::string {
      throw std::runtime_error("builder failed");
    };
    auto result = store->create(r);
    CHECK(result.status().code() == Code::kInternal);
    CHECK(result.status().message().find("builder failed") != std::string::npos);
    CHECK(store->read("Patient", "boom").status().code() == Code::kNotFound);
    CHECK(store->create(request("Patient", "boom")).is_ok());  // the session still works
  }
}

}  // namespace
}  // namespace hearth::storage
