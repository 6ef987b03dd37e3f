// Internal to storage/: the search query compiler. A typed query (fhir/search/search_query.h)
// becomes the WHERE and ORDER BY of a statement over `resource r`, each clause an
// "r.rid [NOT] IN (SELECT rid FROM idx_<type> ...)" over the table of its parameter's
// type (beyond 8 clauses their selections are combined by INTERSECT / UNION first), plus the
// values to bind. OR lists and ANDs nest as balanced trees, so the SQL of any query the
// SearchLimits allow stays within SQLite's and PostgreSQL's expression and parameter limits.
// Chained clauses nest one "IN (SELECT ...)" per link (see chained_ids). compile_include turns
// _include / _revinclude directives into the selection of the resources they add.
// Pure: no database here, so the SQL is testable on its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fhir/search/search_query.h"
#include "storage/resource_store.h"

namespace hearth::storage::detail {

// A value bound to placeholder ":b<index+1>".
struct SqlValue {
  enum class Kind { kText, kInteger, kReal } kind = Kind::kText;
  std::string text;
  long long integer = 0;
  double real = 0;
};

struct SearchSql {
  // Conditions to AND after "r.res_type = ... AND r.deleted = 0": "" or " AND (...) AND ...".
  std::string where;
  // The ORDER BY list (without the keywords), always ending in r.res_id for a stable order;
  // without _sort just r.res_id.
  std::string order_by;
  // The values of `where` first (a count needs only those), then those of `order_by`.
  std::vector<SqlValue> values;
  std::size_t where_values = 0;
};

// `now_micros` anchors the `ap` (approximately) prefix on dates. Precondition: the query came
// from parse_search (parameters and modifiers fit their types).
SearchSql compile_search(const fhir::search::SearchQuery& query, std::int64_t now_micros);

// The condition on `resource r` that selects what `query` includes: "r.rid IN (SELECT ...
// UNION SELECT ...)", one selection per directive that can apply to `query.from` ("1 = 0" when
// none can), and its bound values.
struct IncludeSql {
  std::string where;
  std::vector<SqlValue> values;
};
IncludeSql compile_include(const IncludeQuery& query);

// The placeholder name of value `index` ("b1" for 0).
std::string placeholder_name(std::size_t index);

}  // namespace hearth::storage::detail
