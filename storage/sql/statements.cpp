// Statement text and binding. Placeholders are named :p1, :p2, ... in order and bound
// positionally: SOCI rewrites them to $n for PostgreSQL, and distinct names keep SQLite from
// merging repeated ones.
#include "storage/sql/statements.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "storage/sql/archive_rows.h"
#include "storage/sql/prepare_statement.h"
#include "storage/sql/search_index.h"
#include "storage/sql/search_statements.h"
#include "storage/sql/sqlite_statement.h"

namespace hearth::storage {
namespace {

using soci::into;
using soci::use;

constexpr SqlDialect kSqlite{"BEGIN IMMEDIATE", ""};
constexpr SqlDialect kPostgresql{"BEGIN", " FOR UPDATE"};

constexpr const char* kVersionColumns =
    "res_type, res_id, version, last_updated, deleted, method, body";

// The current row of (type, id), with its body.
constexpr const char* kReadCurrent =
    "SELECT r.version, r.last_updated, r.deleted, r.method, v.body FROM resource r"
    " JOIN resource_version v ON v.seq = r.seq"
    " WHERE r.tenant = :p1 AND r.res_type = :p2 AND r.res_id = :p3";

// The resource-row statements of a write, one text for both engines (SQLite's C API binds the
// named placeholders by their order, :p1 first). kLockCurrent takes the dialect's lock suffix.
constexpr const char* kLockCurrent =
    "SELECT version, last_updated, deleted, method FROM resource"
    " WHERE tenant = :p1 AND res_type = :p2 AND res_id = :p3";
// rid, the resource's key in the search index, is the seq of the version that created it and
// never changes (search_index.h).
constexpr const char* kInsertCurrent =
    "INSERT INTO resource (tenant, res_type, res_id, version, last_updated, deleted, method, seq,"
    " rid) VALUES (:p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8, :p9)"
    " ON CONFLICT (tenant, res_type, res_id) DO NOTHING";
// PostgreSQL: kInsertVersion, then the current row pointing at it, as the CTE `r (rid)` (rid =
// seq; empty when a racing transaction's current row came first), in one round trip. The plain
// statement ends with " SELECT rid FROM r"; insert_current_indexed puts the index rows' inserts,
// which read their key from `r`, before that.
constexpr const char* kInsertFirstVersion =
    "WITH v AS (INSERT INTO resource_version (tenant, res_type, res_id, version, last_updated,"
    " deleted, method, body) VALUES (:p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8) RETURNING seq,"
    " tenant, res_type, res_id, version, last_updated, deleted, method),"
    " r AS (INSERT INTO resource (tenant, res_type, res_id, version, last_updated, deleted,"
    " method, seq, rid) SELECT tenant, res_type, res_id, version, last_updated, deleted, method,"
    " seq, seq FROM v ON CONFLICT (tenant, res_type, res_id) DO NOTHING RETURNING rid)";
constexpr const char* kFromFirstVersion = " SELECT rid FROM r";
constexpr const char* kUpdateCurrent =
    "UPDATE resource SET version = :p1, last_updated = :p2, deleted = :p3, method = :p4,"
    " seq = :p5 WHERE tenant = :p6 AND res_type = :p7 AND res_id = :p8";
constexpr const char* kInsertVersion =
    "INSERT INTO resource_version (tenant, res_type, res_id, version, last_updated, deleted,"
    " method, body) VALUES (:p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8)";

// Builds the WHERE clause of a history shape and binds its parameters in placeholder order.
class Where {
 public:
  Where(soci::statement& st, HistoryStatements& h, int shape, const std::string& tenant) : st_(st) {
    add("v.tenant = ", tenant);
    add("v.seq <= ", h.snapshot);
    if (shape & kHistoryType) add("v.res_type = ", h.type);
    if (shape & kHistoryInstance) add("v.res_id = ", h.id);
    if (shape & kHistorySince) add("v.last_updated >= ", h.since);
    if (shape & kHistoryAt) {
      // The version current at `at`: the newest one stamped at or before it.
      add("v.last_updated <= ", h.at);
      text_ +=
          " AND v.version = (SELECT MAX(w.version) FROM resource_version w"
          " WHERE w.tenant = v.tenant AND w.res_type = v.res_type AND w.res_id = v.res_id";
      add_raw(" AND w.seq <= ", h.snapshot);
      add_raw(" AND w.last_updated <= ", h.at);
      text_ += ")";
    }
  }
  template <typename T>
  void bind_more(std::string_view sql, T& value) {
    text_ += sql;
    placeholder(value);
  }
  const std::string& text() const { return text_; }

