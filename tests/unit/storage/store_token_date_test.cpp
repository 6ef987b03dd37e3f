// Store behaviour suite, a token clause with a date range (docs/search.md, Date order; schema
// 20, storage/sql/token_date_index.h): `Observation?code=x&date=...` in date order, which SQLite
// walks through idx_token_date (the rows of the day that have the code), gives the matches a model
// of the data gives, in date then id order, page after page, after updates and deletes, and after
// the migration that fills the table from the rows a store holds.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

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
using testing::sqlite_scalar;
using testing::walk;

// 2,400 Observations: code urn:c|x on the even ones (1,200: more than the planner's probe cap of
// 1,000, so the code alone never drives), urn:c|y on the odd ones; every sixth also has urn:d|x
// (the same code under a second system); a day of 2020 scattered against the ids.
constexpr int kObservations = 2400;

struct Obs {
  std::vector<std::pair<std::string, std::string>> codings;  // (system, code)
  std::string day;
};

std::string two(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}
std::string obs_id(int i) {
  const std::string digits = std::to_string(i);
  return "o" + std::string(4 - digits.size(), '0') + digits;
}
Obs model_of(int i) {
  Obs o;
  o.codings.emplace_back("urn:c", i % 2 == 0 ? "x" : "y");
  if (i % 6 == 0) o.codings.emplace_back("urn:d", "x");
  o.day = "2020-" + two(1 + (i * 7) % 12) + "-" + two(1 + (i * 13) % 28);
  return o;
}

WriteRequest write_of(const std::string& id, const Obs& o) {
  std::string codings;
  for (const auto& [system, code] : o.codings) {
    if (!codings.empty()) codings += ",";
    codings += R"({"system":")" + system + R"(","code":")" + code + "\"}";
  }
  return testing::indexed_write("Observation", id,
                                R"({"resourceType":"Observation","id":")" + id +
                                    R"(","identifier":[{"system":"urn:i","value":")" + id +
                                    R"("}],"status":"final","code":{"coding":[)" + codings +
                                    R"(]},"effectiveDateTime":")" + o.day + "\"}");
}

// The model's matches of a code (system "" for any) and days [from, to), by day then id, or by
// id only.
Ids expected(const std::map<std::string, Obs>& model, const std::string& system,
             const std::string& code, const std::string& from, const std::string& to,
             bool by_day = true) {
  std::vector<std::pair<std::string, std::string>> found;  // (day, id)
  for (const auto& [id, o] : model) {
    const bool coded = std::any_of(o.codings.begin(), o.codings.end(), [&](const auto& c) {
      return c.second == code && (system.empty() || c.first == system);
    });
    if (coded && o.day >= from && o.day < to) found.emplace_back(by_day ? o.day : "", id);
  }
  std::sort(found.begin(), found.end());
  Ids out;
  for (const auto& f : found) out.push_back(f.second);
  return out;
}

