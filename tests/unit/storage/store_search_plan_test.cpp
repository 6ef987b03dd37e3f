// Store behaviour suite, query planning (docs/search.md, Planning): an AND of clauses that each
// match more rows than the probe cap is answered by walking the resources in id order and
// probing each clause per row; a selective clause drives instead. Whatever the plan, the pages,
// their links and the totals are the ones the data gives, computed here from the data itself.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
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
using testing::ids;
using testing::ManualClock;
using testing::open_or_die;
using testing::page;
using testing::Params;
using testing::parse;
using testing::walk;

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

WriteRequest resource(const std::string& type, const std::string& id, const std::string& json) {
  return testing::indexed_write(type, id, json);
}

WriteRequest patient(int i) {
  const std::string id = id_of(i);
  return resource("Patient", id,
                  R"({"resourceType":"Patient","id":")" + id +
                      R"(","identifier":[{"system":"urn:t","value":")" + id + R"("}],"gender":")" +
                      (female(i) ? "female" : "male") + R"(","birthDate":")" +
                      std::to_string(year(i)) + "\"}");
}

// Observation `id` of Patient `subject` with `code` (system urn:c) and, when given, `member`
// in hasMember.
WriteRequest observation(const std::string& id, const std::string& subject, const std::string& code,
                         const std::string& member = "") {
  std::string json = R"({"resourceType":"Observation","id":")" + id +
                     R"(","status":"final","code":{"coding":[{"system":"urn:c","code":")" + code +
                     R"("}]},"subject":{"reference":"Patient/)" + subject + "\"}";
  if (!member.empty()) json += R"(,"hasMember":[{"reference":"Observation/)" + member + "\"}]";
  return resource("Observation", id, json + "}");
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
    const auto q =
        parse("Patient", {{"birthdate", "ge1990"}, {"gender", "female"}, {"_count", "20"}});
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
    const auto accurate = parse("Patient", {{"birthdate", "ge1990"},
                                            {"gender", "female"},
                                            {"_total", "accurate"},
                                            {"_offset", "790"}});
    SearchPage tail = page(*store, accurate, "");
    CHECK(tail.total == 800);
    CHECK(ids(tail) == slice(both, 790, 20));

    // Descending id: the walk runs backwards.
    const auto down =
        parse("Patient",
              {{"gender", "female"}, {"birthdate", "ge1990"}, {"_sort", "-_id"}, {"_count", "7"}});
    const Ids reversed(both.rbegin(), both.rend());
    SearchPage top = page(*store, down, "");
    CHECK(ids(top) == slice(reversed, 0, 7));
    CHECK(ids(page(*store, down, top.next_cursor)) == slice(reversed, 7, 7));

    // A negated dense clause is a probe too (NOT EXISTS).
    const auto males = parse("Patient", {{"gender:not", "female"}, {"birthdate", "ge1990"}});
    const Ids odd = expected([](int i) { return !female(i) && year(i) >= 1990; });
    CHECK(walk(*store, males) == odd);

    // A selective clause drives: one match, or none when the dense clause disagrees.
    CHECK(ids(page(*store, parse("Patient", {{"identifier", "urn:t|p0011"}, {"gender", "male"}}),
                   "")) == Ids{"p0011"});
    CHECK(ids(page(*store, parse("Patient", {{"identifier", "urn:t|p0011"}, {"gender", "female"}}),
                   ""))
              .empty());
    // No match at all (the years are 1950 and 1995 only) while each clause alone is dense.
    const auto none =
        parse("Patient", {{"birthdate", "ge1990"}, {"birthdate", "lt1951"}, {"gender", "male"}});
    SearchPage empty = page(*store, none, "");
    CHECK(empty.entries.empty());
    CHECK(empty.total == 0);
  }
}

// Observations: o<i> of each Patient p<i>, code "a" when i is a multiple of 3, else "b"; two
// more of code "rare" (r0007 of p0007, r1500 of p1500); and g0007 of p0008, code "panel", with
// o0007 as its member.
Ids observations(const Ids& patients, const std::string& prefix) {
  Ids out;
  for (const std::string& p : patients) out.push_back(prefix + p.substr(1));
  return out;
}

