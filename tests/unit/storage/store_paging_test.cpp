// Store behaviour suite, paging on every backend: keyset cursors (storage/sql/page_cursor.h)
// lead through every match exactly once in the query's order, whatever is created or deleted
// between two page requests; previous cursors lead back through the same pages; the last
// page; system-level searches over several types; cursors that do not fit are 400s. Resources
// are indexed by the real extraction and queries read by the real parser.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "storage/store.h"
#include "store_backends.h"
#include "store_search_support.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::Ids;
using testing::ManualClock;
using testing::open_or_die;
using testing::page;
using testing::Params;
using testing::parse;

void put(Store& store, const std::string& type, const std::string& id, const std::string& fields) {
  REQUIRE(store.update(testing::indexed_fields(type, id, fields)).is_ok());
}

void remove(Store& store, const std::string& type, const std::string& id) {
  WriteRequest del;
  del.type = type;
  del.id = id;
  REQUIRE(store.remove(del).is_ok());
}

Ids ids(const SearchPage& p) {
  Ids out;
  for (const ResourceVersion& v : p.entries) out.push_back(v.type + "/" + v.id);
  return out;
}

// Patient pN with birth year `year` (none when 0) and family `family`.
void patient(Store& store, const std::string& id, int year, const std::string& family) {
  std::string fields = R"("name":[{"family":")" + family + R"("}])";
  if (year != 0) fields += R"(,"birthDate":")" + std::to_string(year) + "\"";
  put(store, "Patient", id, fields);
}

TEST_CASE("paging: cursors lead through every match once while writes land between pages") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    // Sorted by -birthdate, then family, then id: ties on both keys, and two without a date
    // (they come last).
    patient(*store, "a", 1980, "Kent");
    patient(*store, "b", 1990, "Adams");
    patient(*store, "c", 1990, "Adams");
    patient(*store, "d", 1970, "Young");
    patient(*store, "e", 0, "Baker");
    patient(*store, "f", 1990, "Zorn");
    patient(*store, "g", 0, "Abel");
    const Ids order = {"Patient/b", "Patient/c", "Patient/f", "Patient/a",
                       "Patient/d", "Patient/g", "Patient/e"};
    const auto q = parse("Patient", {{"_sort", "-birthdate,family"}, {"_count", "2"}});

    // Forward, with a write between every two pages: one created where the walk has already
    // been (it must not push an entry into the next page twice), one deleted ahead.
    Ids seen;
    std::string cursor;
    std::vector<std::string> cursors;  // each page's own cursor, for the walk back
    for (int pages = 0; pages < 10; ++pages) {
      SearchPage p = page(*store, q, cursor);
      CHECK(p.total == (pages == 0 ? 7 : 8));
      for (const std::string& id : ids(p)) seen.push_back(id);
      CHECK(p.previous_cursor.empty() == cursor.empty());
      cursors.push_back(cursor);
      if (pages == 0) patient(*store, "h", 1995, "Early");  // sorts first: already passed
      if (pages == 1) {
        patient(*store, "i", 1975, "Late");  // between a (1980) and d (1970): still ahead
        remove(*store, "Patient", "h");
      }
      if (p.next_cursor.empty()) break;
      cursor = p.next_cursor;
    }
    const Ids expected = {"Patient/b", "Patient/c", "Patient/f", "Patient/a",
                          "Patient/i", "Patient/d", "Patient/g", "Patient/e"};
    CHECK(seen == expected);

    // Backward from the last page: the same entries in reverse, page by page.
    SearchPage last = page(*store, q, page(*store, q, "").last_cursor);
    CHECK(ids(last) == Ids{"Patient/g", "Patient/e"});  // 8 % 2: a full page
    CHECK(last.next_cursor.empty());
    Ids back = ids(last);
    for (std::string prev = last.previous_cursor; !prev.empty();) {
      SearchPage p = page(*store, q, prev);
      Ids these = ids(p);
      back.insert(back.begin(), these.begin(), these.end());
      CHECK_FALSE(p.next_cursor.empty());
      prev = p.previous_cursor;
    }
    CHECK(back == expected);

    // Without _sort (by id) and a last page that is not full.
    const auto by_id = parse("Patient", {{"_count", "3"}});
    SearchPage first = page(*store, by_id, "");
    CHECK(ids(first) == Ids{"Patient/a", "Patient/b", "Patient/c"});
    SearchPage tail = page(*store, by_id, first.last_cursor);
    CHECK(ids(tail) == Ids{"Patient/g", "Patient/i"});  // 8 = 3 + 3 + 2
    SearchPage second = page(*store, by_id, first.next_cursor);
    CHECK(ids(second) == Ids{"Patient/d", "Patient/e", "Patient/f"});
    CHECK(ids(page(*store, by_id, second.previous_cursor)) == ids(first));
    CHECK(ids(page(*store, by_id, second.next_cursor)) == ids(tail));
  }
}

TEST_CASE("paging: a system-level search orders several types by id, then type") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    put(*store, "Patient", "x1", R"("gender":"female")");
    put(*store, "Practitioner", "x1", R"("gender":"female")");
    put(*store, "Patient", "x2", R"("gender":"male")");
    put(*store, "Organization", "x0", R"("name":"O")");
    auto q = parse("", {{"_type", "Patient,Practitioner"}, {"_count", "1"}});
    Ids seen;
    std::string cursor;
    for (int pages = 0; pages < 10; ++pages) {
      SearchPage p = page(*store, q, cursor);
      CHECK(p.total == 3);
      for (const std::string& id : ids(p)) seen.push_back(id);
      if (p.next_cursor.empty()) break;
      cursor = p.next_cursor;
    }
    CHECK(seen == Ids{"Patient/x1", "Practitioner/x1", "Patient/x2"});
    auto common = parse("", {{"_type", "Patient,Practitioner"}, {"gender", "female"}});
    CHECK(ids(page(*store, common, "")) == Ids{"Patient/x1", "Practitioner/x1"});
    CHECK(page(*store, parse("", {}), "").total == 4);
  }
}

TEST_CASE("paging: a cursor from another search, or damaged, is a 400") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    patient(*store, "a", 1980, "Kent");
    patient(*store, "b", 1990, "Adams");
    const auto sorted = parse("Patient", {{"_sort", "family"}, {"_count", "1"}});
    const std::string next = page(*store, sorted, "").next_cursor;
    REQUIRE_FALSE(next.empty());
    for (const auto& other :
         {parse("Patient", {{"_count", "1"}}), parse("Patient", {{"_sort", "-family"}}),
          parse("Patient", {{"_sort", "_id"}})}) {
      auto q = other;
      q.cursor = next;
      CHECK(store->search(q).status().code() == Code::kInvalidArgument);
    }
    for (const std::string& bad : {std::string("x"), next.substr(0, next.size() - 2),
                                   std::string("%%%"), std::string(9000, 'A')}) {
      auto q = sorted;
      q.cursor = bad;
      CHECK(store->search(q).status().code() == Code::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace hearth::storage