TEST_CASE("token and date: the walk of a code's days gives the model's matches, in date order") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    std::map<std::string, Obs> model;
    REQUIRE(store
                ->transact([&](StoreTransaction& tx) {
                  for (int i = 0; i < kObservations; ++i) {
                    model[obs_id(i)] = model_of(i);
                    auto written = tx.update(write_of(obs_id(i), model[obs_id(i)]));
                    if (!written.is_ok()) return written.status();
                  }
                  return Status::ok();
                })
                .is_ok());

    auto check_all = [&] {
      const Ids spring = expected(model, "", "x", "2020-03-10", "2020-05-20");
      REQUIRE(spring.size() > 20);
      REQUIRE(spring != expected(model, "", "x", "2020-03-10", "2020-05-20", false));
      CHECK(walk(*store, parse("Observation", {{"code", "x"},
                                               {"date", "ge2020-03-10"},
                                               {"date", "lt2020-05-20"},
                                               {"_count", "7"}})) == spring);
      CHECK(walk(*store, parse("Observation", {{"code", "urn:c|x"},
                                               {"date", "ge2020-03-10"},
                                               {"date", "lt2020-05-20"},
                                               {"_count", "9"}})) ==
            expected(model, "urn:c", "x", "2020-03-10", "2020-05-20"));
      // The second system: the walk's rows hold the code only, the probe keeps the system.
      CHECK(walk(*store, parse("Observation", {{"code", "urn:d|x"},
                                               {"date", "ge2020-03-10"},
                                               {"date", "lt2020-05-20"},
                                               {"_count", "5"}})) ==
            expected(model, "urn:d", "x", "2020-03-10", "2020-05-20"));
      // One month (eq bounds both sides), asked in date order, in id order, and the last page.
      const Ids may = expected(model, "", "x", "2020-05-01", "2020-06-01");
      REQUIRE(may.size() > 5);
      CHECK(walk(*store, parse("Observation",
                               {{"code", "x"}, {"date", "2020-05"}, {"_count", "4"}})) == may);
      CHECK(walk(*store,
                 parse("Observation",
                       {{"code", "x"}, {"date", "2020-05"}, {"_sort", "date"}, {"_count", "6"}})) ==
            may);
      CHECK(walk(*store,
                 parse("Observation",
                       {{"code", "x"}, {"date", "2020-05"}, {"_sort", "_id"}, {"_count", "6"}})) ==
            expected(model, "", "x", "2020-05-01", "2020-06-01", false));
      auto accurate =
          parse("Observation",
                {{"code", "x"}, {"date", "2020-05"}, {"_count", "4"}, {"_total", "accurate"}});
      const SearchPage first = page(*store, accurate, "");
      CHECK(first.total == static_cast<long long>(may.size()));
      const SearchPage last = page(*store, accurate, first.last_cursor);
      const std::size_t tail = may.size() % 4 == 0 ? 4 : may.size() % 4;
      CHECK(ids(last) == Ids(may.end() - static_cast<std::ptrdiff_t>(tail), may.end()));
      // A code no resource has in the range, and the other code.
      CHECK(ids(page(*store, parse("Observation", {{"code", "z"}, {"date", "2020-05"}}), ""))
                .empty());
      CHECK(walk(*store,
                 parse("Observation", {{"code", "y"}, {"date", "2020-05"}, {"_count", "8"}})) ==
            expected(model, "", "y", "2020-05-01", "2020-06-01"));
      // Token parameters the table leaves out (an enumeration, an identifier): the day's rows
      // walked and probed, as before it.
      Ids all_may = expected(model, "", "x", "2020-05-01", "2020-06-01");
      const Ids may_y = expected(model, "", "y", "2020-05-01", "2020-06-01");
      all_may.insert(all_may.end(), may_y.begin(), may_y.end());
      std::sort(all_may.begin(), all_may.end(), [&](const std::string& a, const std::string& b) {
        return std::tie(model[a].day, a) < std::tie(model[b].day, b);
      });
      CHECK(walk(*store, parse("Observation",
                               {{"status", "final"}, {"date", "2020-05"}, {"_count", "25"}})) ==
            all_may);
      CHECK(walk(*store, parse("Observation", {{"identifier", "urn:i|" + may.front()},
                                               {"date", "2020-05"}})) == Ids{may.front()});
    };
    check_all();

    // An update that moves a resource out of the code, one that moves another into May, a
    // delete, and a new resource: the walk's rows follow in each write's transaction.
    const std::string moved_out = expected(model, "", "x", "2020-05-01", "2020-06-01").front();
    model[moved_out].codings = {{"urn:c", "y"}};
    REQUIRE(store->update(write_of(moved_out, model[moved_out])).is_ok());
    const std::string moved_in = expected(model, "", "x", "2020-07-01", "2020-08-01").front();
    model[moved_in].day = "2020-05-15";
    REQUIRE(store->update(write_of(moved_in, model[moved_in])).is_ok());
    const std::string deleted = expected(model, "", "x", "2020-05-01", "2020-06-01").back();
    model.erase(deleted);
    REQUIRE(store->remove(testing::request("Observation", deleted)).is_ok());
    model["n0001"] = Obs{{{"urn:c", "x"}}, "2020-05-02"};
    REQUIRE(store->create(write_of("n0001", model["n0001"])).is_ok());
    check_all();

    if (b.sqlite_path.empty() || b.postgresql) continue;
    // The table holds one row per (date, token code) of each current resource with the code.
    long long with_x = 0;
    for (const auto& entry : model) {
      for (const auto& coding : entry.second.codings) with_x += coding.second == "x" ? 1 : 0;
    }
    const long long resources_with_x =
        static_cast<long long>(std::count_if(model.begin(), model.end(), [](const auto& entry) {
          return std::any_of(entry.second.codings.begin(), entry.second.codings.end(),
                             [](const auto& c) { return c.second == "x"; });
        }));
    REQUIRE(with_x > resources_with_x);  // some have x under two systems: one row each
    const std::string rows_of_x =
        "SELECT COUNT(*) FROM idx_token_date t WHERE t.code = 'x' AND t.tpid = (SELECT id FROM"
        " search_param WHERE tenant = '' AND res_type = 'Observation' AND code = 'code')";
    // Only the coded parameter's rows: none of `status` or `identifier`.
    const std::string rows_of_others =
        "SELECT COUNT(*) FROM idx_token_date t WHERE t.tpid <> (SELECT id FROM"
        " search_param WHERE tenant = '' AND res_type = 'Observation' AND code = 'code')";
    store.reset();
    CHECK(sqlite_scalar(b.sqlite_path, rows_of_x) == resources_with_x);
    CHECK(sqlite_scalar(b.sqlite_path, rows_of_others) == 0);
    // The walk reads those rows: without them the code's matches are gone.
    testing::sqlite_exec(b.sqlite_path, "DELETE FROM idx_token_date WHERE code = 'x'");
    store = open_or_die(b.url, clock);
    CHECK(
        ids(page(*store, parse("Observation", {{"code", "x"}, {"date", "2020-05"}}), "")).empty());
    // A store migrated to schema 20 fills the table from the rows it holds.
    store.reset();
    testing::sqlite_exec(b.sqlite_path,
                         "DROP TABLE idx_token_date;"
                         " DELETE FROM sqlite_stat1 WHERE tbl = 'idx_token_date';"
                         " UPDATE schema_version SET version = 19");
    store = open_or_die(b.url, clock);
    check_all();
    store.reset();
    CHECK(sqlite_scalar(b.sqlite_path, rows_of_x) == resources_with_x);
    CHECK(sqlite_scalar(b.sqlite_path, rows_of_others) == 0);
  }
}

}  // namespace
}  // namespace hearth::storage