 private:
  template <typename T>
  void add(std::string_view condition, const T& value) {
    text_ += text_.empty() ? " WHERE " : " AND ";
    text_ += condition;
    placeholder(value);
  }
  template <typename T>
  void add_raw(std::string_view condition, T& value) {
    text_ += condition;
    placeholder(value);
  }
  template <typename T>
  void placeholder(const T& value) {
    text_ += ":p" + std::to_string(++count_);
    st_.exchange(use(value));
  }

  soci::statement& st_;
  std::string text_;
  int count_ = 0;
};

}  // namespace

const SqlDialect& sql_dialect(Dialect dialect) {
  return dialect == Dialect::kSqlite ? kSqlite : kPostgresql;
}

HistoryStatements::HistoryStatements(soci::session& sql, Dialect, int shape,
                                     const std::string& tenant)
    : count(sql), page(sql) {
  {
    count.exchange(into(total));
    Where where(count, *this, shape, tenant);
    detail::prepare_statement(count, "SELECT COUNT(*) FROM resource_version v" + where.text());
  }
  page.exchange(into(row_type));
  page.exchange(into(row_id));
  page.exchange(into(row_version));
  page.exchange(into(row_last_updated));
  page.exchange(into(row_deleted));
  page.exchange(into(row_method));
  page.exchange(into(row_body));
  Where where(page, *this, shape, tenant);
  where.bind_more(" ORDER BY v.seq DESC LIMIT ", limit);
  where.bind_more(" OFFSET ", offset);
  detail::prepare_statement(
      page, std::string("SELECT ") + kVersionColumns + " FROM resource_version v" + where.text());
}

PreparedStatements::PreparedStatements(soci::session& session, Dialect d)
    : sql(session),
      dialect(d),
      begin_write(sql.prepare << sql_dialect(d).begin_write),
      commit(sql.prepare << "COMMIT"),
      rollback(sql.prepare << "ROLLBACK"),
      savepoint(sql.prepare << "SAVEPOINT one_write"),
      release_savepoint(sql.prepare << "RELEASE one_write"),
      rollback_to_savepoint(sql.prepare << "ROLLBACK TO one_write"),
      read_current(sql),
      lock_current(sql),
      read_version((sql.prepare << "SELECT last_updated, deleted, method, body"
                                   " FROM resource_version WHERE tenant = :p1"
                                   " AND res_type = :p2 AND res_id = :p3 AND version = :p4",
                    use(tenant), use(type), use(id), use(version), into(cur_last_updated),
                    into(cur_deleted), into(cur_method), into(cur_body))),
      insert_current(sql),
      update_current(sql),
      insert_version(sql),
      read_max_seq(
          (sql.prepare << "SELECT COALESCE(MAX(seq), 0) FROM resource_version", into(max_seq))) {
  // The point read and the resource rows of a write: SQLite's through the C API
  // (read_current_row() and the others), so SOCI's are prepared only for PostgreSQL.
  if (d == Dialect::kSqlite) {
    read_current_sqlite_ = std::make_unique<detail::SqliteStatement>(sql, kReadCurrent);
    lock_current_sqlite_ = std::make_unique<detail::SqliteStatement>(sql, kLockCurrent);
    insert_current_sqlite_ = std::make_unique<detail::SqliteStatement>(sql, kInsertCurrent);
    update_current_sqlite_ = std::make_unique<detail::SqliteStatement>(sql, kUpdateCurrent);
    insert_version_sqlite_ = std::make_unique<detail::SqliteStatement>(sql, kInsertVersion);
    return;
  }
  for (auto* in : {&tenant, &type, &id}) lock_current.exchange(use(*in));
  lock_current.exchange(into(cur_version));
  lock_current.exchange(into(cur_last_updated));
  lock_current.exchange(into(cur_deleted));
  lock_current.exchange(into(cur_method));
  detail::prepare_statement(lock_current, std::string(kLockCurrent) + sql_dialect(d).lock_suffix);
  bind_version_row(insert_current);
  detail::prepare_statement(insert_current, std::string(kInsertFirstVersion) + kFromFirstVersion);
  update_current.exchange(use(version));
  update_current.exchange(use(last_updated));
  update_current.exchange(use(deleted));
  update_current.exchange(use(method));
  update_current.exchange(use(seq));
  for (auto* in : {&tenant, &type, &id}) update_current.exchange(use(*in));
  detail::prepare_statement(update_current, kUpdateCurrent);
  bind_version_row(insert_version);
  detail::prepare_statement(insert_version, std::string(kInsertVersion) + " RETURNING seq");
  for (auto* in : {&tenant, &type, &id}) read_current.exchange(use(*in));
  read_current.exchange(into(cur_version));
  read_current.exchange(into(cur_last_updated));
  read_current.exchange(into(cur_deleted));
  read_current.exchange(into(cur_method));
  read_current.exchange(into(cur_body));
  detail::prepare_statement(read_current, kReadCurrent);
}

void PreparedStatements::bind_version_columns(detail::SqliteStatement& st) const {
  st.bind(1, std::string_view(tenant));
  st.bind(2, std::string_view(type));
  st.bind(3, std::string_view(id));
  st.bind(4, static_cast<std::int64_t>(version));
  st.bind(5, static_cast<std::int64_t>(last_updated));
  st.bind(6, static_cast<std::int64_t>(deleted));
  st.bind(7, std::string_view(method));
}

void PreparedStatements::insert_version_row() {
  if (dialect != Dialect::kSqlite) {
    insert_version.execute(true);  // RETURNING fills `seq`
    return;
  }
  detail::SqliteStatement& st = *insert_version_sqlite_;
  bind_version_columns(st);
  st.bind(8, std::string_view(body));
  st.step();
  seq = detail::last_insert_rowid(sql);
}

bool PreparedStatements::lock_current_row() {
  if (dialect != Dialect::kSqlite) {
    lock_current.execute(true);
    return lock_current.got_data();
  }
  detail::SqliteStatement& st = *lock_current_sqlite_;
  st.bind(1, std::string_view(tenant));
  st.bind(2, std::string_view(type));
  st.bind(3, std::string_view(id));
  return st.step_row([this](const detail::SqliteStatement::Row& row) {
    cur_version = row.integer(0);
    cur_last_updated = row.integer(1);
    cur_deleted = static_cast<int>(row.integer(2));
    cur_method.assign(row.text(3));
  });
}

bool PreparedStatements::insert_first_version(const fhir::search::IndexValues* index,
                                              bool* indexed) {
  if (dialect != Dialect::kSqlite) {
    if (index != nullptr && indexed != nullptr && this->index().pg_fill(type, id, *index)) {
      *indexed = true;
      soci::statement& st = insert_current_indexed();
      st.execute(true);  // the current row's rid (= seq) into `seq`
      return st.got_data();
    }
    insert_current.execute(true);  // RETURNING fills `seq`
    return insert_current.got_data();
  }
  insert_version_row();
  detail::SqliteStatement& st = *insert_current_sqlite_;
  bind_version_columns(st);
  st.bind(8, static_cast<std::int64_t>(seq));
  st.bind(9, static_cast<std::int64_t>(seq));
  st.step();
  return detail::last_changes(sql) != 0;
}

void PreparedStatements::update_current_row() {
  if (dialect != Dialect::kSqlite) {
    update_current.execute(true);
    return;
  }
  detail::SqliteStatement& st = *update_current_sqlite_;
  st.bind(1, static_cast<std::int64_t>(version));
  st.bind(2, static_cast<std::int64_t>(last_updated));
  st.bind(3, static_cast<std::int64_t>(deleted));
  st.bind(4, std::string_view(method));
  st.bind(5, static_cast<std::int64_t>(seq));
  st.bind(6, std::string_view(tenant));
  st.bind(7, std::string_view(type));
  st.bind(8, std::string_view(id));
  st.step();
}

bool PreparedStatements::read_current_row() {
  if (dialect != Dialect::kSqlite) {
    read_current.execute(true);
    return read_current.got_data();  // PostgreSQL holds no snapshot: nothing to finish
  }
  read_current_sqlite_->bind(1, std::string_view(tenant));
  read_current_sqlite_->bind(2, std::string_view(type));
  read_current_sqlite_->bind(3, std::string_view(id));
  return read_current_sqlite_->step_row([this](const detail::SqliteStatement::Row& row) {
    cur_version = row.integer(0);
    cur_last_updated = row.integer(1);
    cur_deleted = static_cast<int>(row.integer(2));
    cur_method.assign(row.text(3));
    cur_body.assign(row.text(4));
  });
}

void PreparedStatements::finish(soci::statement& statement) const {
  if (dialect != Dialect::kSqlite) return;
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
  if (backend != nullptr && backend->stmt_ != nullptr) {
    sqlite_api::sqlite3_reset(backend->stmt_);
  }
}

PreparedStatements::~PreparedStatements() = default;

bool PreparedStatements::in_transaction() const {
  if (dialect != Dialect::kSqlite) return true;
  return sqlite_api::sqlite3_get_autocommit(detail::sqlite_connection(sql)) == 0;
}

detail::ArchiveStatements& PreparedStatements::archive() {
  if (!archive_) archive_ = std::make_unique<detail::ArchiveStatements>(sql, dialect, tenant);
  return *archive_;
}

// PostgreSQL: insert_current with the index writer's inserts as CTEs after `r`, whose rid they
// read (a racing transaction's row leaves `r` empty, and them with nothing to insert).
soci::statement& PreparedStatements::insert_current_indexed() {
  if (insert_current_indexed_) return *insert_current_indexed_;
  auto st = std::make_unique<soci::statement>(sql);
  bind_version_row(*st);
  int next = 9;
  const std::vector<std::string> inserts = index().pg_bind_inserts(*st, next);
  detail::prepare_statement(
      *st, kInsertFirstVersion + detail::IndexWriter::as_ctes(inserts) + kFromFirstVersion);
  insert_current_indexed_ = std::move(st);
  return *insert_current_indexed_;
}

void PreparedStatements::bind_version_row(soci::statement& st) {
  for (auto* in : {&tenant, &type, &id}) st.exchange(use(*in));
  st.exchange(use(version));
  st.exchange(use(last_updated));
  st.exchange(use(deleted));
  st.exchange(use(method));
  st.exchange(use(body));
  st.exchange(into(seq));
}

detail::IndexWriter& PreparedStatements::index() {
  if (!index_) index_ = std::make_unique<detail::IndexWriter>(sql, dialect, tenant);
  return *index_;
}

void PreparedStatements::flush_index() {
  if (index_) index_->flush();
}

void PreparedStatements::flush_index_tokens() {
  if (index_) index_->flush_tokens();
}

void PreparedStatements::discard_index() {
  if (index_) index_->discard();
}

detail::SearchStatements& PreparedStatements::searches() {
  if (!searches_) searches_ = std::make_unique<detail::SearchStatements>(sql, dialect);
  return *searches_;
}

HistoryStatements& PreparedStatements::history(int shape) {
  std::unique_ptr<HistoryStatements>& slot = history_[shape];
  if (!slot) slot = std::make_unique<HistoryStatements>(sql, dialect, shape, tenant);
  return *slot;
}

PreparedStatements& statements_of(PooledSession& session, Dialect dialect,
                                  std::string_view tenant) {
  if (!session.statements) {
    session.statements = std::make_unique<PreparedStatements>(*session.sql, dialect);
  }
  session.statements->tenant.assign(tenant);
  return *session.statements;
}

}  // namespace hearth::storage
