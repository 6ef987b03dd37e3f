// Store behaviour suite, the direct token lookup (StoreTransaction::lookup_token): the same
// resources as the one-clause search `param=system|code` in a transaction, on every backend:
// an identifier repeated in one resource is one match, a deleted resource or another type's,
// another system's or another code's row none, the transaction's own writes are seen, and at
// most `limit` come, in id order.
#include <doctest/doctest.h>

#include <span>
#include <string>
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

std::string identifier(const std::string& system, const std::string& value) {
  return R"({"system":")" + system + R"(","value":")" + value + R"("})";
}

std::vector<std::string> ids_of(const std::vector<ResourceVersion>& rows) {
  std::vector<std::string> out;
  for (const ResourceVersion& r : rows) out.push_back(r.type + "/" + r.id);
  return out;
}

// The search's answer for the same criteria, first page of `count`, through the planned search:
// `_sort=_id` is the same order, and keeps the search off the direct first page.
std::vector<std::string> searched(StoreTransaction& tx, const std::string& type,
                                  const std::string& criteria, int count) {
  auto query =
      fhir::search::parse_search(type, {{"identifier", criteria}, {"_sort", "_id"}}, "", true);
  REQUIRE(query.is_ok());
  query->count = count;
  query->total = fhir::search::TotalMode::kNone;
  auto page = tx.search(*query);
  REQUIRE(page.is_ok());
  return ids_of(page->entries);
}

TEST_CASE("lookup_token: the matches of the one-clause token search") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    const std::string twice =
        R"("identifier":[)" + identifier("urn:a", "1") + "," + identifier("urn:a", "1") + "]";
    REQUIRE(store->create(indexed_fields("Patient", "p2", twice)).is_ok());
    REQUIRE(store
                ->create(indexed_fields("Patient", "p1",
                                        R"("identifier":[)" + identifier("urn:a", "1") + "]"))
                .is_ok());
    REQUIRE(store
                ->create(indexed_fields("Patient", "gone",
                                        R"("identifier":[)" + identifier("urn:a", "1") + "]"))
                .is_ok());
    REQUIRE(store->remove(testing::request("Patient", "gone")).is_ok());
    REQUIRE(store
                ->create(indexed_fields("Patient", "other",
                                        R"("identifier":[)" + identifier("urn:b", "1") + "," +
                                            identifier("urn:a", "2") + "]"))
                .is_ok());
    REQUIRE(store
                ->create(indexed_fields("Practitioner", "dr",
                                        R"("identifier":[)" + identifier("urn:a", "1") + "]"))
                .is_ok());

    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      const auto lookup = [&](const std::string& type, const std::string& system,
                              const std::string& code, std::size_t limit) {
        auto found = tx.lookup_token(TokenLookup{
            .type = type, .param = "identifier", .system = system, .code = code, .limit = limit});
        REQUIRE(found.is_ok());
        return ids_of(*found);
      };
      using Ids = std::vector<std::string>;
      CHECK(lookup("Patient", "urn:a", "1", 10) == Ids{"Patient/p1", "Patient/p2"});
      CHECK(lookup("Patient", "urn:a", "1", 10) == searched(tx, "Patient", "urn:a|1", 10));
      CHECK(lookup("Patient", "urn:a", "1", 1).size() == 1);
      CHECK(lookup("Patient", "urn:a", "1", 0).empty());
      CHECK(lookup("Patient", "urn:b", "1", 10) == Ids{"Patient/other"});
      CHECK(lookup("Patient", "urn:a", "2", 10) == searched(tx, "Patient", "urn:a|2", 10));
      CHECK(lookup("Patient", "urn:b", "2", 10).empty());
      CHECK(lookup("Patient", "urn:a", "3", 10).empty());
      CHECK(lookup("Practitioner", "urn:a", "1", 10) == Ids{"Practitioner/dr"});
      CHECK(lookup("Organization", "urn:a", "1", 10).empty());  // no such resource
      // The transaction's own write is seen.
      HEARTH_RETURN_IF_ERROR(
          tx.create(indexed_fields("Patient", "p0",
                                   R"("identifier":[)" + identifier("urn:a", "1") + "]"))
              .status());
      CHECK(lookup("Patient", "urn:a", "1", 10) == Ids{"Patient/p0", "Patient/p1", "Patient/p2"});
      CHECK(lookup("Patient", "urn:a", "1", 10) == searched(tx, "Patient", "urn:a|1", 10));
      return Status(Code::kConflict, "leave the store as it was");
    });
    CHECK(status.code() == Code::kConflict);
  }
}

