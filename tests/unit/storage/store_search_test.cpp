// Store behaviour suite, search: index rows written with each version, and the query compiler's
// semantics per parameter type (search.html), on every backend. Index values and queries are
// built by hand here, so these tests pin the store alone; fhir/search has its own tests for
// extraction and parsing.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <utility>

#include "core/time_format.h"
#include "fhir/search/date_range.h"
#include "fhir/search/search_query.h"
#include "storage/sql/schema.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

// A store without a statement time limit, for the tests of large queries.
const StoreOptions kNoTimeLimit{.statement_timeout = std::chrono::milliseconds(0)};

using fhir::search::IndexValues;
using fhir::search::Modifier;
using fhir::search::Prefix;
using fhir::search::SearchClause;
using fhir::search::SearchQuery;
using fhir::search::SearchValue;
using testing::backends;
using testing::ManualClock;
using testing::open_or_die;

WriteRequest indexed(const std::string& type, const std::string& id, IndexValues index) {
  WriteRequest r = testing::request(type, id);
  r.index = std::move(index);
  return r;
}

IndexValues patient(const std::string& family, const std::string& gender, const char* birth,
                    const std::string& gp = "") {
  IndexValues v;
  v.strings.push_back({.param = "family", .folded = family, .exact = family});
  v.strings.push_back({.param = "name", .folded = family, .exact = family});
  v.tokens.push_back({.param = "gender",
                      .system = "http://hl7.org/fhir/administrative-gender",
                      .code = gender,
                      .text = ""});
  v.tokens.push_back(
      {.param = "identifier", .system = "urn:mrn", .code = "mrn-" + family, .text = ""});
  auto range = fhir::search::date_range(birth);
  v.dates.push_back({.param = "birthdate", .low = range->low, .high = range->high});
  if (!gp.empty()) {
    v.references.push_back({.param = "general-practitioner",
                            .target_type = "Practitioner",
                            .target_id = gp,
                            .url = "Practitioner/" + gp});
  }
  return v;
}

SearchClause clause(const std::string& type, std::string_view code,
                    Modifier modifier = Modifier::kNone) {
  SearchClause c;
  c.param = fhir::find_search_param(type, code);
  REQUIRE(c.param != nullptr);
  c.code = c.param->code;
  c.modifier = modifier;
  return c;
}

SearchValue text(const std::string& s) {
  SearchValue v;
  v.raw = s;
  v.folded = s;
  return v;
}

SearchValue token(const std::string& system, const std::string& code, bool has_system) {
  SearchValue v;
  v.raw = code;
  v.system = system;
  v.code = code;
  v.has_system = has_system;
  return v;
}

SearchValue reference(const std::string& type, const std::string& id) {
  SearchValue v;
  v.target_type = type;
  v.target_id = id;
  return v;
}

SearchValue date(Prefix prefix, const char* value) {
  SearchValue v;
  v.prefix = prefix;
  v.raw = value;
  auto range = fhir::search::date_range(value);
  REQUIRE(range);
  v.low = range->low;
  v.high = range->high;
  return v;
}

SearchValue number(Prefix prefix, double value, double half_step) {
  SearchValue v;
  v.prefix = prefix;
  v.number = value;
  v.number_low = value - half_step;
  v.number_high = value + half_step;
  return v;
}

std::vector<std::string> ids(Store& store, SearchQuery q) {
  auto page = store.search(q);
  REQUIRE_MESSAGE(page.is_ok(), page.status().message());
  std::vector<std::string> out;
  for (const auto& e : page->entries) out.push_back(e.id);
  return out;
}

SearchQuery query(const std::string& type, std::vector<SearchClause> clauses) {
  SearchQuery q;
  q.resource_type = type;
  q.clauses = std::move(clauses);
  q.sort.push_back({.param = fhir::find_search_param(type, "_id"), .descending = false});
  return q;
}

using Ids = std::vector<std::string>;

