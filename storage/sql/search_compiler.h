// Internal to storage/: the search query compiler. A typed query (fhir/search/search_query.h)
// becomes the WHERE and ORDER BY of a statement over `resource r`, each clause an
// "r.rid [NOT] IN (SELECT rid FROM idx_<type> ...)" over the table of its parameter's
// type (beyond 8 clauses their selections are combined by INTERSECT / UNION first), or, as a
// SearchPlan says, an "EXISTS" probe of the candidate row; plus the values to bind. OR lists and
// ANDs nest as balanced trees, so the SQL of any query the SearchLimits allow stays within SQLite's
// and PostgreSQL's expression and parameter limits. Chained clauses nest one "IN (SELECT ...)" per
// link (see chained_ids). compile_include turns _include / _revinclude directives into the
// selection of the resources they add. Pure: no database here, so the SQL is testable on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/search/search_query.h"
#include "storage/resource_store.h"
#include "storage/sql/date_range_plan.h"
#include "storage/sql/page_cursor.h"
#include "storage/sql/sql_builder.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// One term of the ORDER BY: an expression over `resource r` (a column, or the subquery of a
// _sort key's value, NULL when the resource has none).
struct SortTerm {
  std::string expr;
  bool descending = false;
  KeyKind kind = KeyKind::kText;  // what the expression yields (its cursor value)
  bool nullable = false;          // sorted by "expr IS NULL" first: no value sorts last
  // A column of the index a date walk reads in order (SearchPlan::date_walk): a page after a
  // cursor also bounds it alone, where the engine starts its index range.
  bool bounds = false;
};

struct SearchSql {
  // What the rows come from, named `r` (the resource row); the page joins its version `v`.
  // "resource r", or for a date walk the index rows `w` joined to their resources.
  std::string from = "resource r";
  // Conditions to AND after "r.deleted = 0", the tenant's first, then the searched types':
  // " AND (...) AND ...".
  std::string where;
  // The ORDER BY list (without the keywords), always ending in r.res_id (then r.res_type, when
  // several types are searched) for a stable order; without _sort just those. add_keyset
  // reverses it for a page read backwards.
  std::string order_by;
  // The terms of order_by, in order: the page query selects them too, for the next cursor.
  std::vector<SortTerm> terms;
  // add_keyset: " AND (...)", the page query's own condition (not the count's).
  std::string keyset;
  // add_keyset: the page is read backwards (order_by reversed).
  bool backward = false;
  // The values of `where` first (a count needs only those), then those of `order_by`, then
  // those of `keyset`.
  std::vector<SqlValue> values;
  std::size_t where_values = 0;
};

// How the clauses meet (docs/search.md, Planning). Without `probe`, each index clause is a set,
// "r.rid [NOT] IN (SELECT i.rid ...)", which SQLite materialises whole (every matching key of
// an unselective clause). With it, every plain clause (probe_clauses) but `driver` is a probe
// of the candidate row, "[NOT] EXISTS (SELECT 1 FROM idx_x i WHERE i.rid = r.rid AND ...)": a
// point lookup on the table's key, so the rows come from the driver's set or, without a driver,
// from the resource table in id order, and a page stops at its last row. The same matches
// either way (a semi-join written two ways). A DateRange (date_range_plan.h) may stand for
// several clauses of one date parameter.
struct SearchPlan {
  bool probe = false;
  std::optional<std::size_t> driver;  // an index into query.clauses, one of probe_clauses
  // The number of matches, when the plan's counts already tell it: the driver is the query's
  // only condition besides its type and its count stayed under the cap (compile_probe).
  std::optional<long long> total;
  // The driver's count was 0: its clause (or range) is a condition every match meets, so
  // nothing matches and the page query need not run.
  bool none = false;
  // When set, the first of its clauses, as a driver or as counted by compile_probe, is the
  // range; the others (and that one, when it does not drive) are probed as usual.
  std::optional<DateRange> range;
  // With `range` and no driver: the page is in the order of the range's parameter (the query's
  // one sort key, ascending) and is read by walking the range's rows of idx_date_find in index
  // order, each joined to its resource and probed for the other clauses; it stops at its last
  // row. Only for a parameter whose resources have one row of it at most (date_shape.h), whose
  // row's `low` is then the resource's sort value.
  bool date_walk = false;
  // With date_walk: a token clause (token_date_clause) whose code is read with the range, from
  // idx_token_date's (date pid, token pid, code, low) key instead of idx_date's (schema 20,
  // token_date_index.h): the walk then reads only the rows that have the code. The clause is
  // still probed (its system), so the matches and their order are the same.
  std::optional<std::size_t> walk_token;
};

// Every form selects rows of `tenant` only (docs/tenancy.md): the resource rows it reads carry
// it, and the index rows it reads are those of the tenant's parameter ids (search_param).
// `now_micros` anchors the `ap` (approximately) prefix on dates. `dialect`: the engine, which
// only _text / _content clauses depend on (FTS5 MATCH or tsvector @@). Precondition: the query
// came from parse_search (parameters and modifiers fit their types).
SearchSql compile_search(const fhir::search::SearchQuery& query, std::string_view tenant,
                         std::int64_t now_micros, Dialect dialect = Dialect::kSqlite,
                         const SearchPlan& plan = {});

// The clauses a plan may drive from: the required ones that are plain (own index rows, not
// full-text, not negated) or chained (chains and _has, whatever their last parameter), in query
// order; none when the query has more than 8 index clauses (those stay sets, combined first) or
// a compartment (its set is the natural driver). A chain that does not drive is probed link by
// link: one correlated EXISTS per link through idx_reference's key (forward) or its
// (pid, target_id) index (reverse).
std::vector<std::size_t> probe_clauses(const fhir::search::SearchQuery& query);

// The first clause of `candidates` (probe_clauses) that a date walk may read with its range
// (SearchPlan::walk_token): a token clause of one type's parameter that idx_token_date pairs
// (token_date_index.h, token_date_params: coded values, no parts), one value with a code, no
// modifier, no chain; none otherwise (`status=final`, `identifier=x` are probed as before).
std::optional<std::size_t> token_date_clause(const fhir::search::SearchQuery& query,
                                             const std::vector<std::size_t>& candidates);

// "SELECT COUNT(*)" of clause `clause`'s matching index rows, counting at most cap + 1: the
// cheap estimate that picks a plan's driver. Its own values (placeholders from :b1). A chain's
// rows are the searched type's keys it selects, each link's set nested in the next, which costs
// what its last link's matches cost: `chain_end` counts those (the last type's own matches)
// instead, to learn first whether the chain's set is worth counting. A plain clause's count is
// of distinct resources (at most cap + 1).
struct ProbeSql {
  std::string text;
  std::vector<SqlValue> values;
};
// With `range`, whose first clause is `clause`: the count of the range's rows instead.
ProbeSql compile_probe(const fhir::search::SearchQuery& query, std::string_view tenant,
                       std::size_t clause, std::int64_t now_micros, long long cap,
                       bool chain_end = false, const DateRange* range = nullptr);

}  // namespace hearth::storage::detail
