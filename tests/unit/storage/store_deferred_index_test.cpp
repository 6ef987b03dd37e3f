// Store behaviour suite, index rows a write defers (storage/sql/search_index.h): SQLite keeps a
// write's index rows in memory until the session reads the index, sets a savepoint or commits.
// Whatever the backend: a transaction's searches and token lookups see every kind of row its own
// earlier writes made (string, token, date, quantity, reference, uri, composite, token-date and
// full-text rows); an update replaces rows still deferred; and in a group commit a write whose
// savepoint is rolled back leaves none of its rows, while the writes batched before and after it
// keep all of theirs.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/search_query.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::indexed_fields;
using testing::ManualClock;
using testing::open_or_die;

// The ids a search finds, on a transaction or on the store.
template <typename Searcher>
std::vector<std::string> found(Searcher& searcher, const std::string& type,
                               std::vector<std::pair<std::string, std::string>> params) {
  auto query = fhir::search::parse_search(type, params, "", true);
  REQUIRE_MESSAGE(query.is_ok(), query.status().message());
  auto page = searcher.search(*query);
  REQUIRE_MESSAGE(page.is_ok(), page.status().message());
  std::vector<std::string> ids;
  for (const ResourceVersion& r : page->entries) ids.push_back(r.id);
  return ids;
}

const std::string kPatient =
    R"("meta":{"source":"urn:msg:7"},"identifier":[{"system":"urn:mrn","value":"M-1"}],)"
    R"("name":[{"family":"Okafor","given":["Ada"]}],"birthDate":"1961-04-02",)"
    R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">)"
    R"(Ada Okafor, retired pilot</div>"})";

const std::string kObservation =
    R"("status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},)"
    R"("subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-30T08:00:00Z",)"
    R"("valueQuantity":{"value":5.4,"unit":"mmol/L","system":"http://unitsofmeasure.org",)"
    R"("code":"mmol/L"})";

TEST_CASE("deferred index rows: a transaction searches every kind of row it wrote") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      HEARTH_RETURN_IF_ERROR(tx.create(indexed_fields("Patient", "p1", kPatient)).status());
      HEARTH_RETURN_IF_ERROR(tx.create(indexed_fields("Observation", "o1", kObservation)).status());
      TokenLookup lookup;
      lookup.type = "Patient";
      lookup.param = "identifier";
      lookup.system = "urn:mrn";
      lookup.code = "M-1";
      lookup.limit = 2;
      auto matches = tx.lookup_token(lookup);
      REQUIRE(matches.is_ok());
      REQUIRE(matches->size() == 1);
      CHECK((*matches)[0].id == "p1");
      using V = std::vector<std::string>;
      CHECK(found(tx, "Patient", {{"family", "okafor"}}) == V{"p1"});           // string
      CHECK(found(tx, "Patient", {{"birthdate", "1961-04-02"}}) == V{"p1"});    // date
      CHECK(found(tx, "Patient", {{"_source", "urn:msg:7"}}) == V{"p1"});       // uri
      CHECK(found(tx, "Patient", {{"_text", "pilot"}}) == V{"p1"});             // full text
      CHECK(found(tx, "Observation", {{"subject", "Patient/p1"}}) == V{"o1"});  // reference
      CHECK(found(tx, "Observation", {{"value-quantity", "5.4"}}) == V{"o1"});  // quantity
      CHECK(found(tx, "Observation", {{"code-value-quantity", "2345-7$5.4"}}) ==
            V{"o1"});  // composite
      CHECK(found(tx, "Observation", {{"code", "2345-7"}, {"date", "ge2026-11-30"}}) ==
            V{"o1"});  // token and date (token-date rows)
      // An update in the same transaction replaces the rows still deferred.
      HEARTH_RETURN_IF_ERROR(
          tx.update(indexed_fields("Patient", "p1",
                                   R"("name":[{"family":"Mensah"}],"birthDate":"1970-01-01")"))
              .status());
      CHECK(found(tx, "Patient", {{"family", "okafor"}}).empty());
      CHECK(found(tx, "Patient", {{"_text", "pilot"}}).empty());
      CHECK(found(tx, "Patient", {{"family", "mensah"}}) == V{"p1"});
      return Status::ok();
    });
    REQUIRE(status.is_ok());
    using V = std::vector<std::string>;
    CHECK(found(*store, "Patient", {{"family", "mensah"}}) == V{"p1"});
    CHECK(found(*store, "Patient", {{"identifier", "urn:mrn|M-1"}}).empty());
    CHECK(found(*store, "Observation", {{"code-value-quantity", "2345-7$5.4"}}) == V{"o1"});
  }
}

