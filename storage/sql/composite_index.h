// Internal to storage/: the composite search index (idx_composite, schema 13), written beside
// the other index tables by IndexWriter (storage/sql/search_index.h) in the same transaction.
// A row holds one value of one component of one element a composite parameter selects
// (fhir/search/index_values.h, CompositeIndex): (rid, pid, grp, comp) then the columns of the
// component's type, named as in that type's own table (system, code, text; folded, exact; low,
// high; value; target_type, target_id, url) so the search compiler matches them alike; columns
// of other types hold '' or 0.
//
// Errors: SOCI exceptions propagate (callers translate them). Thread-safety: none beyond the
// session's.
#pragma once

#include <soci/soci.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/search/index_values.h"
#include "storage/sql/multi_row_insert.h"
#include "storage/sql/sqlite_statement.h"
#include "storage/sql/text_arena.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// The table's statements for one session, prepared on first use (a store that never holds a
// composite value prepares nothing but the delete).
class CompositeIndexWriter {
 public:
  // `tenant`: the owner's (IndexWriter), read at each PostgreSQL statement. `text`: where
  // SQLite's deferred rows keep their text (the owner's, cleared by the owner after discard()).
  CompositeIndexWriter(soci::session& sql, Dialect dialect, const std::string& tenant,
                       TextArena& text);
  ~CompositeIndexWriter();

  // Deletes the rows of the resource: by `rid` on SQLite, by (type, id) on PostgreSQL (which
  // finds the key inside the statement, as IndexWriter does). Nothing for a type without
  // composite parameters.
  void remove(const std::string& type, const std::string& id, std::int64_t rid);
  // SQLite: defers `rows` for the resource `rid` until flush(), as IndexWriter defers its own
  // (search_index.h); the owner calls flush() and discard() with its own. `pid_of` gives a
  // parameter code's id.
  void insert(std::int64_t rid, const std::vector<fhir::search::CompositeIndex>& rows,
              const std::function<long long(std::string_view)>& pid_of);

  // PostgreSQL: the rows go in with the owner's one statement per resource (IndexWriter), as a
  // data-modifying CTE over this writer's array literals. pg_insert_sql is that CTE's INSERT
  // (its resource key from the statement's `r`, its placeholders numbered from `next`, which it
  // advances); pg_bind binds the arrays to the owner's statement in the same order, once;
  // pg_fill sets them to `rows` before each execute and says whether any row is there.
  static std::string pg_insert_sql(int& next);
  void pg_bind(soci::statement& st);
  bool pg_fill(const std::vector<fhir::search::CompositeIndex>& rows,
               const std::function<long long(std::string_view)>& pid_of);
  // SQLite: writes the deferred rows. Throws like insert().
  void flush();
  // SQLite: forgets the deferred rows, unwritten.
  void discard() { deferred_.clear(); }

 private:
  soci::session& sql_;
  const Dialect dialect_;
  const std::string& tenant_;
  std::unique_ptr<SqliteStatement> sqlite_delete_;
  std::unique_ptr<MultiRowInsert> sqlite_insert_;  // SQLite: made on first use
  // SQLite: the rows insert() deferred, their text in `text_arena_`.
  struct Deferred {
    std::int64_t rid, pid, group, component;
    std::string_view system, code, text, folded, exact;
    std::int64_t low, high;
    double value;
    std::string_view target_type, target_id, url;
  };
  std::vector<Deferred> deferred_;
  TextArena& text_arena_;
  // PostgreSQL: the delete's bound key, and the columns' array literals (pg_bind's order).
  std::string type_, id_;
  std::array<std::string, 14> arrays_;
  std::unique_ptr<soci::statement> delete_;
};

}  // namespace hearth::storage::detail
