// PhoneticIndexWriter: INSERT OR IGNORE per entry on SQLite, one unnest() statement on
// PostgreSQL.
#include "storage/sql/phonetic_index.h"

#include "storage/sql/pg_array.h"
#include "storage/sql/prepare_statement.h"

namespace hearth::storage::detail {

PhoneticIndexWriter::PhoneticIndexWriter(soci::session& sql, Dialect dialect)
    : sql_(sql), dialect_(dialect) {}

PhoneticIndexWriter::~PhoneticIndexWriter() = default;

void PhoneticIndexWriter::insert(const std::vector<fhir::search::PhoneticName>& names) {
  if (names.empty()) return;
  if (dialect_ == Dialect::kSqlite) {
    if (!sqlite_insert_) {
      sqlite_insert_ = std::make_unique<SqliteStatement>(
          sql_, "INSERT OR IGNORE INTO phonetic_name (sound, folded) VALUES (?1, ?2)");
    }
    for (const fhir::search::PhoneticName& n : names) {
      sqlite_insert_->bind(1, std::string_view(n.key));
      sqlite_insert_->bind(2, std::string_view(n.folded));
      sqlite_insert_->step();
    }
    return;
  }
  if (!insert_) {
    insert_ = std::make_unique<soci::statement>(sql_);
    insert_->exchange(soci::use(sounds_));
    insert_->exchange(soci::use(folded_));
    prepare_statement(*insert_,
                      "INSERT INTO phonetic_name (sound, folded) SELECT DISTINCT u.s, u.f FROM"
                      " unnest(CAST(:p1 AS TEXT[]), CAST(:p2 AS TEXT[])) AS u (s, f)"
                      " ON CONFLICT DO NOTHING");
  }
  sounds_.assign("{");
  folded_.assign("{");
  for (const fhir::search::PhoneticName& n : names) {
    append_text_element(sounds_, n.key);
    append_text_element(folded_, n.folded);
  }
  sounds_.push_back('}');
  folded_.push_back('}');
  insert_->execute(true);
}

}  // namespace hearth::storage::detail