TEST_CASE("planning: chains and _has drive when selective and are probed link by link when not") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store
                ->transact([](StoreTransaction& tx) {
                  std::vector<WriteRequest> writes;
                  for (int i = 0; i < kPatients; ++i) {
                    writes.push_back(patient(i));
                    writes.push_back(
                        observation("o" + id_of(i).substr(1), id_of(i), i % 3 == 0 ? "a" : "b"));
                  }
                  writes.push_back(observation("r0007", "p0007", "rare"));
                  writes.push_back(observation("r1500", "p1500", "rare"));
                  writes.push_back(observation("g0007", "p0008", "panel", "o0007"));
                  for (auto& w : writes) {
                    auto written = tx.update(std::move(w));
                    if (!written.is_ok()) return written.status();
                  }
                  return Status::ok();
                })
                .is_ok());
    // PostgreSQL plans from its statistics, which autovacuum gathers some time after a load: a
    // store queried the moment 3,200 rows landed in empty tables is planned as if each held one
    // row (nested loops over every Patient twice). Gather them now, as autovacuum would.
    // (The tables it plans over by name: a bare ANALYZE also visits the shared catalogs and
    // warns for each one a non-superuser may not analyze.)
    if (b.postgresql)
      raw_exec(b, "ANALYZE resource, search_param, idx_string, idx_token, idx_date, idx_reference");
    const auto obs = [](const Params& params) { return parse("Observation", params); };

    // _has over 1,600 Patients (dense: walked, each Patient probed through its references).
    const Ids coded_b = expected([](int i) { return i % 3 != 0; });
    const auto has_b = parse("Patient", {{"_has:Observation:subject:code", "b"}, {"_count", "25"}});
    SearchPage first = page(*store, has_b, "");
    CHECK(ids(first) == slice(coded_b, 0, 25));
    CHECK(ids(page(*store, has_b, first.next_cursor)) == slice(coded_b, 25, 25));
    CHECK(walk(*store, has_b) == coded_b);
    // ... and with a dense clause of the Patient itself.
    const Ids b_female = expected([](int i) { return i % 3 != 0 && female(i); });
    CHECK(walk(*store, parse("Patient", {{"_has:Observation:subject:code", "b"},
                                         {"gender", "female"}})) == b_female);
    // Selective: the chain's set drives (a rare code: two Patients).
    SearchPage rare =
        page(*store, parse("Patient", {{"_has:Observation:subject:code", "rare"}}), "");
    CHECK(ids(rare) == Ids{"p0007", "p1500"});
    CHECK(rare.total == 2);
    // A selective clause drives and the _has is probed: agreeing, then not.
    CHECK(ids(page(*store,
                   parse("Patient",
                         {{"identifier", "urn:t|p0011"}, {"_has:Observation:subject:code", "b"}}),
                   "")) == Ids{"p0011"});
    CHECK(ids(page(*store,
                   parse("Patient",
                         {{"identifier", "urn:t|p0012"}, {"_has:Observation:subject:code", "b"}}),
                   ""))
              .empty());

    // Forward chains: the 1,202 Observations of female Patients (walked: g0007 of p0008, then
    // o<even>, then r1500), with a code (400).
    Ids of_female = observations(expected(female), "o");
    of_female.insert(of_female.begin(), "g0007");
    of_female.push_back("r1500");
    CHECK(walk(*store, obs({{"subject:Patient.gender", "female"}, {"code", "urn:c|a"}})) ==
          observations(expected([](int i) { return female(i) && i % 3 == 0; }), "o"));
    const auto chain = obs({{"subject:Patient.gender", "female"}, {"_count", "50"}});
    CHECK(ids(page(*store, chain, "")) == slice(of_female, 0, 50));
    CHECK(walk(*store, chain) == of_female);
    // One Patient's Observations (the chain drives) and a rare code probing a dense chain.
    CHECK(ids(page(*store, obs({{"subject:Patient.identifier", "urn:t|p0011"}}), "")) ==
          Ids{"o0011"});
    CHECK(ids(page(*store, obs({{"code", "rare"}, {"subject:Patient.gender", "female"}}), "")) ==
          Ids{"r1500"});

    // Nested links, driving or probed after a selective clause: forward then reverse
    // (Observations whose Patient has a rare one, or one of code b), reverse then reverse
    // (Patients with an Observation that a panel holds as a member), reverse then forward.
    CHECK(ids(page(
              *store,
              obs({{"code", "urn:c|b"}, {"subject:Patient._has:Observation:subject:code", "rare"}}),
              "")) == Ids{"o0007"});
    CHECK(
        ids(page(*store,
                 obs({{"subject:Patient._has:Observation:subject:code", "rare"}, {"_count", "9"}}),
                 "")) == Ids{"o0007", "o1500", "r0007", "r1500"});
    CHECK(ids(page(*store,
                   obs({{"code", "rare"}, {"subject:Patient._has:Observation:subject:code", "b"}}),
                   "")) == Ids{"r0007"});
    const std::string nested = "_has:Observation:subject:_has:Observation:has-member:code";
    CHECK(ids(page(*store, parse("Patient", {{"identifier", "urn:t|p0007"}, {nested, "panel"}}),
                   "")) == Ids{"p0007"});
    CHECK(
        ids(page(*store, parse("Patient", {{"identifier", "urn:t|p0008"}, {nested, "panel"}}), ""))
            .empty());
    CHECK(ids(page(*store, parse("Patient", {{nested, "panel"}}), "")) == Ids{"p0007"});
    CHECK(walk(*store,
               parse("Patient", {{"_has:Observation:subject:subject:Patient.gender", "female"},
                                 {"birthdate", "ge1990"}})) ==
          expected([](int i) { return female(i) && year(i) >= 1990; }));
  }
}