TEST_CASE(
    "search: strings, tokens, dates, references, _id over the index; writes keep it current") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    REQUIRE(store->create(indexed("Patient", "a", patient("chalmers", "male", "1974-12-25", "p1")))
                .is_ok());
    REQUIRE(store->create(indexed("Patient", "b", patient("chalk", "female", "1980-03", "p2")))
                .is_ok());
    REQUIRE(
        store->create(indexed("Patient", "c", patient("smith", "female", "2001-07-14"))).is_ok());
    REQUIRE(store->create(indexed("Practitioner", "a", {})).is_ok());

    {  // string: prefix by default, :exact, :contains; OR within a clause
      SearchClause family = clause("Patient", "family");
      family.values = {text("chal")};
      CHECK(ids(*store, query("Patient", {family})) == Ids{"a", "b"});
      family.values = {text("chalmers"), text("smi")};
      CHECK(ids(*store, query("Patient", {family})) == Ids{"a", "c"});
      SearchClause exact = clause("Patient", "family", Modifier::kExact);
      exact.values = {text("chal")};
      CHECK(ids(*store, query("Patient", {exact})).empty());
      SearchClause contains = clause("Patient", "family", Modifier::kContains);
      contains.values = {text("al")};
      CHECK(ids(*store, query("Patient", {contains})) == Ids{"a", "b"});
      contains.values = {text("%")};  // LIKE wildcards are literal
      CHECK(ids(*store, query("Patient", {contains})).empty());
    }
    {  // token: code, system|code, |code, :not; clauses AND
      SearchClause gender = clause("Patient", "gender");
      gender.values = {token("", "female", false)};
      CHECK(ids(*store, query("Patient", {gender})) == Ids{"b", "c"});
      gender.values = {token("http://hl7.org/fhir/administrative-gender", "male", true)};
      CHECK(ids(*store, query("Patient", {gender})) == Ids{"a"});
      gender.values = {token("", "male", true)};  // |male: no system
      CHECK(ids(*store, query("Patient", {gender})).empty());
      SearchClause not_female = clause("Patient", "gender", Modifier::kNot);
      not_female.values = {token("", "female", false)};
      CHECK(ids(*store, query("Patient", {not_female})) == Ids{"a"});
      SearchClause family = clause("Patient", "family");
      family.values = {text("chal")};
      gender.values = {token("", "female", false)};
      CHECK(ids(*store, query("Patient", {family, gender})) == Ids{"b"});
    }
    {  // date prefixes against ranges
      SearchClause birth = clause("Patient", "birthdate");
      birth.values = {date(Prefix::kEq, "1980")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"b"});
      birth.values = {date(Prefix::kEq, "1980-03-05")};  // the resource's month is wider
      CHECK(ids(*store, query("Patient", {birth})).empty());
      birth.values = {date(Prefix::kLt, "1980")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"a"});
      birth.values = {date(Prefix::kGe, "1980-03")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"b", "c"});
      birth.values = {date(Prefix::kGt, "1980-03")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"c"});
      birth.values = {date(Prefix::kNe, "1974-12-25")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"b", "c"});
      birth.values = {date(Prefix::kSa, "1980-02")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"b", "c"});
      birth.values = {date(Prefix::kEb, "1980-03-10")};
      CHECK(ids(*store, query("Patient", {birth})) == Ids{"a"});
    }
    {  // reference by type/id, by id alone, with a :type; :missing
      SearchClause gp = clause("Patient", "general-practitioner");
      SearchValue v;
      v.target_type = "Practitioner";
      v.target_id = "p1";
      gp.values = {v};
      CHECK(ids(*store, query("Patient", {gp})) == Ids{"a"});
      v.target_type = "Organization";
      gp.values = {v};
      CHECK(ids(*store, query("Patient", {gp})).empty());
      v.target_type = "";
      v.target_id = "p2";
      gp.values = {v};
      CHECK(ids(*store, query("Patient", {gp})) == Ids{"b"});
      SearchClause missing = clause("Patient", "general-practitioner", Modifier::kMissing);
      SearchValue yes;
      yes.missing = true;
      missing.values = {yes};
      CHECK(ids(*store, query("Patient", {missing})) == Ids{"c"});
      missing.values.front().missing = false;
      CHECK(ids(*store, query("Patient", {missing})) == Ids{"a", "b"});
    }
    {  // _id and the type boundary: Practitioner/a is not a Patient
      SearchClause id = clause("Patient", "_id");
      id.values = {token("", "a", false), token("", "zzz", false)};
      CHECK(ids(*store, query("Patient", {id})) == Ids{"a"});
      CHECK(ids(*store, query("Practitioner", {})) == Ids{"a"});
    }
    {  // an update replaces the index rows; a delete takes the resource out
      REQUIRE(store->update(indexed("Patient", "a", patient("zed", "male", "1974-12-25"))).is_ok());
      SearchClause family = clause("Patient", "family");
      family.values = {text("chal")};
      CHECK(ids(*store, query("Patient", {family})) == Ids{"b"});
      family.values = {text("zed")};
      CHECK(ids(*store, query("Patient", {family})) == Ids{"a"});
      REQUIRE(store->remove(testing::request("Patient", "b")).is_ok());
      CHECK(ids(*store, query("Patient", {})) == Ids{"a", "c"});
      REQUIRE(
          store->update(indexed("Patient", "b", patient("chalk", "female", "1980-03"))).is_ok());
      family.values = {text("chal")};
      CHECK(ids(*store, query("Patient", {family})) == Ids{"b"});
    }
  }
}

