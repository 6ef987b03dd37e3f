// Store behaviour suite, the direct token lookup (StoreTransaction::lookup_token): the same
// resources as the one-clause search `param=system|code` in a transaction, on every backend:
// an identifier repeated in one resource is one match, a deleted resource or another type's,
// another system's or another code's row none, the transaction's own writes are seen, and at
// most `limit` come, in id order.
#include <doctest/doctest.h>

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

// The search's answer for the same criteria, first page of `count`.
std::vector<std::string> searched(StoreTransaction& tx, const std::string& type,
                                  const std::string& criteria, int count) {
  auto query = fhir::search::parse_search(type, {{"identifier", criteria}}, "", true);
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

}  // namespace
}  // namespace hearth::storage
