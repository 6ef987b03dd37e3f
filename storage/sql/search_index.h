// Internal to storage/: writing a resource's search-index rows (fhir/search/index_values.h) into
// the idx_* tables, inside the write transaction of the resource itself, and rebuilding the
// whole index (after a migration that changes it).
//
// Errors: SOCI exceptions propagate (callers translate them). Thread-safety: none beyond the
// session's.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "fhir/search/index_values.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// The index's write statements for one session, prepared once. SQLite (in-process) runs one
// prepared INSERT per row; PostgreSQL, where each execute is a network round trip, inserts each
// table's rows with one statement, the columns bound as arrays and expanded by unnest().
class IndexWriter {
 public:
  IndexWriter(soci::session& sql, Dialect dialect);
  ~IndexWriter();

  // Deletes every index row of (type, id).
  void remove(const std::string& type, const std::string& id);
  // Inserts `values` as the rows of (type, id); the caller removed older rows first.
  void insert(const std::string& type, const std::string& id,
              const fhir::search::IndexValues& values);

 private:
  template <typename Rows, typename Fill>
  void insert_rows(int table, const Rows& rows, Fill&& fill);

  const Dialect dialect_;
  std::string type_, id_;
  // One row's columns (SQLite) or each column's array literal (PostgreSQL).
  std::string param_, text1_, text2_, text3_, low_, high_, value_;
  // The same numbers as values, for SQLite's per-row binds.
  long long low_value_ = 0, high_value_ = 0;
  double real_value_ = 0;
  std::vector<std::unique_ptr<soci::statement>> deletes_, inserts_;
};

// Rebuilds the index of every current (not deleted) resource: deletes all idx_* rows, then
// parses each stored body and inserts its values. Runs in the caller's transaction.
// Returns the number of resources indexed.
long long reindex_all(soci::session& sql, Dialect dialect);

}  // namespace hearth::storage::detail