TEST_CASE("search: numbers, quantities, uris, _lastUpdated, sort, paging and totals") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock(1'600'000'000'000'000);
    auto store = open_or_die(b.url, clock);
    const double values[] = {4.9, 5.4, 100};
    for (int i = 0; i < 3; ++i) {
      IndexValues v;
      v.quantities.push_back({.param = "value-quantity",
                              .value = values[i],
                              .system = "http://unitsofmeasure.org",
                              .code = i == 2 ? "g" : "mg"});
      v.uris.push_back(
          {.param = "_profile",
           .uri = "http://example.org/fhir/StructureDefinition/obs-" + std::to_string(i)});
      // A code, and a text-only row (a CodeableConcept's text) that sorting must not see.
      v.tokens.push_back({.param = "code",
                          .system = "http://loinc.org",
                          .code = std::string(1, static_cast<char>('c' - i)),
                          .text = ""});
      v.tokens.push_back({.param = "code", .system = "", .code = "", .text = "a text"});
      REQUIRE(store->create(indexed("Observation", "o" + std::to_string(i), v)).is_ok());
      clock.advance(1'000'000);
    }
    {  // sort by a token: by its codes, not by an empty one of a text-only row
      SearchQuery q = query("Observation", {});
      q.sort = {{.param = fhir::find_search_param("Observation", "code"), .descending = false}};
      CHECK(ids(*store, q) == Ids{"o2", "o1", "o0"});
    }
    {  // quantity: value within the implied precision, and the unit
      SearchClause q = clause("Observation", "value-quantity");
      SearchValue v = number(Prefix::kEq, 5.4, 0.05);
      q.values = {v};
      CHECK(ids(*store, query("Observation", {q})) == Ids{"o1"});
      v = number(Prefix::kGt, 5, 0.5);
      q.values = {v};
      CHECK(ids(*store, query("Observation", {q})) == Ids{"o1", "o2"});
      v.code = "mg";
      q.values = {v};
      CHECK(ids(*store, query("Observation", {q})) == Ids{"o1"});
      v = number(Prefix::kAp, 100, 0.5);
      v.has_system = true;
      v.system = "http://unitsofmeasure.org";
      q.values = {v};
      CHECK(ids(*store, query("Observation", {q})) == Ids{"o2"});
    }
    {  // uri: exact and :below
      SearchClause profile = clause("Observation", "_profile");
      profile.values = {text("http://example.org/fhir/StructureDefinition/obs-1")};
      CHECK(ids(*store, query("Observation", {profile})) == Ids{"o1"});
      SearchClause below = clause("Observation", "_profile", Modifier::kBelow);
      below.values = {text("http://example.org/fhir/")};
      CHECK(ids(*store, query("Observation", {below})).size() == 3);
      SearchClause above = clause("Observation", "_profile", Modifier::kAbove);
      above.values = {text("http://example.org/fhir/StructureDefinition/obs-2/extra")};
      CHECK(ids(*store, query("Observation", {above})) == Ids{"o2"});
    }
    {  // _lastUpdated compares the version's own time
      SearchClause lu = clause("Observation", "_lastUpdated");
      SearchValue v;
      v.prefix = Prefix::kGe;
      v.low = v.high = 1'600'000'001'000'000;
      lu.values = {v};
      CHECK(ids(*store, query("Observation", {lu})) == Ids{"o1", "o2"});
    }
    {  // sort by a quantity descending; paging with totals
      SearchQuery q = query("Observation", {});
      q.sort = {
          {.param = fhir::find_search_param("Observation", "value-quantity"), .descending = true}};
      CHECK(ids(*store, q) == Ids{"o2", "o1", "o0"});
      q.sort.front().descending = false;
      CHECK(ids(*store, q) == Ids{"o0", "o1", "o2"});
      q.count = 2;
      q.offset = 2;
      auto page = store->search(q);
      REQUIRE(page.is_ok());
      REQUIRE(page->total);
      CHECK(*page->total == 3);
      REQUIRE(page->entries.size() == 1);
      CHECK(page->entries[0].id == "o2");
      CHECK(page->entries[0].version == 1);
      CHECK(page->entries[0].body.find("\"id\":\"o2\"") != std::string::npos);
      q.total = fhir::search::TotalMode::kNone;
      q.offset = 0;
      page = store->search(q);
      REQUIRE(page.is_ok());
      CHECK_FALSE(page->total);
      CHECK(page->entries.size() == 2);
      // _total=estimate: exact up to its cap, none past it; the page is the same either way.
      q.total = fhir::search::TotalMode::kEstimate;
      q.estimate_cap = 3;
      page = store->search(q);
      REQUIRE(page.is_ok());
      REQUIRE(page->total);
      CHECK(*page->total == 3);
      q.estimate_cap = 2;
      page = store->search(q);
      REQUIRE(page.is_ok());
      CHECK_FALSE(page->total);
      CHECK(page->entries.size() == 2);
      CHECK_FALSE(page->next_cursor.empty());
      q.count = 0;  // _summary=count style: total only
      q.total = fhir::search::TotalMode::kAccurate;
      page = store->search(q);
      REQUIRE(page.is_ok());
      CHECK(*page->total == 3);
      CHECK(page->entries.empty());
    }
  }
}