// lookup_tokens: several lookups at once (one statement per type and parameter on SQLite, 32 codes
// at most each) answer each as lookup_token does: repeated values, another system's row, a
// value matching more than its limit (the batch then answers lookup by lookup), a limit of 0,
// other types and parameters between them, and more lookups of one parameter than one statement
// binds.
TEST_CASE("lookup_tokens: each answer is lookup_token's") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    for (int i = 0; i < 40; ++i) {
      const std::string n = std::to_string(i);
      REQUIRE(store
                  ->create(indexed_fields("Patient", "p" + n,
                                          R"("identifier":[)" + identifier("urn:a", n) + "]"))
                  .is_ok());
    }
    for (const char* id : {"m1", "m2", "m3"}) {  // three holders of urn:a|many
      REQUIRE(store
                  ->create(indexed_fields("Patient", id,
                                          R"("identifier":[)" + identifier("urn:a", "many") + "]"))
                  .is_ok());
    }
    REQUIRE(store
                ->create(indexed_fields("Patient", "sys-b",
                                        R"("identifier":[)" + identifier("urn:b", "7") + "]"))
                .is_ok());
    REQUIRE(store
                ->create(indexed_fields("Practitioner", "dr",
                                        R"("identifier":[)" + identifier("urn:a", "7") + "]"))
                .is_ok());

    // Views into these strings.
    std::vector<std::string> codes;
    for (int i = 0; i < 45; ++i) codes.push_back(std::to_string(i));
    const std::string many = "many";
    std::vector<TokenLookup> lookups;
    const auto add = [&](std::string_view type, std::string_view system, std::string_view code,
                         std::size_t limit) {
      lookups.push_back(TokenLookup{
          .type = type, .param = "identifier", .system = system, .code = code, .limit = limit});
    };
    for (int i = 44; i >= 0; --i) add("Patient", "urn:a", codes[static_cast<std::size_t>(i)], 2);
    add("Patient", "urn:a", codes[7], 2);  // the same value twice
    add("Patient", "urn:b", codes[7], 2);
    add("Practitioner", "urn:a", codes[7], 2);
    add("Patient", "urn:a", many, 2);  // three match: more than its limit
    add("Patient", "urn:a", codes[3], 0);

    Status status = store->transact([&](StoreTransaction& tx) -> Status {
      for (std::size_t take : {lookups.size(), std::size_t{3}, std::size_t{1}}) {
        CAPTURE(take);
        const std::span<const TokenLookup> asked(lookups.data(), take);
        auto batch = tx.lookup_tokens(asked);
        REQUIRE(batch.is_ok());
        REQUIRE(batch->size() == take);
        for (std::size_t i = 0; i < take; ++i) {
          CAPTURE(i);
          auto one = tx.lookup_token(asked[i]);
          REQUIRE(one.is_ok());
          if (asked[i].code == many) {  // which two of the three is not said
            CHECK((*batch)[i].size() == 2);
            CHECK(one->size() == 2);
          } else {
            CHECK(ids_of((*batch)[i]) == ids_of(*one));
          }
          for (const ResourceVersion& v : (*batch)[i]) {
            CHECK_FALSE(v.body.empty());
            CHECK(v.version == 1);
          }
        }
      }
      return Status(Code::kConflict, "leave the store as it was");
    });
    CHECK(status.code() == Code::kConflict);
    auto plain = store->lookup_tokens(lookups);  // the store's own, outside a transaction
    REQUIRE(plain.is_ok());
    CHECK(ids_of((*plain)[0]).empty());  // urn:a|44: none
    CHECK(ids_of((*plain)[44]) == std::vector<std::string>{"Patient/p0"});
    CHECK(ids_of((*plain)[45]) == std::vector<std::string>{"Patient/p7"});
    CHECK(ids_of((*plain)[46]) == std::vector<std::string>{"Patient/sys-b"});
    CHECK(ids_of((*plain)[47]) == std::vector<std::string>{"Practitioner/dr"});
    CHECK((*plain)[48].size() == 2);
    CHECK((*plain)[49].empty());
  }
}

// An identifier search's first page is read by the direct lookup when its matches fit on it
// (SQLite; search_runner.cpp, direct_first_page): the same page as the planned search.
TEST_CASE("search: an exact token search's first page, direct or planned, is the same page") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    for (const char* id : {"p3", "p1", "p2", "gone"}) {
      REQUIRE(store
                  ->create(indexed_fields("Patient", id,
                                          R"("identifier":[)" + identifier("urn:a", "1") + "]"))
                  .is_ok());
    }
    REQUIRE(store->remove(testing::request("Patient", "gone")).is_ok());
    REQUIRE(store
                ->create(indexed_fields("Patient", "q",
                                        R"("identifier":[)" + identifier("urn:a", "2") + "]"))
                .is_ok());
    struct Case {
      std::string value;
      int count;
      fhir::search::TotalMode total;
    };
    using fhir::search::TotalMode;
    for (const Case& c :
         {Case{"urn:a|1", 20, TotalMode::kEstimate},
          Case{"urn:a|1", 3, TotalMode::kEstimate},  // exactly a page
          Case{"urn:a|1", 2, TotalMode::kEstimate},  // more: planned, next
          Case{"urn:a|1", 20, TotalMode::kNone}, Case{"urn:a|1", 20, TotalMode::kAccurate},
          Case{"urn:a|2", 20, TotalMode::kEstimate}, Case{"urn:a|9", 20, TotalMode::kEstimate}}) {
      CAPTURE(c.value);
      CAPTURE(c.count);
      CAPTURE(static_cast<int>(c.total));
      SearchPage pages[2];
      for (int planned = 0; planned < 2; ++planned) {
        std::vector<std::pair<std::string, std::string>> params = {{"identifier", c.value}};
        if (planned == 1) params.emplace_back("_sort", "_id");
        auto query = fhir::search::parse_search("Patient", params, "", true);
        REQUIRE(query.is_ok());
        query->count = c.count;
        query->total = c.total;
        auto page = store->search(*query);
        REQUIRE(page.is_ok());
        pages[planned] = std::move(*page);
      }
      CHECK(ids_of(pages[0].entries) == ids_of(pages[1].entries));
      CHECK(pages[0].total == pages[1].total);
      CHECK(pages[0].next_cursor.empty() == pages[1].next_cursor.empty());
      CHECK(pages[0].previous_cursor.empty());
      CHECK_FALSE(pages[0].last_cursor.empty());
      for (const ResourceVersion& v : pages[0].entries) CHECK_FALSE(v.body.empty());
    }
  }
}

}  // namespace
}  // namespace hearth::storage
