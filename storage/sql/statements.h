// The prepared statements of one database session. Each statement is prepared once, when the
// session is first used by the store, and re-executed for every call: parameters and results
// are bound by reference to the member variables below, so a call only assigns the inputs,
// executes and reads the outputs. Dialect differences are small strings (sql_dialect()).
//
// Ownership: owned by a PooledSession; refers to that session's soci::session.
// Thread-safety: none; used by the one thread holding the session's lease.
// Errors: constructors and statements throw soci::soci_error; callers (sql_store.cpp,
// write_transaction.h, group_commit.cpp) catch.
#pragma once

#include <soci/soci.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "fhir/search/index_values.h"
#include "storage/sql/session_pool.h"
#include "storage/store_url.h"

namespace hearth::storage {
namespace detail {
struct ArchiveStatements;
class IndexWriter;
class SearchStatements;
class SqliteStatement;
}  // namespace detail

// SQL text that differs between dialects.
struct SqlDialect {
  const char* begin_write;  // opens a write transaction
  const char* lock_suffix;  // appended to the current-row lookup inside a write
};
const SqlDialect& sql_dialect(Dialect dialect);

// The statements behind one history query shape (level x _since x _at); see history_sql().
struct HistoryStatements {
  // `tenant`: the owner's (PreparedStatements::tenant), bound into both statements.
  HistoryStatements(soci::session& sql, Dialect dialect, int shape, const std::string& tenant);
  // Inputs.
  std::string type, id;
  long long snapshot = 0, since = 0, at = 0, limit = 0, offset = 0;
  // Outputs of `page`, one row per fetch().
  std::string row_type, row_id, row_method, row_body;
  long long row_version = 0, row_last_updated = 0, total = 0;
  int row_deleted = 0;
  soci::statement count;
  soci::statement page;
};

// History shape bits.
inline constexpr int kHistoryType = 1;      // filter on res_type
inline constexpr int kHistoryInstance = 2;  // filter on res_id (with kHistoryType)
inline constexpr int kHistorySince = 4;
inline constexpr int kHistoryAt = 8;

struct PreparedStatements {
  PreparedStatements(soci::session& sql, Dialect dialect);
  ~PreparedStatements();

  // Makes a statement that returned a row release its read snapshot (SQLite keeps a stepped
  // statement's read transaction open until it is reset). No-op on PostgreSQL.
  void finish(soci::statement& statement) const;
  // Inserts the version row from the inputs and sets `seq` to its key.
  void insert_version_row();
  // Reads the current row of (type, id) without its body into cur_version..cur_method
  // (row-locked on PostgreSQL); false when there is none.
  bool lock_current_row();
  // Inserts the first version of (type, id), which has no current row: the version row (`seq`
  // set to its key) and the current row (rid = seq); false when a racing transaction created
  // the current row first (no exception; the caller rolls back). PostgreSQL: one statement,
  // which with `index` (the new version's index rows) also inserts those, and sets `*indexed`
  // (the caller then does not insert them again); SQLite ignores both.
  bool insert_first_version(const fhir::search::IndexValues* index = nullptr,
                            bool* indexed = nullptr);
  // Points the current row of (type, id) at the inputs' version.
  void update_current_row();
  // Reads the current row of (type, id) with its body into cur_*; false when there is none.
  // SQLite: through the C API (a point read is the hottest statement; sqlite_statement.h).
  bool read_current_row();

  // SQLite: false when no transaction is open (SQLite rolls one back by itself after some
  // errors, e.g. a full disk). Always true on PostgreSQL (errors there abort via exceptions).
  bool in_transaction() const;

  HistoryStatements& history(int shape);
  // The message archive's write statements (archive_rows.h), prepared on first use.
  detail::ArchiveStatements& archive();
  // The search index's write statements (search_index.h), prepared on first use.
  detail::IndexWriter& index();
  // The index rows the writer deferred (search_index.h): written (before the index is read, a
  // savepoint is set, or the transaction commits) or forgotten (before a rollback takes back
  // their writes). No-ops when nothing is deferred (always on PostgreSQL).
  void flush_index();
  // The deferred idx_token rows alone (all a token lookup reads).
  void flush_index_tokens();
  void discard_index();
  // The session's search statements (search_statements.h), kept by their text.
  detail::SearchStatements& searches();

  soci::session& sql;
  const Dialect dialect;

  // The tenant every statement of this session is bound to (core/tenant_scope.h), set by
  // statements_of() for each call that leases the session, and by the group commit for each
  // write of a batch: no statement runs without it (docs/tenancy.md).
  std::string tenant;
  // Inputs of the resource statements.
  std::string type, id, method, body;
  long long version = 0, last_updated = 0;
  int deleted = 0;
  long long seq = 0;  // the version row just inserted (insert_version_row)
  // Outputs of the current-row and version lookups.
  long long cur_version = 0, cur_last_updated = 0, max_seq = 0;
  int cur_deleted = 0;
  std::string cur_method, cur_body;

  soci::statement begin_write, commit, rollback;
  // One write inside a group commit (SQLite): isolates it from the others in the transaction.
  soci::statement savepoint, release_savepoint, rollback_to_savepoint;
  soci::statement read_current;  // PostgreSQL only (prepared there): read_current_row()
  // lock_current, insert_current, update_current and insert_version: PostgreSQL only (prepared
  // there); SQLite runs the same texts through the C API (lock_current_row() and the others).
  soci::statement lock_current;  // (type, id) -> cur_* without body; row-locked on PostgreSQL
  soci::statement read_version;  // (type, id, version) -> cur_last_updated..cur_body
  // PostgreSQL: the version row and the current row in one statement, (type, id, version,
  // last_updated, deleted, method, body) -> seq; no row back when a racing transaction created
  // the current row first, so the race costs no exception. SQLite: the current row alone.
  soci::statement insert_current;
  soci::statement update_current;  // (version, last_updated, deleted, method, seq, type, id)
  // (type, id, version, last_updated, deleted, method, body) -> seq. Run through
  // insert_version_row(). SQLite: without RETURNING (detail::last_insert_rowid says why).
  soci::statement insert_version;
  soci::statement read_max_seq;  // -> max_seq

 private:
  soci::statement& insert_current_indexed();
  // PostgreSQL: a version row's values, then the seq it got (insert_current, its indexed form
  // and insert_version).
  void bind_version_row(soci::statement& st);
  // SQLite: binds ?1..?7 to tenant, type, id, version, last_updated, deleted, method (the
  // leading columns of both the version insert and the current-row insert).
  void bind_version_columns(detail::SqliteStatement& st) const;
  // SQLite only: the statements of every write through the C API (sqlite_statement.h says why).
  std::unique_ptr<detail::SqliteStatement> read_current_sqlite_, lock_current_sqlite_,
      insert_current_sqlite_, update_current_sqlite_, insert_version_sqlite_;
  std::map<int, std::unique_ptr<HistoryStatements>> history_;
  std::unique_ptr<detail::ArchiveStatements> archive_;
  std::unique_ptr<detail::IndexWriter> index_;
  // PostgreSQL: insert_current with the index writer's inserts (insert_first_version), prepared
  // on first use.
  std::unique_ptr<soci::statement> insert_current_indexed_;
  std::unique_ptr<detail::SearchStatements> searches_;
};

// The session's statements, prepared on its first use, bound to `tenant` for this call.
PreparedStatements& statements_of(PooledSession& session, Dialect dialect, std::string_view tenant);

}  // namespace hearth::storage
