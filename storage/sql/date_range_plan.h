// Internal to storage/sql: date ranges in search planning (docs/search.md, Planning). Several
// clauses of one date parameter, or the date a search is ordered by, can be read as one range
// of idx_date_find (pid, low) instead of one set per clause; this file decides which clauses
// form such a range and its bounds on `low`. Pure: the caller reads the parameter's longest
// span (date_shape.h) from the store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "fhir/search/search_query.h"

namespace hearth::storage::detail {

// Two or more required clauses of one date parameter (`date=ge2020-01-01&date=lt2020-01-08`),
// each a dense set whose intersection is small, read as one range of idx_date_find (pid, low):
// the rows that meet every clause at once and start between low_min and low_max. A resource
// matches the clauses only through such a row when it has one row of the parameter at most, and
// a row meeting the clauses starts within those bounds only when no row spans more than the
// parameter's longest span: the planner forms a range from search_param's date shape
// (date_shape.h) only then (date_range).
struct DateRange {
  std::vector<std::size_t> clauses;  // into query.clauses; the first stands for them all
  std::int64_t low_min = 0, low_max = 0;
};

// The clauses of `candidates` (probe_clauses) that may form a DateRange: those of the first
// date parameter that two or more of them search, each with one value and no modifier, over
// one type and a parameter without parts (param_parts); empty when there are none.
std::vector<std::size_t> date_range_clauses(const fhir::search::SearchQuery& query,
                                            const std::vector<std::size_t>& candidates);

// The clauses of `candidates` that may form a DateRange walked in date order: those of the
// query's only sort key's parameter when it is ascending (each with one value and no modifier,
// over one type and a parameter without parts); empty otherwise.
std::vector<std::size_t> date_order_clauses(const fhir::search::SearchQuery& query,
                                            const std::vector<std::size_t>& candidates);

// The order of a search without _sort (docs/search.md, Order): by id, except for a search of one
// type (not a compartment's) whose first date parameter searched (one value, no modifier, no
// parts) bounds the date on both sides (`date=2020-01-01`, `date=ge2020-01-01&date=lt2020-02`):
// then by that parameter, as `_sort=<it>` would, and by id. Returns that parameter, or nullptr.
// Decided by the query alone, so every page of a search is in one order.
const fhir::SearchParamDef* default_date_order(const fhir::search::SearchQuery& query);

// The range of `clauses` (date_range_clauses) when no row of their parameter spans more than
// `span` micros: the bounds on `low` of a row that meets every clause; none when the clauses
// leave `low` unbounded on a side (ge and gt only, say). `now_micros` as for compile_search.
std::optional<DateRange> date_range(const fhir::search::SearchQuery& query,
                                    const std::vector<std::size_t>& clauses, std::int64_t span,
                                    std::int64_t now_micros);

// The `ap` prefix's slack: 10% of the distance between the value `v` and `now` (micros).
std::int64_t ap_slack(const fhir::search::SearchValue& v, std::int64_t now);

}  // namespace hearth::storage::detail