TEST_CASE("search: references sort by the reference as written, relative or absolute") {
  // A relative reference's row leaves its url implied by its type and id (search_index.h): the
  // sort must still read "Patient/a" < "Patient/b" < "http://..." (byte order), and a match by
  // target or by absolute URL must still find each.
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock(1'600'000'000'000'000);
    auto store = open_or_die(b.url, clock);
    const std::pair<const char*, fhir::search::ReferenceIndex> subjects[] = {
        {"o1",
         {.param = "subject", .target_type = "Patient", .target_id = "b", .url = "Patient/b"}},
        {"o2",
         {.param = "subject",
          .target_type = "",
          .target_id = "",
          .url = "http://other.example/fhir/Patient/z"}},
        {"o3",
         {.param = "subject", .target_type = "Patient", .target_id = "a", .url = "Patient/a"}},
    };
    for (const auto& [id, subject] : subjects) {
      IndexValues v;
      v.references.push_back(subject);
      REQUIRE(store->create(indexed("Observation", id, v)).is_ok());
    }
    SearchQuery q = query("Observation", {});
    q.sort = {{.param = fhir::find_search_param("Observation", "subject"), .descending = false}};
    CHECK(ids(*store, q) == Ids{"o3", "o1", "o2"});
    q.sort.front().descending = true;
    CHECK(ids(*store, q) == Ids{"o2", "o1", "o3"});

    SearchClause by_target = clause("Observation", "subject");
    by_target.values = {reference("Patient", "a")};
    CHECK(ids(*store, query("Observation", {by_target})) == Ids{"o3"});
    SearchClause by_url = clause("Observation", "subject");
    SearchValue absolute;
    absolute.url = "http://other.example/fhir/Patient/z";
    by_url.values = {absolute};
    CHECK(ids(*store, query("Observation", {by_url})) == Ids{"o2"});
    if (b.persistent) {  // the relative references' rows hold no url of their own
      testing::raw_exec(b, "DELETE FROM idx_reference WHERE url = ''");
      CHECK(ids(*store, query("Observation", {by_target})).empty());
      CHECK(ids(*store, query("Observation", {by_url})) == Ids{"o2"});
    }
  }
}

}  // namespace
}  // namespace hearth::storage