TEST_CASE("deferred index rows: token lookups between writes see exactly the rows written") {
  // Writes, lookups and an update that drops an identifier, interleaved in one transaction: each
  // lookup finds what the transaction wrote before it, by system and code exactly.
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    const auto patient = [](const std::string& system, const std::string& code) {
      return R"("identifier":[{"system":")" + system + R"(","value":")" + code + R"("}])";
    };
    using V = std::vector<std::string>;
    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      const auto ids = [&](const std::string& system, const std::string& code) {
        TokenLookup lookup{
            .type = "Patient", .param = "identifier", .system = system, .code = code, .limit = 3};
        auto matches = tx.lookup_token(lookup);
        REQUIRE(matches.is_ok());
        V out;
        for (const ResourceVersion& r : *matches) out.push_back(r.id);
        return out;
      };
      HEARTH_RETURN_IF_ERROR(
          tx.create(indexed_fields("Patient", "p1", patient("urn:mrn", "M-1"))).status());
      CHECK(ids("urn:mrn", "M-1") == V{"p1"});
      HEARTH_RETURN_IF_ERROR(
          tx.create(indexed_fields("Patient", "p2", patient("urn:mrn", "M-2"))).status());
      CHECK(ids("urn:mrn", "M-1") == V{"p1"});
      CHECK(ids("urn:mrn", "M-2") == V{"p2"});
      HEARTH_RETURN_IF_ERROR(
          tx.create(indexed_fields("Patient", "p3", patient("urn:other", "M-1"))).status());
      CHECK(ids("urn:mrn", "M-1") == V{"p1"});
      CHECK(ids("urn:other", "M-1") == V{"p3"});
      HEARTH_RETURN_IF_ERROR(
          tx.create(indexed_fields("Patient", "p4", patient("urn:mrn", "M-4"))).status());
      HEARTH_RETURN_IF_ERROR(
          tx.update(indexed_fields("Patient", "p1", patient("urn:mrn", "M-5"))).status());
      CHECK(ids("urn:mrn", "M-1").empty());
      CHECK(ids("urn:mrn", "M-5") == V{"p1"});
      CHECK(ids("urn:mrn", "M-4") == V{"p4"});
      return Status::ok();
    });
    REQUIRE(status.is_ok());
    CHECK(found(*store, "Patient", {{"identifier", "urn:mrn|M-2"}}) == V{"p2"});
    CHECK(found(*store, "Patient", {{"identifier", "urn:mrn|M-4"}}) == V{"p4"});
    CHECK(found(*store, "Patient", {{"identifier", "urn:mrn|M-5"}}) == V{"p1"});
    CHECK(found(*store, "Patient", {{"identifier", "urn:other|M-1"}}) == V{"p3"});
    CHECK(found(*store, "Patient", {{"identifier", "urn:mrn|M-1"}}).empty());
  }
}

// Many transactions posted at once share group commits; every third one writes its patient and
// then fails, which rolls back its savepoint. The others' rows, deferred before and after that
// rollback, must all be there, and the failed ones' none.
TEST_CASE("deferred index rows: a rolled-back write in a batch leaves no rows, the others all") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    constexpr int kWrites = 90;
    std::atomic<int> finished{0};
    std::atomic<int> failed{0};
    std::promise<void> all;
    for (int i = 0; i < kWrites; ++i) {
      const std::string id = "p" + std::to_string(i);
      const bool fails = i % 3 == 1;
      const std::string fields = R"("identifier":[{"system":"urn:batch","value":")" + id +
                                 R"("}],"name":[{"family":"Family)" + id + R"("}])";
      store->transact(
          [id, fields, fails](StoreTransaction& tx) -> Status {
            HEARTH_RETURN_IF_ERROR(tx.create(indexed_fields("Patient", id, fields)).status());
            return fails ? Status(Code::kUnprocessable, "refused after writing") : Status::ok();
          },
          [&](Status status) {
            if (!status.is_ok()) failed.fetch_add(1);
            if (finished.fetch_add(1) + 1 == kWrites) all.set_value();
          });
    }
    all.get_future().wait();
    CHECK(failed.load() == kWrites / 3);
    int kept = 0;
    for (int i = 0; i < kWrites; ++i) {
      const std::string id = "p" + std::to_string(i);
      INFO(id);
      const auto by_identifier = found(*store, "Patient", {{"identifier", "urn:batch|" + id}});
      const auto by_family = found(*store, "Patient", {{"family:exact", "Family" + id}});
      if (i % 3 == 1) {
        CHECK(by_identifier.empty());
        CHECK(by_family.empty());
      } else {
        CHECK(by_identifier == std::vector<std::string>{id});
        CHECK(by_family == std::vector<std::string>{id});
        ++kept;
      }
    }
    CHECK(kept == kWrites - kWrites / 3);
  }
}

}  // namespace
}  // namespace hearth::storage
