// Internal to storage/: the full-text rows of _text and _content (fhir/search/full_text.h), one
// per resource holding its narrative's words and its content's words, written by IndexWriter in
// the resource's write transaction (schema 15, docs/search.md#full-text).
//
// SQLite: one text per resource, its content's words and then its narrative's words each with
// a '_' before it (words hold no '_': full_text.h), so that one FTS5 index with detail=none (no
// columns, no positions: the cheapest FTS5 keeps) serves both parameters. A write puts the text
// in `idx_text_pending (rid, words)`, not in the FTS5 index: FTS5 writes a new segment of its
// index at every commit that touched it and merges segments as they pile up, which cost more
// than the rest of a create. Once a session has written kTextDrainRows pending rows, its next
// write moves every pending row to `idx_text_words (rid, words)` and into `idx_text`, the FTS5
// index over it (external content: the text is stored once), in one statement each, so a
// segment holds about a thousand resources (fewer, larger segments leave FTS5 less to merge:
// a drain every 256 rows cost 37% more of FTS5's work for ORU^R01s, bench/README.md). A search
// reads both: the FTS5 index, and the pending rows by their words (search_compiler.cpp). Moving
// rows is plain SQL inside the writing transaction, so a rollback takes it back with the rest; what
// the writer counts in memory only decides when to move. A row is pending or indexed, never both.
//
// PostgreSQL: `idx_text (rid, narrative tsvector, content tsvector)`, each column under a GIN
// index (whose own pending list batches the index work), built by to_tsvector('simple', ...): the
// words come folded already, so no dictionary or stemming is wanted. The row is written by the
// statement that writes the resource's other index rows (search_index.h).
//
// A resource without a word has no row. Errors: SOCI exceptions propagate (callers translate
// them). Thread-safety: none beyond the session's.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/search/full_text.h"
#include "storage/sql/multi_row_insert.h"
#include "storage/sql/sqlite_statement.h"
#include "storage/sql/text_arena.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// SQLite: pending rows a session writes before it moves them into the FTS5 index.
inline constexpr int kTextDrainRows = 1000;

// SQLite: the text of one row: `text.content`, then each word of `text.narrative` as "_word".
std::string sqlite_text_words(const fhir::search::FullText& text);

class TextIndexWriter {
 public:
  // `tenant`: the owner's (IndexWriter), read at each PostgreSQL statement. `text`: where
  // SQLite's deferred rows keep their words (the owner's, cleared by the owner after discard()).
  TextIndexWriter(soci::session& sql, Dialect dialect, const std::string& tenant, TextArena& text);
  ~TextIndexWriter();

  // Deletes the row of the resource (SQLite: key `rid`; PostgreSQL: found by type and id).
  void remove(const std::string& type, const std::string& id, std::int64_t rid);
  // SQLite: the row of the resource `rid`, whose older row is gone, deferred until flush(), as
  // IndexWriter defers its own rows (search_index.h); nothing when `text` has no word.
  void insert(std::int64_t rid, const fhir::search::FullText& text);

  // PostgreSQL: the row goes in with the owner's one statement per resource (IndexWriter), as
  // its last INSERT. pg_insert_sql is that INSERT (its resource key from the statement's `r`,
  // its placeholders numbered from `next`, which it advances); pg_bind binds its values to the
  // owner's statement in the same order, once; pg_fill sets them before each execute and says
  // whether `text` has a word (without one, the INSERT writes no row).
  static std::string pg_insert_sql(int& next);
  void pg_bind(soci::statement& st);
  bool pg_fill(const fhir::search::FullText& text);
  // SQLite: writes the deferred rows into idx_text_pending (and drains it once it holds
  // kTextDrainRows rows). No-op on PostgreSQL.
  void flush();
  // SQLite: forgets the deferred rows, unwritten.
  void discard() { deferred_.clear(); }
  // SQLite: moves every pending row into the FTS5 index now (the deferred ones first). No-op on
  // PostgreSQL.
  void drain();

 private:
  SqliteStatement& sqlite(std::unique_ptr<SqliteStatement>& st, const char* text);
  // SQLite: moves every row of idx_text_pending into idx_text_words and the FTS5 index.
  void move_pending();

  soci::session& sql_;
  const Dialect dialect_;
  const std::string& tenant_;
  // SQLite, prepared on first use.
  std::unique_ptr<SqliteStatement> delete_indexed_, delete_pending_, delete_words_, drain_words_,
      drain_index_, drain_clear_;
  struct Deferred {
    std::int64_t rid;
    std::string_view words;  // in text_
  };
  std::vector<Deferred> deferred_;  // SQLite: rows insert() deferred
  TextArena& text_;
  std::unique_ptr<MultiRowInsert> insert_pending_rows_;
  // Pending rows since this session last drained (-1: not counted yet; the first write counts
  // the rows already pending).
  int written_ = -1;
  // PostgreSQL: bound to delete_, and to the owner's insert (pg_bind).
  std::string type_, id_, narrative_, content_;
  int has_words_ = 0;
  std::unique_ptr<soci::statement> delete_;
};

}  // namespace hearth::storage::detail
