// Internal to storage/: one SQLite prepared statement used through the C API on a SOCI
// session's connection, for the few statements run so often that SOCI's per-execute work (a
// conversion and copy of every bound value) costs more than the statement: the search index's
// row inserts (multi_row_insert.h) and the point read of a current resource. Text is bound without
// a copy, so a bound view must outlive step().
//
// Ownership: finalizes its statement; the session must outlive it (PreparedStatements, which
// owns the index writer, is destroyed before its session). Thread-safety: none, as the session.
// Errors: step() throws soci::sqlite3_soci_error with SQLite's result code, which
// classify_current_exception (sql_error.h) sorts like any SOCI failure.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

// SOCI includes <sqlite3.h> inside this namespace; declared here so that files which include
// <sqlite3.h> themselves can include this header too.
namespace sqlite_api {
struct sqlite3;
}

namespace hearth::storage::detail {

class SqliteStatement {
 public:
  // Prepares `text` (placeholders ?1, ?2 ...) on `sql`, a SQLite session. Throws like step().
  SqliteStatement(soci::session& sql, const std::string& text);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Bind the 1-based parameter `index`. `text` is not copied.
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  void bind(int index, double value);

  // Runs the statement to its first row (true) or its end (false), then resets it so that it
  // holds no read snapshot (a row's columns are read by the callback before the reset).
  bool step();
  // Like step(), reading column 0 of the first row as an integer into `value` when there is one.
  bool step_into(std::int64_t& value);

  // The first row's columns (0-based), valid only inside step_row's callback.
  class Row {
   public:
    std::int64_t integer(int column) const;
    std::string_view text(int column) const;  // "" for NULL

   private:
    friend class SqliteStatement;
    explicit Row(void* stmt) : stmt_(stmt) {}
    void* stmt_;
  };
  // Like step(), calling `read` with the first row, when there is one, before the reset.
  bool step_row(const std::function<void(const Row&)>& read);
  // Runs the statement to its end, calling `read` with each row, then resets it; returns the
  // number of rows.
  std::size_t step_rows(const std::function<void(const Row&)>& read);

 private:
  struct Handle;
  Handle* handle_;
  void* db_;
};

// The SQLite connection SOCI opened for `sql`, a SQLite session.
sqlite_api::sqlite3* sqlite_connection(soci::session& sql);

// The rowid of the last row inserted on `sql`, a SQLite session. Hearth's inserts read their key
// here instead of through RETURNING, which SQLite runs as a trigger: that gives the INSERT a
// statement journal, and in a group commit's savepoint releasing it walks the whole sub-journal
// after every row.
std::int64_t last_insert_rowid(soci::session& sql);

// The number of rows the last INSERT, UPDATE or DELETE on `sql` (a SQLite session) changed.
std::int64_t last_changes(soci::session& sql);

}  // namespace hearth::storage::detail
