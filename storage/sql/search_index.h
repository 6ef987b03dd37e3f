// Internal to storage/: writing a resource's search-index rows (fhir/search/index_values.h) into
// the idx_* tables, inside the write transaction of the resource itself, and rebuilding the
// whole index (after a migration that changes it).
//
// Keys (schema 7, docs/storage.md): an index row names its resource by `rid` (resource.rid, a
// stable integer per resource) and its parameter by `pid`, the id of (resource type, code) in
// the `search_param` table, which sync_search_params fills at every migration, so every
// parameter this binary indexes has an id before anything is written. A row of an umbrella
// parameter that one of its parts also holds is not stored: callers drop it before the write
// transaction (fhir::search::drop_rows_held_by_parts), and the search compiler reads the parts'
// rows for the umbrella. Rows passed anyway are stored: redundant, never wrong.
//
// An idx_reference row whose url would only repeat its type and id ("Patient/123") stores ''
// as its url: the url is part of the row's key, so it sat in the table and in both its indexes,
// a fifth of the index bytes an HL7 result message wrote. Rows written by earlier versions keep
// the url; the one reader of the column as a value, a sort by a reference parameter
// (search_compiler.cpp), reads both alike, and matches by url only look for absolute URLs,
// canonicals and fragments, which are never elided.
//
// Errors: SOCI exceptions propagate (callers translate them); a parameter without an id (the
// table was emptied behind the store's back) is a std::runtime_error. Thread-safety: none beyond
// the session's.
#pragma once

#include <soci/soci.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fhir/search/index_values.h"
#include "storage/sql/composite_index.h"
#include "storage/sql/date_shape.h"
#include "storage/sql/multi_row_insert.h"
#include "storage/sql/phonetic_index.h"
#include "storage/sql/sqlite_statement.h"
#include "storage/sql/text_arena.h"
#include "storage/sql/text_index.h"
#include "storage/sql/token_date_index.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// The index's write statements for one session, prepared once. SQLite (in-process) inserts a
// resource's rows of one table with one statement of that many VALUES rows (up to 32;
// multi_row_insert.h), bound through SQLite's C API; PostgreSQL, where each execute is a network
// round trip, inserts a resource's rows of every table, idx_composite's and its full-text row
// included, with one statement, the columns bound as arrays and expanded by unnest().
class IndexWriter {
 public:
  struct Row;  // one row's values, whichever table it goes to

  // `tenant`: the tenant of every row written, read at each call (the owner's string, which
  // outlives the writer: PreparedStatements::tenant). Its parameter ids are its own
  // (search_param's tenant): a tenant's first index row gives it a copy of tenant "" 's.
  IndexWriter(soci::session& sql, Dialect dialect, const std::string& tenant);
  ~IndexWriter();

  // Deletes every index row of (type, id).
  void remove(const std::string& type, const std::string& id);
  // Inserts `values` as the rows of (type, id), whose resource row is already written; the
  // caller removed older rows first. `rid`: the resource's key when the caller knows it (a
  // resource created in this transaction: the seq of its first version), which saves a lookup.
  //
  // SQLite defers the rows (copied: `values` need not outlive the call) of the seven value
  // tables and, through their writers, of idx_composite, idx_token_date and idx_text_pending,
  // until flush(), which writes each table's deferred rows in a few statements: the rows of a
  // message's 20 resources written resource by resource cost about twice the SQLite CPU of the
  // same rows written table by table (bench/README.md, "Index rows by table"). So the session's
  // owner calls flush() before anything reads the index tables (the search, include and token
  // lookup runners do it themselves; remove() too), before a SAVEPOINT (a rollback to it must
  // keep what came before), and before COMMIT; and discard() before a ROLLBACK (TO), which
  // takes back the writes the rows deferred since belong to.
  void insert(const std::string& type, const std::string& id,
              const fhir::search::IndexValues& values, std::optional<std::int64_t> rid = {});
  // PostgreSQL: the index rows of a resource written by another statement than insert()'s (a
  // new resource's, with its resource row: PreparedStatements::insert_first_version).
  // pg_bind_inserts binds this writer's arrays to `st` and returns the INSERT of each table, in
  // binding order, each reading the resource's key from a relation `r (rid)` the statement
  // defines, with placeholders numbered from `next`, which it advances. pg_fill sets the arrays
  // to `values` (the rows of (type, id)) before each execute; false when there is no row.
  std::vector<std::string> pg_bind_inserts(soci::statement& st, int& next);
  // ", i0 AS (<inserts[0]>), i1 AS (...)": pg_bind_inserts' inserts as the data-modifying CTEs
  // that follow a statement's first one.
  static std::string as_ctes(std::span<const std::string> inserts);
  bool pg_fill(const std::string& type, const std::string& id,
               const fhir::search::IndexValues& values);
  // SQLite: moves the full-text rows still pending into the FTS5 index (text_index.h).
  void drain_text() { text_.drain(); }
  // SQLite: writes the rows insert() deferred (below). Throws like insert(). No-op on
  // PostgreSQL, and when nothing is deferred.
  void flush();
  // SQLite: writes the deferred idx_token rows alone (all a token lookup reads).
  void flush_tokens();
  // SQLite: forgets the deferred rows, unwritten: their transaction or savepoint is being
  // rolled back.
  void discard();