namespace hearth::storage {
namespace {

// Schema 5 brings the search index: resources stored before it are indexed by the migration,
// from their stored bodies, in the migration's transaction.
TEST_CASE("search: migrating a schema-4 database indexes the resources it already holds") {
  for (const auto& b : testing::backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    {
      auto store = open_or_die(b.url, clock);
      WriteRequest r = testing::request(
          "Patient", "old", std::nullopt,
          ",\"name\":[{\"family\":\"D\xc3\xa4lmerstein\",\"given\":[\"Pieter\"]}]");
      REQUIRE(store->create(r).is_ok());  // no index values given: none written
      REQUIRE(store->create(testing::request("Patient", "gone")).is_ok());
      REQUIRE(store->remove(testing::request("Patient", "gone")).is_ok());
    }
    testing::drop_tenants(b);
    testing::drop_search_index(b);
    testing::drop_message_hash(b);
    testing::raw_exec(b, "UPDATE schema_version SET version = 4");
    auto reached = migrate_store(b.url);
    REQUIRE_MESSAGE(reached.is_ok(), reached.status().message());
    CHECK(*reached ==
          latest_schema_version(b.postgresql ? Dialect::kPostgresql : Dialect::kSqlite));
    auto store = open_or_die(b.url, clock);
    SearchClause family = clause("Patient", "family");
    family.values = {text("dalm")};  // folded: the stored "Dälmerstein" matches
    CHECK(ids(*store, query("Patient", {family})) == Ids{"old"});
    SearchClause given = clause("Patient", "given");
    given.values = {text("piet")};
    CHECK(ids(*store, query("Patient", {given})) == Ids{"old"});
    CHECK(ids(*store, query("Patient", {})) == Ids{"old"});
  }
}

}  // namespace
}  // namespace hearth::storage

