// TextIndexWriter: one statement per write on either engine.
#include "storage/sql/text_index.h"

namespace hearth::storage::detail {
namespace {

constexpr const char* kRidOf = "(SELECT rid FROM resource WHERE res_type = :p1 AND res_id = :p2)";

std::unique_ptr<soci::statement> prepared(soci::session& sql, const std::string& text,
                                          std::initializer_list<std::string*> bound) {
  auto st = std::make_unique<soci::statement>(sql);
  for (std::string* value : bound) st->exchange(soci::use(*value));
  st->alloc();
  st->prepare(text);
  st->define_and_bind();
  return st;
}

}  // namespace

TextIndexWriter::TextIndexWriter(soci::session& sql, Dialect dialect)
    : sql_(sql), dialect_(dialect) {}

TextIndexWriter::~TextIndexWriter() = default;

void TextIndexWriter::remove(const std::string& type, const std::string& id, std::int64_t rid) {
  if (dialect_ == Dialect::kSqlite) {
    if (!sqlite_delete_) {
      sqlite_delete_ =
          std::make_unique<SqliteStatement>(sql_, "DELETE FROM idx_text WHERE rowid = ?1");
    }
    sqlite_delete_->bind(1, rid);
    sqlite_delete_->step();
    return;
  }
  if (!delete_) {
    delete_ =
        prepared(sql_, std::string("DELETE FROM idx_text WHERE rid = ") + kRidOf, {&type_, &id_});
  }
  type_ = type;
  id_ = id;
  delete_->execute(true);
}

void TextIndexWriter::insert(const std::string& type, const std::string& id, std::int64_t rid,
                             const fhir::search::FullText& text) {
  if (text.narrative.empty() && text.content.empty()) return;
  if (dialect_ == Dialect::kSqlite) {
    if (!sqlite_insert_) {
      sqlite_insert_ = std::make_unique<SqliteStatement>(
          sql_, "INSERT INTO idx_text (rowid, narrative, content) VALUES (?1, ?2, ?3)");
    }
    sqlite_insert_->bind(1, rid);
    sqlite_insert_->bind(2, std::string_view(text.narrative));
    sqlite_insert_->bind(3, std::string_view(text.content));
    sqlite_insert_->step();
    return;
  }
  if (!insert_) {
    insert_ =
        prepared(sql_,
                 std::string("INSERT INTO idx_text (rid, narrative, content) SELECT ") + kRidOf +
                     ", to_tsvector('simple', CAST(:p3 AS TEXT)),"
                     " to_tsvector('simple', CAST(:p4 AS TEXT))",
                 {&type_, &id_, &narrative_, &content_});
  }
  type_ = type;
  id_ = id;
  narrative_ = text.narrative;
  content_ = text.content;
  insert_->execute(true);
}

}  // namespace hearth::storage::detail
