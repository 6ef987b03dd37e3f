// SqliteStatement: sqlite3_prepare_v3 / bind / step / reset on the connection SOCI opened.
#include "storage/sql/sqlite_statement.h"

#include <soci/sqlite3/soci-sqlite3.h>

namespace hearth::storage::detail {

using sqlite_api::sqlite3;
using sqlite_api::sqlite3_stmt;

struct SqliteStatement::Handle {
  sqlite3_stmt* stmt = nullptr;
};

namespace {

[[noreturn]] void fail(sqlite3* db, int rc) {
  throw soci::sqlite3_soci_error(sqlite_api::sqlite3_errmsg(db), rc);
}

}  // namespace

sqlite3* sqlite_connection(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

SqliteStatement::SqliteStatement(soci::session& sql, const std::string& text)
    : handle_(new Handle), db_(sqlite_connection(sql)) {
  auto* db = static_cast<sqlite3*>(db_);
  const int rc = sqlite_api::sqlite3_prepare_v3(db, text.c_str(), static_cast<int>(text.size()),
                                                SQLITE_PREPARE_PERSISTENT, &handle_->stmt, nullptr);
  if (rc != SQLITE_OK) {
    delete handle_;
    fail(db, rc);
  }
}

SqliteStatement::~SqliteStatement() {
  sqlite_api::sqlite3_finalize(handle_->stmt);
  delete handle_;
}

void SqliteStatement::bind(int index, std::string_view text) {
  // A non-null pointer even for "": SQLite binds NULL for a null pointer.
  sqlite_api::sqlite3_bind_text(handle_->stmt, index, text.empty() ? "" : text.data(),
                                static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bind(int index, std::int64_t value) {
  sqlite_api::sqlite3_bind_int64(handle_->stmt, index, value);
}

void SqliteStatement::bind(int index, double value) {
  sqlite_api::sqlite3_bind_double(handle_->stmt, index, value);
}

bool SqliteStatement::step() {
  std::int64_t ignored = 0;
  return step_into(ignored);
}

bool SqliteStatement::step_into(std::int64_t& value) {
  return step_row([&value](const Row& row) { value = row.integer(0); });
}

bool SqliteStatement::step_row(const std::function<void(const Row&)>& read) {
  const int rc = sqlite_api::sqlite3_step(handle_->stmt);
  if (rc == SQLITE_ROW) {
    try {
      read(Row(handle_->stmt));
    } catch (...) {
      sqlite_api::sqlite3_reset(handle_->stmt);  // release the read snapshot, then rethrow
      throw;
    }
  }
  const int reset = sqlite_api::sqlite3_reset(handle_->stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(static_cast<sqlite3*>(db_), reset);
  return rc == SQLITE_ROW;
}

std::size_t SqliteStatement::step_rows(const std::function<void(const Row&)>& read) {
  std::size_t rows = 0;
  int rc = SQLITE_ROW;
  while ((rc = sqlite_api::sqlite3_step(handle_->stmt)) == SQLITE_ROW) {
    try {
      read(Row(handle_->stmt));
    } catch (...) {
      sqlite_api::sqlite3_reset(handle_->stmt);  // release the read snapshot, then rethrow
      throw;
    }
    ++rows;
  }
  const int reset = sqlite_api::sqlite3_reset(handle_->stmt);
  if (rc != SQLITE_DONE) fail(static_cast<sqlite3*>(db_), reset);
  return rows;
}

std::int64_t SqliteStatement::Row::integer(int column) const {
  return sqlite_api::sqlite3_column_int64(static_cast<sqlite3_stmt*>(stmt_), column);
}

std::string_view SqliteStatement::Row::text(int column) const {
  auto* stmt = static_cast<sqlite3_stmt*>(stmt_);
  const unsigned char* bytes = sqlite_api::sqlite3_column_text(stmt, column);
  if (bytes == nullptr) return {};
  return {reinterpret_cast<const char*>(bytes),
          static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(stmt, column))};
}

std::int64_t last_insert_rowid(soci::session& sql) {
  return sqlite_api::sqlite3_last_insert_rowid(sqlite_connection(sql));
}

std::int64_t last_changes(soci::session& sql) {
  return sqlite_api::sqlite3_changes(sqlite_connection(sql));
}

}  // namespace hearth::storage::detail