 private:
  template <typename Rows, typename Fill>
  void insert_rows(int table, const Rows& rows, Fill&& fill);
  // Every value table's rows of `values` (of type_ at rid_): deferred on SQLite, into the
  // arrays on PostgreSQL.
  void fill_rows(const fhir::search::IndexValues& values);
  // The id of parameter `code` of type_ in the tenant (loads the table on a miss, once; gives
  // the tenant its ids on its first row).
  long long pid_of(std::string_view code);
  // Copies tenant "" 's parameters the tenant lacks into search_param under new ids.
  void add_tenant_params();
  // Sets rid_ to the resource's key (`known` if given); false when (type, id) has no resource
  // row.
  bool find_rid(const std::string& type, const std::string& id,
                std::optional<std::int64_t> known = {});
  void load_params();

  soci::session& sql_;
  const Dialect dialect_;
  const std::string& tenant_;
  std::string type_, id_;
  std::int64_t rid_ = 0;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using CodeIds = std::unordered_map<std::string, long long, TextHash, std::equal_to<>>;
  // pids by tenant and type (pids_key), then code (the session's copy of search_param).
  std::unordered_map<std::string, CodeIds> pids_;
  const CodeIds* type_pids_ = nullptr;
  // SQLite: statements through the C API (sqlite_statement.h), in kTables order; the inserts of
  // table t at sqlite_inserts_[t] (multi_row_insert.h).
  std::unique_ptr<SqliteStatement> rid_lookup_;
  std::vector<std::unique_ptr<SqliteStatement>> sqlite_deletes_;
  std::vector<std::unique_ptr<MultiRowInsert>> sqlite_inserts_;
  // SQLite: the rows insert() deferred, by table (kTables order), their text in `deferred_text_`.
  struct Deferred;  // one row: its rid, its pid and its values
  void write_deferred(std::size_t table);
  std::array<std::vector<Deferred>, 7> deferred_;
  TextArena deferred_text_;    // the text of every deferred row, composite rows' too
  bool any_deferred_ = false;  // insert() ran on SQLite since the last discard()
  // PostgreSQL: the deletes in kTables order; one insert for every table (prepare_pg_insert),
  // bound to each table's array literals: its pids, then its value columns in order.
  struct PgArrays {
    std::string pid;
    std::vector<std::string> cols;
  };
  void prepare_pg_insert();
  std::vector<std::unique_ptr<soci::statement>> deletes_;
  std::array<PgArrays, 7> pg_arrays_;  // kTables order
  std::unique_ptr<soci::statement> pg_insert_;
  bool pg_rows_ = false;  // a table's arrays hold a row
  // idx_composite, in its own file (composite_index.h).
  CompositeIndexWriter composite_;
  // phonetic_name, in its own file (phonetic_index.h).
  PhoneticIndexWriter phonetic_;
  // idx_text, the full-text table (text_index.h).
  TextIndexWriter text_;
  // SQLite: search_param's date columns (date_shape.h).
  std::unique_ptr<DateShapeWriter> date_shape_;
  // SQLite: idx_token_date (token_date_index.h).
  std::unique_ptr<TokenDateIndexWriter> token_dates_;
};

// Gives every (resource type, code) that extract_index produces a row in `search_param` in
// tenant "" and in every tenant that has rows there, with ids after the largest one in use (ids
// already given never change). Runs in the caller's transaction (the migration's, which
// serialises concurrent callers).
void sync_search_params(soci::session& sql);

// Rebuilds the index of every current (not deleted) resource of every tenant: deletes all idx_*
// rows, then parses each stored body and inserts its values (full-text rows included). Runs in the
// caller's transaction. Returns the number of resources indexed.
long long reindex_all(soci::session& sql, Dialect dialect);

}  // namespace hearth::storage::detail
