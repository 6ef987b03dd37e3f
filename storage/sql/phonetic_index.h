// Internal to storage/: the dictionary of sound-alike keys (phonetic_name, schema 14) that
// phonetic searches read (fhir/search/phonetic.h): (sound, folded) for each name part a written
// resource holds, added by IndexWriter in the resource's write transaction. Entries are never
// removed: one whose name no resource holds any more finds no row, so it only costs its space.
// A resource writes nothing new when its names are already known (SQLite: a key probe per
// entry, no page written; PostgreSQL: one statement with ON CONFLICT DO NOTHING).
//
// Errors: SOCI exceptions propagate (callers translate them). Thread-safety: none beyond the
// session's.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "fhir/search/index_values.h"
#include "storage/sql/sqlite_statement.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

class PhoneticIndexWriter {
 public:
  PhoneticIndexWriter(soci::session& sql, Dialect dialect);
  ~PhoneticIndexWriter();

  // Adds the entries not there yet; prepares its statement on first use.
  void insert(const std::vector<fhir::search::PhoneticName>& names);

 private:
  soci::session& sql_;
  const Dialect dialect_;
  std::unique_ptr<SqliteStatement> sqlite_insert_;
  std::string sounds_, folded_;  // PostgreSQL: the array literals bound to insert_
  std::unique_ptr<soci::statement> insert_;
};

}  // namespace hearth::storage::detail
