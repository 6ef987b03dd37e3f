// Internal to storage/: SQLite's inserts of many rows into one index table (the search index's
// idx_* tables, idx_composite, idx_token_date), a few statements of several VALUES rows each: a
// statement's per-execute work (opening its cursors, halting, resetting) costs about as much as
// a row's insert, so one statement per row cost nearly twice the rows.
//
// Ownership: the session must outlive the writer (as for SqliteStatement). Thread-safety: none,
// as the session. Errors: insert() throws like SqliteStatement::step().
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sql/sqlite_statement.h"

namespace hearth::storage::detail {

// "INSERT OR IGNORE INTO `table` (`columns`) VALUES (?1, ..., ?w), (...)": `rows` rows of `width`
// numbered parameters each. OR IGNORE: in the index tables the whole row is the primary key, and
// an equal row is the same fact (a plain INSERT measured slower: an ORU^R01's index rows 6.0M ->
// 7.9M instructions).
std::string multi_row_insert_sql(std::string_view table, std::string_view columns,
                                 std::size_t width, std::size_t rows);

class MultiRowInsert {
 public:
  // Rows of `width` values for `columns` of `table`, at most `max_rows` rows per statement.
  MultiRowInsert(soci::session& sql, std::string table, std::string columns, std::size_t width,
                 std::size_t max_rows);
  ~MultiRowInsert();

  // Inserts `count` rows: n <= max_rows rows with one statement of exactly n rows (each size
  // prepared on first use, so a session holds at most max_rows statements per table), more in
  // statements of max_rows rows and one of the rest. bind_row(statement, parameter, row) binds
  // the `width` values of row `row` (0-based, in order) from the 1-based `parameter` on,
  // advancing it (an int&). Text bound without a copy must outlive the call.
  template <typename BindRow>
  void insert(std::size_t count, BindRow&& bind_row) {
    for (std::size_t next = 0; next < count;) {
      const std::size_t rows = count - next < max_rows_ ? count - next : max_rows_;
      SqliteStatement& st = statement(rows);
      int parameter = 1;
      for (std::size_t row = next; row < next + rows; ++row) bind_row(st, parameter, row);
      st.step();
      next += rows;
    }
  }

  // The statements prepared so far (one per row count used).
  std::size_t prepared() const;

 private:
  SqliteStatement& statement(std::size_t rows);

  soci::session& sql_;
  const std::string table_, columns_;
  const std::size_t width_, max_rows_;
  std::vector<std::unique_ptr<SqliteStatement>> statements_;  // of n rows at [n - 1]
};

}  // namespace hearth::storage::detail