// Observations d000..d299 of code "a" (even) or "b" (odd), each on one day of 2020 scattered
// over the year against their id order.
constexpr int kDated = 300;
std::string dated_id(int i) {
  const std::string digits = std::to_string(i);
  return "d" + std::string(3 - digits.size(), '0') + digits;
}
std::string two(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}
std::string day_of(int i) {
  return "2020-" + two(1 + (i * 7) % 12) + "-" + two(1 + (i * 13) % 28);
}
WriteRequest dated(int i) {
  const std::string id = dated_id(i);
  return resource("Observation", id,
                  R"({"resourceType":"Observation","id":")" + id +
                      R"(","status":"final","code":{"coding":[{"system":"urn:c","code":")" +
                      (i % 2 == 0 ? "a" : "b") + R"("}]},"effectiveDateTime":")" + day_of(i) +
                      R"("})");
}

TEST_CASE("planning: two clauses of one date parameter read as one range, exactly") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto write = [&](std::vector<WriteRequest> writes) {
      REQUIRE(store
                  ->transact([&](StoreTransaction& tx) {
                    for (auto& w : writes) {
                      auto written = tx.update(std::move(w));
                      if (!written.is_ok()) return written.status();
                    }
                    return Status::ok();
                  })
                  .is_ok());
    };
    std::vector<WriteRequest> writes;
    for (int i = 0; i < kDated; ++i) writes.push_back(dated(i));
    write(std::move(writes));
    const auto obs = [](const Params& params) { return parse("Observation", params); };
    // The matches in id order, evaluated from the days themselves (a day is within
    // [from, to) when its text is: same length, same format).
    auto between = [](const std::string& from, const std::string& to, const char* code) {
      Ids out;
      for (int i = 0; i < kDated; ++i) {
        const std::string day = day_of(i);
        if (day >= from && day < to && (code == nullptr || (i % 2 == 0) == (*code == 'a'))) {
          out.push_back(dated_id(i));
        }
      }
      return out;
    };

    // Without _sort a search that bounds its date is in date order, then id order
    // (default_date_order): the same ids sorted by their day.
    auto by_day = [](Ids in) {
      std::stable_sort(in.begin(), in.end(), [](const std::string& x, const std::string& y) {
        return day_of(std::stoi(x.substr(1))) < day_of(std::stoi(y.substr(1)));
      });
      return in;
    };
    const Ids spring_ids = between("2020-03-10", "2020-05-20", nullptr);
    const Ids spring = by_day(spring_ids);
    REQUIRE(spring.size() > 20);
    REQUIRE(spring != spring_ids);  // the days are scattered against the ids
    const auto range = obs({{"date", "ge2020-03-10"}, {"date", "lt2020-05-20"}, {"_count", "7"}});
    SearchPage first = page(*store, range, "");
    CHECK(ids(first) == slice(spring, 0, 7));
    CHECK(walk(*store, range) == spring);
    // Asked for, the same order; by id when asked so, or when the date is bounded on one side.
    CHECK(walk(*store, obs({{"date", "ge2020-03-10"},
                            {"date", "lt2020-05-20"},
                            {"_sort", "date"},
                            {"_count", "6"}})) == spring);
    CHECK(walk(*store, obs({{"date", "ge2020-03-10"},
                            {"date", "lt2020-05-20"},
                            {"_sort", "_id"},
                            {"_count", "9"}})) == spring_ids);
    CHECK(walk(*store, obs({{"date", "ge2020-10-01"}, {"_count", "9"}})) ==
          between("2020-10-01", "2021", nullptr));
    // The total: SQLite's date walk counts no estimate (the page tells it when it holds every
    // match), PostgreSQL's sets do; counted when asked.
    if (b.postgresql) {
      CHECK(first.total == static_cast<long long>(spring.size()));
    } else {
      CHECK_FALSE(first.total.has_value());
    }
    CHECK(page(*store, obs({{"date", "ge2020-03-10"}, {"date", "lt2020-05-20"}, {"_count", "100"}}),
               "")
              .total == static_cast<long long>(spring.size()));
    CHECK(page(*store,
               obs({{"date", "ge2020-03-10"}, {"date", "lt2020-05-20"}, {"_total", "accurate"}}),
               "")
              .total == static_cast<long long>(spring.size()));
    // One day (eq bounds both sides); the last page read backwards.
    const Ids may = by_day(between("2020-05-01", "2020-06-01", nullptr));
    REQUIRE(may.size() > 3);
    CHECK(walk(*store, obs({{"date", "2020-05"}, {"_count", "3"}})) == may);
    auto accurate_may = obs({{"date", "2020-05"}, {"_count", "3"}, {"_total", "accurate"}});
    const SearchPage last = page(*store, accurate_may, page(*store, accurate_may, "").last_cursor);
    const std::size_t tail = may.size() % 3 == 0 ? 3 : may.size() % 3;
    CHECK(ids(last) == slice(may, may.size() - tail, tail));
    // The same in the other order, and with le (the last day included).
    CHECK(walk(*store, obs({{"date", "lt2020-05-20"}, {"date", "ge2020-03-10"}})) == spring);
    CHECK(walk(*store, obs({{"date", "le2020-05-19"}, {"date", "gt2020-03-09"}})) == spring);
    // With a code: the code read with the range (SQLite: idx_token_date), probed of its rows.
    const char a = 'a';
    const Ids spring_a = by_day(between("2020-03-10", "2020-05-20", &a));
    CHECK(walk(*store, obs({{"code", "urn:c|a"},
                            {"date", "ge2020-03-10"},
                            {"date", "lt2020-05-20"},
                            {"_count", "4"}})) == spring_a);
    // The code has fewer rows than the range: read with it (idx_token_date), d002 has code a.
    CHECK(walk(*store, obs({{"_id", "d001,d002,d007"},
                            {"code", "urn:c|b"},
                            {"date", "ge2020-01-01"},
                            {"date", "lt2021-01-01"}})) == by_day({"d001", "d007"}));
    CHECK(ids(page(*store, obs({{"code", "urn:c|none"}, {"date", "2020"}}), "")).empty());
    // An empty range: no row starts after its end.
    CHECK(ids(page(*store, obs({{"date", "ge2020-06-01"}, {"date", "lt2020-05-01"}}), "")).empty());

    // m000 has two days (a Timing's events), one before the range and one after it: each
    // clause is met by one of them, no row meets both. From then on the parameter's clauses
    // are no longer read as one range, and m000 matches.
    write({resource("Observation", "m000",
                    R"({"resourceType":"Observation","id":"m000","status":"final",)"
                    R"("code":{"coding":[{"system":"urn:c","code":"a"}]},)"
                    R"("effectiveTiming":{"event":["2020-01-05","2020-07-01"]}})")});
    // Its earliest day (the sort value, as _sort=date) comes before the range.
    Ids with_m = spring;
    with_m.insert(with_m.begin(), "m000");
    CHECK(walk(*store, range) == with_m);
    CHECK(page(*store, range, "").total == static_cast<long long>(with_m.size()));

    if (b.sqlite_path.empty() || b.postgresql) continue;
    // A store migrated to schema 19 learns the same from the rows it holds.
    store.reset();
    testing::sqlite_exec(b.sqlite_path,
                         "DROP TABLE idx_token_date;"
                         " ALTER TABLE search_param DROP COLUMN date_span;"
                         " ALTER TABLE search_param DROP COLUMN date_several;"
                         " UPDATE schema_version SET version = 18");
    store = open_or_die(b.url, clock);
    CHECK(walk(*store, range) == with_m);
  }
}

