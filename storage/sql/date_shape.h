// Internal to storage/: the shape of each date parameter's rows, which the SQLite planner needs
// to read two clauses of one date parameter (`date=ge2020-01-01&date=lt2020-01-08`) as one range
// of its (pid, low, high) index (search_compiler.h, DateRange). Two columns of `search_param`
// (schema 19, SQLite only): `date_span`, the longest high - low of any row the parameter has had
// (capped at kHugeSpan), which bounds how far before a range a row can start and still reach
// into it; and `date_several`, 1 once a resource has had two rows of the parameter, when the two
// clauses may be met by two different rows and no single-row range finds them. Both only grow:
// rows deleted since leave them larger than the data needs, which costs a wider scan, never a
// wrong answer. IndexWriter records each resource's date rows in its write transaction.
//
// Errors: SOCI exceptions propagate (callers translate them). Thread-safety: none beyond the
// session's.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "fhir/search/index_values.h"
#include "storage/sql/sqlite_statement.h"

namespace hearth::storage::detail {

// The largest date_span stored: an open Period (low or high at the int64 limits) spans more
// than an int64 holds; every bound computed from a span stays within int64 with this cap.
constexpr std::int64_t kHugeSpan = std::int64_t{1} << 62;

// high - low of one row, capped at kHugeSpan.
std::int64_t date_span(std::int64_t low, std::int64_t high);

class DateShapeWriter {
 public:
  // SQLite sessions only (PostgreSQL plans from its own statistics and has no such columns).
  explicit DateShapeWriter(soci::session& sql);
  ~DateShapeWriter();

  // Widens each parameter's shape to cover `rows`, one resource's date rows; `pid_of` gives a
  // parameter's id. One key lookup per parameter, and a page written only when a row is longer
  // than any before it or the resource is the first with two rows of the parameter.
  void record(const std::vector<fhir::search::DateIndex>& rows,
              const std::function<long long(std::string_view)>& pid_of);

 private:
  SqliteStatement update_;
};

}  // namespace hearth::storage::detail
