// Store behaviour suite, query planning (docs/search.md, Planning): an AND of clauses that each
// match more rows than the probe cap is answered by walking the resources in id order and
// probing each clause per row; a selective clause drives instead. Whatever the plan, the pages,
// their links and the totals are the ones the data gives, computed here from the data itself.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using Params = std::vector<std::pair<std::string, std::string>>;
using Ids = std::vector<std::string>;

// 2,400 Patients p0000..p2399: even ones female, and born in 1995 unless their number is a
// multiple of 3 (then 1950). birthdate=ge1990 matches 1,600 and gender=female 1,200, both over
// the probe cap (1,000); together 800.
constexpr int kPatients = 2400;
bool female(int i) {
  return i % 2 == 0;
}
int year(int i) {
  return i % 3 == 0 ? 1950 : 1995;
}

std::string id_of(int i) {
  std::string digits = std::to_string(i);
  return "p" + std::string(4 - digits.size(), '0') + digits;
}

WriteRequest patient(int i) {
  const std::string id = id_of(i);
  const std::string json = R"({"resourceType":"Patient","id":")" + id +
                           R"(","identifier":[{"system":"urn:t","value":")" + id +
                           R"("}],"gender":")" + (female(i) ? "female" : "male") +
                           R"(","birthDate":")" + std::to_string(year(i)) + "\"}";
  auto doc = fhir::parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), json);
  auto index = fhir::search::extract_index(*doc);
  REQUIRE_MESSAGE(index.is_ok(), index.status().message());
  WriteRequest r;
  r.type = "Patient";
  r.id = id;
  r.make_body = [json](std::int64_t, std::int64_t) { return json; };
  r.index = std::move(*index);
  return r;
}

fhir::search::SearchQuery parse(const Params& params) {
  auto q = fhir::search::parse_search("Patient", params, "http://h/fhir", true);
  REQUIRE_MESSAGE(q.is_ok(), q.status().message());
  return std::move(*q);
}

SearchPage page(Store& store, fhir::search::SearchQuery q, const std::string& cursor) {
  q.cursor = cursor;
  auto found = store.search(q);
  REQUIRE_MESSAGE(found.is_ok(), found.status().message());
  return std::move(*found);
}

Ids ids(const SearchPage& p) {
  Ids out;
  for (const ResourceVersion& v : p.entries) out.push_back(v.id);
  return out;
}

template <class Match>
Ids expected(Match&& match) {
  Ids out;
  for (int i = 0; i < kPatients; ++i) {
    if (match(i)) out.push_back(id_of(i));
  }
  return out;
}

Ids slice(const Ids& all, std::size_t from, std::size_t count) {
  return Ids(all.begin() + static_cast<std::ptrdiff_t>(from),
             all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), from + count)));
}

// Every page from the first, following `next`; checks each page's `previous` leads back.
Ids walk(Store& store, const fhir::search::SearchQuery& q) {
  Ids seen;
  Ids before;
  std::string cursor;
  for (int pages = 0; pages < 200; ++pages) {
    SearchPage p = page(store, q, cursor);
    if (!cursor.empty()) CHECK(ids(page(store, q, p.previous_cursor)) == before);
    before = ids(p);
    seen.insert(seen.end(), before.begin(), before.end());
    if (p.next_cursor.empty()) break;
    cursor = p.next_cursor;
  }
  return seen;
}

TEST_CASE("planning: an unselective AND pages in id order with the right links and totals") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store
                ->transact([](StoreTransaction& tx) {
                  for (int i = 0; i < kPatients; ++i) {
                    auto written = tx.update(patient(i));
                    if (!written.is_ok()) return written.status();
                  }
                  return Status::ok();
                })
                .is_ok());

    const Ids both = expected([](int i) { return female(i) && year(i) >= 1990; });
    REQUIRE(both.size() == 800);
    const auto q = parse({{"birthdate", "ge1990"}, {"gender", "female"}, {"_count", "20"}});
    SearchPage first = page(*store, q, "");
    CHECK(ids(first) == slice(both, 0, 20));
    // Walking, the estimate is not counted (SQLite); PostgreSQL counts it up to 1,000.
    CHECK(first.total == (!b.postgresql ? std::nullopt : std::optional<long long>(800)));
    CHECK(first.previous_cursor.empty());
    SearchPage second = page(*store, q, first.next_cursor);
    CHECK(ids(second) == slice(both, 20, 20));
    CHECK(ids(page(*store, q, second.previous_cursor)) == ids(first));
    CHECK(ids(page(*store, q, first.last_cursor)) == slice(both, 780, 20));
    CHECK(walk(*store, q) == both);

    // Over the estimate's cap the total is absent; accurate counts it; _offset skips matches.
    auto capped = q;
    capped.estimate_cap = 500;
    CHECK_FALSE(page(*store, capped, "").total.has_value());
    // A page that holds every match knows the total.
    auto whole = q;
    whole.count = 1000;
    SearchPage all = page(*store, whole, "");
    CHECK(ids(all) == both);
    CHECK(all.total == 800);
    const auto accurate = parse({{"birthdate", "ge1990"},
                                 {"gender", "female"},
                                 {"_total", "accurate"},
                                 {"_offset", "790"}});
    SearchPage tail = page(*store, accurate, "");
    CHECK(tail.total == 800);
    CHECK(ids(tail) == slice(both, 790, 20));

    // Descending id: the walk runs backwards.
    const auto down =
        parse({{"gender", "female"}, {"birthdate", "ge1990"}, {"_sort", "-_id"}, {"_count", "7"}});
    const Ids reversed(both.rbegin(), both.rend());
    SearchPage top = page(*store, down, "");
    CHECK(ids(top) == slice(reversed, 0, 7));
    CHECK(ids(page(*store, down, top.next_cursor)) == slice(reversed, 7, 7));

    // A negated dense clause is a probe too (NOT EXISTS).
    const auto males = parse({{"gender:not", "female"}, {"birthdate", "ge1990"}});
    const Ids odd = expected([](int i) { return !female(i) && year(i) >= 1990; });
    CHECK(walk(*store, males) == odd);

    // A selective clause drives: one match, or none when the dense clause disagrees.
    CHECK(ids(page(*store, parse({{"identifier", "urn:t|p0011"}, {"gender", "male"}}), "")) ==
          Ids{"p0011"});
    CHECK(ids(page(*store, parse({{"identifier", "urn:t|p0011"}, {"gender", "female"}}), ""))
              .empty());
    // No match at all (the years are 1950 and 1995 only) while each clause alone is dense.
    const auto none = parse({{"birthdate", "ge1990"}, {"birthdate", "lt1951"}, {"gender", "male"}});
    SearchPage empty = page(*store, none, "");
    CHECK(empty.entries.empty());
    CHECK(empty.total == 0);
  }
}

}  // namespace
}  // namespace hearth::storage