// A driver whose count is 0 ends the search (no page query): nothing matches, whatever the other
// clauses, and the totals say 0. Inside a transaction the count sees the transaction's own
// writes, as a conditional create or update of a message's resources needs.
TEST_CASE("planning: a driver with no rows answers an empty page, and sees the transaction") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store
                ->transact([](StoreTransaction& tx) {
                  for (int i = 0; i < 30; ++i) {
                    auto written = tx.update(patient(i));
                    if (!written.is_ok()) return written.status();
                  }
                  return Status::ok();
                })
                .is_ok());
    const auto unknown = parse("Patient", {{"identifier", "urn:t|nobody"}, {"_total", "accurate"}});
    SearchPage none = page(*store, unknown, "");
    CHECK(none.entries.empty());
    CHECK(none.total == 0);
    CHECK(none.next_cursor.empty());
    CHECK_FALSE(none.last_cursor.empty());
    // With a negated clause (never a driver) and one that matches many; its page is the
    // lone clause's page, links included.
    SearchPage none_of_three = page(
        *store,
        parse("Patient",
              {{"identifier", "urn:t|nobody"}, {"gender:not", "female"}, {"birthdate", "ge1900"}}),
        "");
    CHECK(none_of_three.entries.empty());
    CHECK(none_of_three.last_cursor == none.last_cursor);
    // The default _total (estimate) says 0 too, counted before the page or not.
    CHECK(none_of_three.total == 0);
    CHECK(page(*store, parse("Patient", {{"identifier", "urn:t|nobody"}}), "").total == 0);
    CHECK(ids(page(*store, unknown, none.last_cursor)).empty());
    auto counted = unknown;
    counted.count = 0;
    CHECK(page(*store, counted, "").total == 0);
    // The same lookups of an identifier that does exist find it.
    CHECK(ids(page(*store,
                   parse("Patient", {{"identifier", "urn:t|p0007"}, {"gender:not", "female"}}),
                   "")) == Ids{"p0007"});

    // A lookup before and after a write in one transaction: none, then the written one.
    std::vector<std::size_t> found;
    REQUIRE(store
                ->transact([&](StoreTransaction& tx) {
                  const auto lookup = parse("Patient", {{"identifier", "urn:t|p0040"}});
                  for (int round = 0; round < 2; ++round) {
                    auto hits = tx.search(lookup);
                    if (!hits.is_ok()) return hits.status();
                    found.push_back(hits->entries.size());
                    if (round == 0) {
                      auto written = tx.update(patient(40));
                      if (!written.is_ok()) return written.status();
                    }
                  }
                  return Status::ok();
                })
                .is_ok());
    CHECK(found == std::vector<std::size_t>{0, 1});
  }
}

}  // namespace
}  // namespace hearth::storage
