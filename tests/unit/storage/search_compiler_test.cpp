// The search compiler alone (storage/sql/search_compiler.h): the shape of the SQL for chains,
// _has and include directives, and that every bound value is one the text uses. The engines'
// answers to the same queries are pinned by store_search_links_test.cpp.
#include "storage/sql/search_compiler.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/compartment.h"
#include "fhir/search/search_query.h"
#include "storage/sql/include_compiler.h"
#include "storage/sql/page_keyset.h"

namespace hearth::storage::detail {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

fhir::search::SearchQuery parse(const std::string& type, const Params& params) {
  auto q = fhir::search::parse_search(type, params, "http://h/fhir", true);
  REQUIRE_MESSAGE(q.is_ok(), q.status().message());
  return std::move(*q);
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

// The placeholders of `sql` are exactly :b1 .. :b<values>, each used at least once.
void check_placeholders(const std::string& sql, std::size_t values) {
  std::set<std::size_t> used;
  for (std::size_t at = sql.find(":b"); at != std::string::npos; at = sql.find(":b", at + 1)) {
    std::size_t n = 0, k = at + 2;
    for (; k < sql.size() && sql[k] >= '0' && sql[k] <= '9'; ++k) n = n * 10 + (sql[k] - '0');
    if (k > at + 2) used.insert(n);
  }
  CHECK_MESSAGE(used.size() == values, sql);
  if (!used.empty()) {
    CHECK(*used.begin() == 1);
    CHECK(*used.rbegin() == values);
  }
}

bool bound(const std::vector<SqlValue>& values, const std::string& text) {
  for (const SqlValue& v : values) {
    if (v.text == text) return true;
  }
  return false;
}

TEST_CASE("search compiler: one nested selection per chain link, innermost the parameter's own") {
  struct Case {
    const char* type;
    const char* name;
    std::size_t links;
    std::size_t reverse;
  };
  const Case cases[] = {
      {"Observation", "subject:Patient.name", 1, 0},
      {"Observation", "subject:Patient.organization.name", 2, 0},
      {"Patient", "_has:Observation:patient:code", 1, 1},
      {"Patient", "_has:Observation:patient:_has:Observation:has-member:code", 2, 2},
      {"Encounter", "_has:Observation:encounter:subject:Patient.name", 2, 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    SearchSql sql = compile_search(parse(c.type, {{c.name, "x"}}), "", 0);
    // Forward links select reference rows; reverse links select resources by id.
    CHECK(occurrences(sql.where, "FROM idx_reference i") == c.links);
    CHECK(occurrences(sql.where, "SELECT t.rid FROM resource t") == c.reverse);
    CHECK(occurrences(sql.where, "t.deleted = 0") == c.links);
    // The searched type, then the chain's selection.
    CHECK(sql.where.starts_with(" AND r.tenant = :b1 AND ((r.res_type = :b"));
    CHECK(occurrences(sql.where, "(r.rid IN (SELECT ") == 1);
    check_placeholders(sql.where, sql.where_values);
  }
  // The types the links reach are bound, and the terminal's value.
  SearchSql sql =
      compile_search(parse("Observation", {{"subject:Patient.organization.name", "acme"}}), "", 0);
  CHECK(bound(sql.values, "Patient"));
  CHECK(bound(sql.values, "Organization"));
  CHECK(bound(sql.values, "acme"));
  // _id at the end of a chain is the resource row's, not an index table's.
  sql = compile_search(parse("Observation", {{"subject:Patient._id", "p1"}}), "", 0);
  CHECK(sql.where.find("SELECT r.rid FROM resource r WHERE r.tenant = :b1 AND r.res_type = ") !=
        std::string::npos);
  CHECK(sql.where.find("r.res_id = ") != std::string::npos);
}

TEST_CASE(
    "search compiler: include directives select by source or target, binding only what "
    "they use") {
  struct Case {
    const char* type;
    Params params;
    std::vector<std::pair<std::string, std::string>> from;
    const char* shape;  // a part of the WHERE, or "1 = 0" for nothing
    std::size_t selects;
  };
  const std::vector<Case> cases = {
      {"Observation",
       {{"_include", "Observation:subject"}},
       {{"Observation", "o1"}},
       "JOIN resource t ON t.tenant = s.tenant AND t.res_type = i.target_type"
       " AND t.res_id = i.target_id WHERE s.tenant = :b",
       1},
      {"Patient",
       {{"_revinclude", "Observation:subject"}},
       {{"Patient", "p1"}},
       "SELECT i.rid FROM idx_reference i WHERE ",
       1},
      {"Patient",
       {{"_revinclude", "Observation:*"}},
       {{"Patient", "p1"}},
       "i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = :b",
       1},
      {"Patient",
       {{"_revinclude", "*"}, {"_revinclude", "Observation:subject"}},
       {{"Patient", "p1"}, {"Patient", "p2"}},
       " UNION ",
       2},
      // A directive that cannot apply to `from`: nothing selected, nothing bound.
      {"Observation", {{"_include", "Observation:subject"}}, {{"Patient", "p1"}}, "1 = 0", 0},
      {"Patient", {{"_revinclude", "Observation:subject:Patient"}}, {{"Group", "g1"}}, "1 = 0", 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.params.front().second);
    IncludeQuery q;
    q.from = c.from;
    q.directives = parse(c.type, c.params).includes;
    q.limit = 10;
    IncludeSql sql = compile_include(q, "");
    CHECK_MESSAGE(sql.where.find(c.shape) != std::string::npos, sql.where);
    CHECK(occurrences(sql.where, "SELECT ") - occurrences(sql.where, "(SELECT p.id") == c.selects);
    check_placeholders(sql.where, sql.values.size());
    if (c.selects == 0) CHECK(sql.values.empty());
  }
  // _revinclude=* needs no parameter: it reads the rows of every reference parameter that can
  // point at the target's type, listed (idx_reference_find: pid, target_id), the tenant's.
  IncludeQuery any;
  any.from = {{"Patient", "p1"}};
  any.directives = parse("Patient", {{"_revinclude", "*"}}).includes;
  IncludeSql sql = compile_include(any, "t1");
  CHECK(sql.where.find("i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = :b") !=
        std::string::npos);
  CHECK(sql.where.find("i.target_type = ") != std::string::npos);
  CHECK(bound(sql.values, "t1"));
  CHECK(bound(sql.values, "Observation"));  // Observation.subject, .patient, .performer ...
  CHECK(bound(sql.values, "subject"));
  CHECK(bound(sql.values, "link"));                   // Patient's own to a Patient
  CHECK(!bound(sql.values, "general-practitioner"));  // Patient's own, to others only
  CHECK(!bound(sql.values, "Medication"));            // none of its references reaches a Patient
  CHECK(!bound(sql.values, "code"));                  // not a reference
  check_placeholders(sql.where, sql.values.size());
  // Each target type is a selection of its own with its own parameters, joined by UNION: only
  // (pid, target_id) is indexed, and no engine drives an index from outside an OR's term.
  for (const char* directive : {"*", "Observation:*", "Observation:subject"}) {
    CAPTURE(std::string(directive));
    IncludeQuery two;
    two.from = {{"Patient", "p1"}, {"Group", "g1"}};
    two.directives = parse("Patient", {{"_revinclude", directive}}).includes;
    IncludeSql both = compile_include(two, "");
    CHECK(occurrences(both.where, "i.pid ") == 2);
    CHECK(occurrences(both.where, "i.target_type = ") == 2);
    CHECK(occurrences(both.where, "SELECT i.rid FROM idx_reference i WHERE ") == 2);
    check_placeholders(both.where, both.values.size());
  }
  // Patient:* to a type none of Patient's references reach: nothing selected.
  IncludeQuery none;
  none.from = {{"Medication", "m1"}};
  none.directives = parse("Medication", {{"_revinclude", "Patient:*"}}).includes;
  CHECK(compile_include(none, "").where == "1 = 0");
}

// Every resource row and parameter id a statement reads is the tenant's (docs/tenancy.md): each
// "FROM resource x" / "JOIN resource x" and each search_param lookup names x.tenant / p.tenant,
// whatever the form (chains, _has, _id, _type, _sort, compartments, includes of every kind).
TEST_CASE("search compiler: every form binds the tenant to every resource row and parameter id") {
  auto scoped = [](const std::string& where, const std::vector<SqlValue>& values) {
    CAPTURE(where);
    CHECK(bound(values, "t1"));
    for (const char* alias : {"r", "s", "t"}) {
      const std::string a(alias);
      const std::size_t rows =
          occurrences(where, "FROM resource " + a + " ") + occurrences(where, "JOIN resource " + a);
      CHECK(occurrences(where, a + ".tenant = ") >= rows);
    }
    CHECK(occurrences(where, "FROM search_param p WHERE p.tenant = :b") ==
          occurrences(where, "FROM search_param p"));
  };
  const std::vector<std::pair<std::string, Params>> searches = {
      {"Observation", {{"subject:Patient.organization.name", "acme"}}},
      {"Observation", {{"subject:Patient._id", "p1"}, {"code", "c"}, {"_sort", "-date"}}},
      {"Patient", {{"_has:Observation:patient:_has:Observation:has-member:code", "c2"}}},
      {"Patient", {{"_has:Observation:patient:_text", "penicillin"}}},
      {"", {{"_type", "Patient,Practitioner"}, {"family", "a"}}},
      {"", {{"_tag", "x"}}},
  };
  for (const auto& [type, params] : searches) {
    SearchSql sql = compile_search(parse(type, params), "t1", 0);
    CHECK(sql.where.starts_with(" AND r.tenant = :b1"));
    scoped(sql.where + sql.order_by, sql.values);
  }
  auto compartment = parse("Observation", {});
  compartment.compartment =
      fhir::search::compartment_filter("Patient", "p1", "Observation").value();
  SearchSql sql = compile_search(compartment, "t1", 0);
  scoped(sql.where, sql.values);
  for (const char* directive : {"Observation:subject", "*"}) {
    IncludeQuery q;
    q.from = {{"Observation", "o1"}};
    q.directives = parse("Observation", {{"_include", directive}}).includes;
    IncludeSql include = compile_include(q, "t1");
    CHECK(include.where.starts_with("r.tenant = :b"));
    scoped(include.where, include.values);
  }
  for (const char* directive : {"Observation:subject", "Observation:*", "*"}) {
    IncludeQuery q;
    q.from = {{"Patient", "p1"}};
    q.directives = parse("Patient", {{"_revinclude", directive}}).includes;
    IncludeSql include = compile_include(q, "t1");
    scoped(include.where, include.values);
  }
}

TEST_CASE("search compiler: a compartment is its parameters' references, or the resource itself") {
  auto query = parse("Encounter", {{"status", "finished"}});
  query.compartment = fhir::search::compartment_filter("Encounter", "e1", "Encounter").value();
  SearchSql sql = compile_search(query, "", 0);
  CHECK(sql.where.find("r.res_id = ") != std::string::npos);  // "{def}", and nothing else
  CHECK(sql.where.find("idx_reference") == std::string::npos);
  check_placeholders(sql.where, sql.where_values);
  query = parse("Observation", {});
  query.compartment = fhir::search::compartment_filter("Patient", "p1", "Observation").value();
  sql = compile_search(query, "", 0);
  CHECK(occurrences(sql.where, "SELECT p.id FROM search_param p") == 2);  // subject, performer
  CHECK(sql.where.find("i.target_type = ") != std::string::npos);
  CHECK(bound(sql.values, "p1"));
  CHECK(bound(sql.values, "Patient"));
  CHECK(sql.where.find("r.res_id") == std::string::npos);
  check_placeholders(sql.where, sql.where_values);
}

TEST_CASE("search compiler: several compartments, or every one of a type (Bulk Data)") {
  auto query = parse("Observation", {});
  auto filter = fhir::search::compartment_filter("Patient", "", "Observation").value();
  filter.ids = {"p1", "p2", "p3"};
  query.compartment = filter;
  SearchSql sql = compile_search(query, "", 0);
  CHECK(occurrences(sql.where, "i.target_id IN (") == 1);
  CHECK(bound(sql.values, "p1"));
  CHECK(bound(sql.values, "p3"));
  check_placeholders(sql.where, sql.where_values);

  filter.ids.clear();
  filter.any_member = true;
  query.compartment = filter;
  sql = compile_search(query, "", 0);
  CHECK(sql.where.find("EXISTS (SELECT 1 FROM idx_reference i WHERE i.rid = r.rid") !=
        std::string::npos);
  CHECK(sql.where.find("target_id") == std::string::npos);
  CHECK(bound(sql.values, "Patient"));
  check_placeholders(sql.where, sql.where_values);

  // The compartment's own type: the resources themselves, by id or all of them.
  query = parse("Patient", {});
  filter = fhir::search::compartment_filter("Patient", "", "Patient").value();
  filter.self = true;
  filter.params.clear();
  filter.ids = {"p1", "p2"};
  query.compartment = filter;
  sql = compile_search(query, "", 0);
  CHECK(sql.where.find("r.res_id IN (") != std::string::npos);
  filter.ids.clear();
  filter.any_member = true;
  query.compartment = filter;
  sql = compile_search(query, "", 0);
  CHECK(sql.where.find("1 = 1") != std::string::npos);
  check_placeholders(sql.where, sql.where_values);
}

TEST_CASE("search compiler: the searched types, one, several or every") {
  SearchSql one = compile_search(parse("Patient", {{"family", "a"}}), "", 0);
  CHECK(one.where.find("r.res_type = :b") != std::string::npos);
  CHECK(one.order_by == "r.res_id");
  check_placeholders(one.where, one.where_values);

  SearchSql two =
      compile_search(parse("", {{"_type", "Patient,Practitioner"}, {"family", "a"}}), "", 0);
  CHECK(two.where.find("r.res_type IN (") != std::string::npos);
  CHECK(occurrences(two.where, "p.res_type = ") == 2);  // each type's own parameter ids
  CHECK(bound(two.values, "Practitioner"));
  CHECK(two.order_by == "r.res_id, r.res_type");
  check_placeholders(two.where, two.where_values);

  SearchSql every = compile_search(parse("", {{"_tag", "x"}}), "", 0);
  CHECK(every.where.find("res_type") == std::string::npos);
  CHECK(every.where.find("p.code = ") != std::string::npos);
  check_placeholders(every.where, every.where_values);
}

TEST_CASE("search compiler: keyset terms and conditions") {
  const auto query = parse("Patient", {{"_sort", "-birthdate,family"}});
  SearchSql sql = compile_search(query, "", 0);
  REQUIRE(sql.terms.size() == 3);
  CHECK(sql.terms[0].kind == KeyKind::kInteger);
  CHECK(sql.terms[0].nullable);
  CHECK(sql.terms[0].descending);
  CHECK(sql.terms[1].kind == KeyKind::kText);
  CHECK(sql.terms[2].expr == "r.res_id");
  CHECK_FALSE(sql.terms[2].nullable);
  const std::string forward = sql.order_by;

  CursorValue year{.null = false, .kind = KeyKind::kInteger, .text = {}, .integer = 5, .real = 0};
  CursorValue none{.null = true, .kind = KeyKind::kText, .text = {}, .integer = 0, .real = 0};
  CursorValue id{.null = false, .kind = KeyKind::kText, .text = "p'9", .integer = 0, .real = 0};
  PageCursor after{.direction = PageCursor::Direction::kAfter, .keys = {year, none, id}};
  REQUIRE(add_keyset(sql, after).is_ok());
  CHECK(sql.order_by == forward);
  CHECK(sql.keyset.find(" < 5") != std::string::npos);  // descending: after is smaller
  CHECK(sql.keyset.find("p'9") == std::string::npos);   // texts are bound, never spliced
  CHECK(bound(sql.values, "p'9"));
  check_placeholders(sql.where + sql.order_by + sql.keyset, sql.values.size());

  SearchSql back = compile_search(query, "", 0);
  PageCursor before{.direction = PageCursor::Direction::kBefore, .keys = {year, none, id}};
  REQUIRE(add_keyset(back, before).is_ok());
  CHECK(back.order_by != forward);
  CHECK(back.keyset.find(" > 5") != std::string::npos);
  SearchSql last = compile_search(query, "", 0);
  REQUIRE(
      add_keyset(last, PageCursor{.direction = PageCursor::Direction::kLast, .keys = {}}).is_ok());
  CHECK(last.order_by == back.order_by);
  CHECK(last.keyset.empty());

  // Cursors that do not fit the terms: too few keys, a wrong kind, NULL for a column.
  for (const std::vector<CursorValue>& keys :
       {std::vector<CursorValue>{id}, std::vector<CursorValue>{id, none, id},
        std::vector<CursorValue>{year, none, none}}) {
    SearchSql misfit = compile_search(query, "", 0);
    PageCursor cursor{.direction = PageCursor::Direction::kAfter, .keys = keys};
    CHECK(add_keyset(misfit, cursor).code() == Code::kInvalidArgument);
  }
}

TEST_CASE("search compiler: the page query joins the bodies after its LIMIT, in its order") {
  const auto query = parse("Patient", {{"_sort", "-birthdate,family"}, {"name", "smi"}});
  for (const PageCursor::Direction direction :
       {PageCursor::Direction::kAfter, PageCursor::Direction::kLast}) {
    CAPTURE(static_cast<int>(direction));
    SearchSql sql = compile_search(query, "", 0);
    if (direction == PageCursor::Direction::kLast) {  // the first page has no cursor
      REQUIRE(add_keyset(sql, PageCursor{.direction = direction, .keys = {}}).is_ok());
    }
    const std::string text = page_select(sql);
    const std::size_t limit = text.find("LIMIT :lim OFFSET :off");
    const std::size_t body = text.find("JOIN resource_version v");
    REQUIRE(limit != std::string::npos);
    REQUIRE(body != std::string::npos);
    CHECK(limit < body);  // only the page's rows meet their bodies
    CHECK(
        text.starts_with("SELECT c.res_type, c.res_id, c.version, c.last_updated, v.body, "
                         "pr.k0, pr.k1, pr.k2 FROM (SELECT r.tenant, r.res_type, r.res_id, "));
    // The outer order is the inner one over the selected keys, in the same direction.
    const std::string inner = sql.order_by;
    const std::string outer = text.substr(text.rfind(" ORDER BY ") + 10);
    CHECK(outer.find("pr.k0") != std::string::npos);
    CHECK(std::count(outer.begin(), outer.end(), ',') ==
          std::count(inner.begin(), inner.end(), ','));
    CHECK((outer.find("DESC") != std::string::npos) == (inner.find("DESC") != std::string::npos));
    const bool backward = direction != PageCursor::Direction::kAfter;
    CHECK(outer.find("pr.res_id") == std::string::npos);
    CHECK(outer.ends_with(backward ? "pr.k2 DESC" : "pr.k2"));
    check_placeholders(text, sql.values.size());
  }
}

TEST_CASE("search compiler: the default date order and the date walk") {
  // Bounded on both sides: the first date parameter orders; else (or with _sort, a
  // compartment, a modifier) none does.
  auto order_of = [](const std::string& type, const Params& params) {
    const fhir::SearchParamDef* p = default_date_order(parse(type, params));
    return p == nullptr ? std::string("-") : std::string(p->code);
  };
  CHECK(order_of("Observation", {{"date", "2020-05-01"}}) == "date");
  CHECK(order_of("Observation", {{"date", "ge2020"}, {"date", "lt2021"}}) == "date");
  CHECK(order_of("Observation", {{"code", "x"}, {"date", "le2021"}, {"date", "sa2019"}}) == "date");
  CHECK(order_of("Observation", {{"date", "ge2020"}}) == "-");
  CHECK(order_of("Observation", {{"date", "ne2020"}}) == "-");
  CHECK(order_of("Observation", {{"date", "2020,2021"}}) == "-");
  CHECK(order_of("Observation", {{"date:missing", "false"}}) == "-");
  CHECK(order_of("Observation", {{"date", "2020"}, {"_sort", "_id"}}) == "-");
  CHECK(order_of("Observation", {{"_lastUpdated", "2020"}}) == "-");
  // The first date parameter decides, bounded or not.
  CHECK(order_of("Patient", {{"birthdate", "ge1990"}, {"death-date", "2020"}}) == "-");
  CHECK(order_of("Patient", {{"birthdate", "1990"}, {"gender", "male"}}) == "birthdate");

  // The walk: the range's rows `w` in index order, joined to their resources; the other plain
  // clauses asked of the row's key; its `low` is the first sort term, bounded alone after a
  // cursor.
  auto query = parse(
      "Observation",
      {{"code", "urn:c|x"}, {"date", "ge2020-01-01"}, {"date", "lt2020-01-08"}, {"_sort", "date"}});
  const std::vector<std::size_t> clauses = date_order_clauses(query, probe_clauses(query));
  REQUIRE(clauses.size() == 2);
  SearchPlan plan{
      .probe = true, .driver = {}, .total = {}, .range = {}, .date_walk = true, .walk_token = {}};
  plan.range = date_range(query, clauses, 0, 0);
  REQUIRE(plan.range.has_value());
  SearchSql sql = compile_search(query, "", 0, Dialect::kSqlite, plan);
  CHECK(sql.from == "idx_date w CROSS JOIN resource r");
  CHECK(sql.where.find("r.rid = w.rid") != std::string::npos);
  CHECK(sql.where.find("w.low >= ") != std::string::npos);
  CHECK(sql.where.find("i.rid = w.rid") != std::string::npos);  // the code's probe
  CHECK(occurrences(sql.where, "FROM idx_date") == 0);          // the range is the walk's rows
  REQUIRE(sql.terms.size() == 2);
  CHECK(sql.terms[0].expr == "w.low");
  CHECK_FALSE(sql.terms[0].nullable);
  CHECK(sql.order_by == "w.low, r.res_id");
  check_placeholders(sql.where + sql.order_by, sql.values.size());
  CursorValue day{.null = false, .kind = KeyKind::kInteger, .text = {}, .integer = 7, .real = 0};
  CursorValue id{.null = false, .kind = KeyKind::kText, .text = "o1", .integer = 0, .real = 0};
  REQUIRE(add_keyset(sql, PageCursor{.direction = PageCursor::Direction::kAfter, .keys = {day, id}})
              .is_ok());
  CHECK(sql.keyset.find(" AND w.low >= 7") != std::string::npos);
  SearchSql back = compile_search(query, "", 0, Dialect::kSqlite, plan);
  REQUIRE(
      add_keyset(back, PageCursor{.direction = PageCursor::Direction::kBefore, .keys = {day, id}})
          .is_ok());
  CHECK(back.keyset.find(" AND w.low <= 7") != std::string::npos);
  CHECK(back.order_by == "w.low DESC, r.res_id DESC");
  // The code read with the range (schema 20): the rows of idx_token_date that have it, and the
  // code still probed (its system); the same sort terms, so the same cursors.
  const std::optional<std::size_t> token = token_date_clause(query, probe_clauses(query));
  REQUIRE(token == std::optional<std::size_t>(0));
  plan.walk_token = token;
  SearchSql paired = compile_search(query, "", 0, Dialect::kSqlite, plan);
  CHECK(paired.from == "idx_token_date w CROSS JOIN resource r");
  CHECK(paired.where.find("w.tpid = (SELECT p.id FROM search_param p") != std::string::npos);
  CHECK(paired.where.find("w.code = :b") != std::string::npos);
  CHECK(paired.where.find("w.low >= ") != std::string::npos);
  CHECK(paired.where.find("i.rid = w.rid") != std::string::npos);  // the code's probe
  CHECK(paired.order_by == "w.low, r.res_id");
  check_placeholders(paired.where + paired.order_by, paired.values.size());
  plan.walk_token.reset();
  // Which token clauses a walk may read with its range: one code, no modifier, no chain, of a
  // parameter with coded values and no parts (token_date_params); not an enumeration such as
  // status or gender, not an identifier, not combo-code (an umbrella).
  auto paired_of = [](const Params& params, const char* type = "Observation") {
    auto q = parse(type, params);
    return token_date_clause(q, probe_clauses(q));
  };
  CHECK(paired_of({{"status", "final"}, {"code", "x"}, {"date", "2020"}}) ==
        std::optional<std::size_t>(1));
  CHECK(paired_of({{"category", "laboratory"}, {"date", "2020"}}) == std::optional<std::size_t>(0));
  CHECK(paired_of({{"value-concept", "urn:c|pos"}, {"date", "2020"}}) ==
        std::optional<std::size_t>(0));
  CHECK_FALSE(paired_of({{"status", "final"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"identifier", "urn:i|1"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"combo-code", "x"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"gender", "female"}, {"birthdate", "1970"}}, "Patient").has_value());
  CHECK(paired_of({{"language", "fr"}, {"birthdate", "1970"}}, "Patient") ==
        std::optional<std::size_t>(0));
  CHECK(paired_of({{"code", "|x"}, {"date", "2020"}}) == std::optional<std::size_t>(0));
  CHECK_FALSE(paired_of({{"code", "x,y"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"code", "urn:c|"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"code:not", "x"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"code:text", "x"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"subject:Patient.identifier", "x"}, {"date", "2020"}}).has_value());
  CHECK_FALSE(paired_of({{"value-quantity", "5"}, {"date", "2020"}}).has_value());
  // Without the walk, the same query reads from the resource rows.
  plan.date_walk = false;
  CHECK(compile_search(query, "", 0, Dialect::kSqlite, plan).from == "resource r");
}

TEST_CASE("page cursor: round trip, signature, damage") {
  CursorValue real{
      .null = false, .kind = KeyKind::kReal, .text = {}, .integer = 0, .real = 0.1 + 0.2};
  CursorValue text{
      .null = false, .kind = KeyKind::kText, .text = "a:1|\n", .integer = 0, .real = 0};
  CursorValue integer{
      .null = false, .kind = KeyKind::kInteger, .text = {}, .integer = -42, .real = 0};
  CursorValue none{.null = true, .kind = KeyKind::kText, .text = {}, .integer = 0, .real = 0};
  PageCursor cursor{.direction = PageCursor::Direction::kBefore,
                    .keys = {real, text, integer, none}};
  const std::string encoded = encode_cursor(cursor, "family,1");
  CHECK(encoded.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  Result<PageCursor> decoded = decode_cursor(encoded, "family,1");
  REQUIRE(decoded.is_ok());
  CHECK(decoded->direction == PageCursor::Direction::kBefore);
  REQUIRE(decoded->keys.size() == 4);
  CHECK(decoded->keys[0].real == 0.1 + 0.2);  // exactly, not to 15 digits
  CHECK(decoded->keys[1].text == "a:1|\n");
  CHECK(decoded->keys[2].integer == -42);
  CHECK(decoded->keys[3].null);
  CHECK(decode_cursor(encoded, "-family,1").status().code() == Code::kInvalidArgument);
  CHECK(decode_cursor("", "family,1").status().code() == Code::kInvalidArgument);
  CHECK(decode_cursor(encoded.substr(0, encoded.size() - 3), "family,1").status().code() ==
        Code::kInvalidArgument);
  CHECK(decode_cursor(std::string(kMaxCursorBytes + 1, 'A'), "").status().code() ==
        Code::kInvalidArgument);
  // A last-page cursor has no keys; any other has some.
  const std::string last =
      encode_cursor(PageCursor{.direction = PageCursor::Direction::kLast, .keys = {}}, "1");
  CHECK(decode_cursor(last, "1").is_ok());
  CHECK_FALSE(
      decode_cursor(
          encode_cursor(PageCursor{.direction = PageCursor::Direction::kAfter, .keys = {}}, "1"),
          "1")
          .is_ok());
}

}  // namespace
}  // namespace hearth::storage::detail
