// Internal to storage/: the full-text table of _text and _content (fhir/search/full_text.h), one
// row per resource holding its narrative's words and its content's words, written by IndexWriter
// in the resource's write transaction (schema 15, docs/search.md#full-text).
//
// SQLite: `idx_text`, an FTS5 table (detail=column: column filters, no positions) whose rowid is
// the resource's key. PostgreSQL: `idx_text (rid, narrative tsvector, content tsvector)`, each
// column under a GIN index, built by to_tsvector('simple', ...): the words come folded already,
// so no dictionary or stemming is wanted. A resource without a word has no row.
//
// Errors: SOCI exceptions propagate (callers translate them). Thread-safety: none beyond the
// session's.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <string>

#include "fhir/search/full_text.h"
#include "storage/sql/sqlite_statement.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

class TextIndexWriter {
 public:
  TextIndexWriter(soci::session& sql, Dialect dialect);
  ~TextIndexWriter();

  // Deletes the row of the resource (SQLite: key `rid`; PostgreSQL: found by type and id).
  void remove(const std::string& type, const std::string& id, std::int64_t rid);
  // Writes the row of the resource, whose older row is gone; nothing when `text` has no word.
  void insert(const std::string& type, const std::string& id, std::int64_t rid,
              const fhir::search::FullText& text);

 private:
  soci::session& sql_;
  const Dialect dialect_;
  std::unique_ptr<SqliteStatement> sqlite_delete_, sqlite_insert_;
  // PostgreSQL: bound to delete_ and insert_.
  std::string type_, id_, narrative_, content_;
  std::unique_ptr<soci::statement> delete_, insert_;
};

}  // namespace hearth::storage::detail
