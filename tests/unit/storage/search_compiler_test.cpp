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
    SearchSql sql = compile_search(parse(c.type, {{c.name, "x"}}), 0);
    // Forward links select reference rows; reverse links select resources by id.
    CHECK(occurrences(sql.where, "FROM idx_reference i") == c.links);
    CHECK(occurrences(sql.where, "SELECT t.rid FROM resource t") == c.reverse);
    CHECK(occurrences(sql.where, "t.deleted = 0") == c.links);
    CHECK(sql.where.starts_with(" AND (r.rid IN (SELECT "));
    check_placeholders(sql.where, sql.where_values);
  }
  // The types the links reach are bound, and the terminal's value.
  SearchSql sql =
      compile_search(parse("Observation", {{"subject:Patient.organization.name", "acme"}}), 0);
  CHECK(bound(sql.values, "Patient"));
  CHECK(bound(sql.values, "Organization"));
  CHECK(bound(sql.values, "acme"));
  // _id at the end of a chain is the resource row's, not an index table's.
  sql = compile_search(parse("Observation", {{"subject:Patient._id", "p1"}}), 0);
  CHECK(sql.where.find("SELECT r.rid FROM resource r WHERE r.res_type = ") != std::string::npos);
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
       "JOIN resource t ON t.res_type = i.target_type AND t.res_id = i.target_id",
       1},
      {"Patient",
       {{"_revinclude", "Observation:subject"}},
       {{"Patient", "p1"}},
       "SELECT i.rid FROM idx_reference i WHERE ",
       1},
      {"Patient",
       {{"_revinclude", "Observation:*"}},
       {{"Patient", "p1"}},
       "i.pid IN (SELECT p.id FROM search_param p WHERE p.res_type = ",
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
    IncludeSql sql = compile_include(q);
    CHECK_MESSAGE(sql.where.find(c.shape) != std::string::npos, sql.where);
    CHECK(occurrences(sql.where, "SELECT ") - occurrences(sql.where, "(SELECT p.id") == c.selects);
    check_placeholders(sql.where, sql.values.size());
    if (c.selects == 0) CHECK(sql.values.empty());
  }
  // _revinclude=* needs no parameter: it is driven by the target alone.
  IncludeQuery any;
  any.from = {{"Patient", "p1"}};
  any.directives = parse("Patient", {{"_revinclude", "*"}}).includes;
  IncludeSql sql = compile_include(any);
  CHECK(sql.where.find("pid") == std::string::npos);
  CHECK(sql.where.find("i.target_type = ") != std::string::npos);
}

TEST_CASE("search compiler: a compartment is its parameters' references, or the resource itself") {
  auto query = parse("Encounter", {{"status", "finished"}});
  query.compartment = fhir::search::compartment_filter("Encounter", "e1", "Encounter").value();
  SearchSql sql = compile_search(query, 0);
  CHECK(sql.where.find("r.res_id = ") != std::string::npos);  // "{def}", and nothing else
  CHECK(sql.where.find("idx_reference") == std::string::npos);
  check_placeholders(sql.where, sql.where_values);
  query = parse("Observation", {});
  query.compartment = fhir::search::compartment_filter("Patient", "p1", "Observation").value();
  sql = compile_search(query, 0);
  CHECK(occurrences(sql.where, "SELECT p.id FROM search_param p") == 2);  // subject, performer
  CHECK(sql.where.find("i.target_type = ") != std::string::npos);
  CHECK(bound(sql.values, "p1"));
  CHECK(bound(sql.values, "Patient"));
  CHECK(sql.where.find("r.res_id") == std::string::npos);
  check_placeholders(sql.where, sql.where_values);
}

}  // namespace
}  // namespace hearth::storage::detail