namespace hearth::storage {
namespace {

// The largest query SearchLimits allow (100 parameters x 100 OR-ed values, 10 _sort keys) over
// string, token, date and reference parameters with modifiers and prefixes: engine limits
// (SQLite's expression depth and bound-variable count, PostgreSQL's parameter count) must never
// turn it into an error, and it must still answer correctly.
TEST_CASE("search: the largest legal query runs on every backend and finds its match") {
  const fhir::search::SearchLimits limits;
  // Each parameter gets max_values - 1 values that match neither patient (`miss` + a number),
  // then `match`, which patient "a" (chalmers, male, 1974-12-25, gp p1) matches.
  struct Param {
    std::string name, miss, match;
    int first_year = 0;  // dates: misses are `miss` + years from this one
  };
  const std::vector<Param> kinds = {
      {"family", "zz", "chal"},
      {"family:exact", "zz", "chalmers"},
      {"family:contains", "zz", "alme"},
      {"name", "zz", "chalmers"},
      {"gender", "code", "male"},
      {"gender:not", "code", "female"},
      {"identifier", "urn:other|", "urn:mrn|mrn-chalmers"},
      {"identifier", "urn:mrn|x", "mrn-chalmers"},
      {"birthdate", "ge", "ge1974-12", 2000},
      {"birthdate", "lt", "le1974-12-25", 1000},
      {"birthdate", "eq", "ap1974-12-25", 2000},
      {"birthdate", "sa", "1974", 2000},
      {"general-practitioner", "Practitioner/x", "Practitioner/p1"},
      {"general-practitioner:Practitioner", "x", "p1"},
      {"general-practitioner", "http://other.org/fhir/Practitioner/", "p1"},
  };
  std::vector<std::pair<std::string, std::string>> params;
  for (std::size_t i = 0; i < limits.max_params; ++i) {
    const Param& p = kinds[i % kinds.size()];
    std::string list;
    for (std::size_t v = 0; v + 1 < limits.max_values; ++v) {
      list += p.miss + std::to_string(p.first_year + static_cast<int>(v)) + ",";
    }
    params.emplace_back(p.name, list + p.match);
  }
  params.emplace_back("_sort",
                      "family,-family,name,gender,-birthdate,birthdate,identifier,"
                      "general-practitioner,-_lastUpdated,_id");
  params.emplace_back("_count", "50");
  Result<SearchQuery> q =
      fhir::search::parse_search("Patient", params, "http://example.org/fhir", true, limits);
  REQUIRE_MESSAGE(q.is_ok(), q.status().message());
  REQUIRE(q->clauses.size() == limits.max_params);
  REQUIRE(q->sort.size() == limits.max_sort);

  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    // What is tested is the query's shape, not its time: under ASan on a loaded machine the
    // largest one passed the default 10 s limit.
    auto store = open_or_die(b.url, clock, kNoTimeLimit);
    REQUIRE(store->create(indexed("Patient", "a", patient("chalmers", "male", "1974-12-25", "p1")))
                .is_ok());
    REQUIRE(store->create(indexed("Patient", "b", patient("chalk", "female", "1980-03", "p2")))
                .is_ok());
    auto start = std::chrono::steady_clock::now();
    auto page = store->search(*q);
    auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_MESSAGE(page.is_ok(), page.status().message());
    MESSAGE(b.name << ": largest legal search (" << limits.max_params << " x " << limits.max_values
                   << " values, " << limits.max_sort << " sort keys) in " << took << " s");
    CHECK(page->total == 1);
    REQUIRE(page->entries.size() == 1);
    CHECK(page->entries[0].id == "a");
  }
}

}  // namespace
}  // namespace hearth::storage

namespace hearth::storage {
namespace {

// Raised limits (--search-max-values 2000): SQLite refuses expressions nested 1,000 deep, which a
// flat OR of a few hundred date values reached (a 500 with the SQL text before); the compiler's
// balanced trees stay ~12 deep. Beyond what either engine can bind, the store answers 400.
TEST_CASE("search: OR lists far beyond the default limits run; too many bound values is a 400") {
  fhir::search::SearchLimits raised;
  raised.max_values = 50'000;
  std::string dates, names;
  for (int v = 0; v < 2000; ++v) {
    dates += "ge" + std::to_string(3000 + v) + ",";
    names += "zz" + std::to_string(v) + ",";
  }
  dates += "le1974-12-25";
  names += "chal";
  Result<SearchQuery> long_lists =
      fhir::search::parse_search("Patient", {{"birthdate", dates}, {"family", names}},
                                 "http://example.org/fhir", true, raised);
  REQUIRE_MESSAGE(long_lists.is_ok(), long_lists.status().message());
  std::string codes;
  for (int v = 0; v < 20'000; ++v)
    codes += "urn:s" + std::to_string(v) + "|c" + std::to_string(v) + ",";
  codes += "urn:mrn|mrn-chalmers";
  Result<SearchQuery> too_many = fhir::search::parse_search(
      "Patient", {{"identifier", codes}}, "http://example.org/fhir", true, raised);
  REQUIRE(too_many.is_ok());

  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    // What is tested is the query's shape, not its time: under ASan on a loaded machine the
    // largest one passed the default 10 s limit.
    auto store = open_or_die(b.url, clock, kNoTimeLimit);
    REQUIRE(store->create(indexed("Patient", "a", patient("chalmers", "male", "1974-12-25", "p1")))
                .is_ok());
    auto page = store->search(*long_lists);
    REQUIRE_MESSAGE(page.is_ok(), page.status().message().substr(0, 300));
    CHECK(page->total == 1);
    auto refused = store->search(*too_many);
    REQUIRE_FALSE(refused.is_ok());
    CHECK(refused.status().code() == Code::kInvalidArgument);
    CHECK(refused.status().message().find("--search-max-values") != std::string::npos);
  }
}

}  // namespace
}  // namespace hearth::storage
