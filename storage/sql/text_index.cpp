// TextIndexWriter: on SQLite one pending row per write and a batched move into FTS5; on
// PostgreSQL the last INSERT of IndexWriter's statement per resource.
#include "storage/sql/text_index.h"

#include <algorithm>

#include "storage/sql/prepare_statement.h"

namespace hearth::storage::detail {
namespace {

constexpr const char* kRidOf =
    "(SELECT rid FROM resource WHERE tenant = :p0 AND res_type = :p1 AND res_id = :p2)";

// `tenant` is bound first: kRidOf opens every statement's placeholders.
std::unique_ptr<soci::statement> prepared(soci::session& sql, const std::string& text,
                                          const std::string& tenant,
                                          std::initializer_list<std::string*> bound) {
  auto st = std::make_unique<soci::statement>(sql);
  st->exchange(soci::use(tenant));
  for (std::string* value : bound) st->exchange(soci::use(*value));
  prepare_statement(*st, text);
  return st;
}

}  // namespace

TextIndexWriter::TextIndexWriter(soci::session& sql, Dialect dialect, const std::string& tenant,
                                 TextArena& text)
    : sql_(sql), dialect_(dialect), tenant_(tenant), text_(text) {}

TextIndexWriter::~TextIndexWriter() = default;

SqliteStatement& TextIndexWriter::sqlite(std::unique_ptr<SqliteStatement>& st, const char* text) {
  if (!st) st = std::make_unique<SqliteStatement>(sql_, text);
  return *st;
}

std::string sqlite_text_words(const fhir::search::FullText& text) {
  std::string out;
  out.reserve(text.content.size() + text.narrative.size() + text.narrative.size() / 4 + 2);
  out = text.content;
  std::size_t from = 0;
  while (from < text.narrative.size()) {
    std::size_t to = text.narrative.find(' ', from);
    if (to == std::string::npos) to = text.narrative.size();
    if (!out.empty()) out.push_back(' ');
    out.push_back('_');
    out.append(text.narrative, from, to - from);
    from = to + 1;
  }
  return out;
}

void TextIndexWriter::remove(const std::string& type, const std::string& id, std::int64_t rid) {
  if (dialect_ == Dialect::kSqlite) {
    SqliteStatement& pending =
        sqlite(delete_pending_, "DELETE FROM idx_text_pending WHERE rid = ?1");
    pending.bind(1, rid);
    pending.step();
    // An indexed row leaves the FTS5 index through its 'delete' command, which needs the words
    // the row was indexed with: still in idx_text_words until the next statement.
    SqliteStatement& indexed =
        sqlite(delete_indexed_,
               "INSERT INTO idx_text (idx_text, rowid, words)"
               " SELECT 'delete', rid, words FROM idx_text_words WHERE rid = ?1");
    indexed.bind(1, rid);
    indexed.step();
    SqliteStatement& words = sqlite(delete_words_, "DELETE FROM idx_text_words WHERE rid = ?1");
    words.bind(1, rid);
    words.step();
    return;
  }
  if (!delete_) {
    delete_ = prepared(sql_, std::string("DELETE FROM idx_text WHERE rid = ") + kRidOf, tenant_,
                       {&type_, &id_});
  }
  type_ = type;
  id_ = id;
  delete_->execute(true);
}

void TextIndexWriter::insert(std::int64_t rid, const fhir::search::FullText& text) {
  if (text.narrative.empty() && text.content.empty()) return;
  if (written_ < 0) {  // first write of the session: rows an earlier process left pending
    std::int64_t left = 0;
    SqliteStatement(sql_, "SELECT count(*) FROM idx_text_pending").step_into(left);
    written_ = static_cast<int>(std::min<std::int64_t>(left, kTextDrainRows));
  }
  deferred_.push_back(Deferred{rid, text_.keep(sqlite_text_words(text))});
}

std::string TextIndexWriter::pg_insert_sql(int& next) {
  const std::string narrative = ":p" + std::to_string(next++);
  const std::string content = ":p" + std::to_string(next++);
  const std::string has_words = ":p" + std::to_string(next++);
  return "INSERT INTO idx_text (rid, narrative, content) SELECT r.rid,"
         " to_tsvector('simple', CAST(" +
         narrative + " AS TEXT)), to_tsvector('simple', CAST(" + content +
         " AS TEXT)) FROM r WHERE CAST(" + has_words + " AS INTEGER) = 1";
}

void TextIndexWriter::pg_bind(soci::statement& st) {
  st.exchange(soci::use(narrative_));
  st.exchange(soci::use(content_));
  st.exchange(soci::use(has_words_));
}

bool TextIndexWriter::pg_fill(const fhir::search::FullText& text) {
  narrative_ = text.narrative;
  content_ = text.content;
  has_words_ = narrative_.empty() && content_.empty() ? 0 : 1;
  return has_words_ == 1;
}

void TextIndexWriter::flush() {
  if (deferred_.empty()) return;
  if (!insert_pending_rows_) {
    insert_pending_rows_ =
        std::make_unique<MultiRowInsert>(sql_, "idx_text_pending", "rid, words", 2, 32);
  }
  insert_pending_rows_->insert(deferred_.size(), [&](SqliteStatement& st, int& i, std::size_t r) {
    st.bind(i++, deferred_[r].rid);
    st.bind(i++, deferred_[r].words);
  });
  written_ += static_cast<int>(deferred_.size());
  deferred_.clear();
  if (written_ >= kTextDrainRows) move_pending();
}

void TextIndexWriter::drain() {
  if (dialect_ != Dialect::kSqlite) return;
  flush();
  move_pending();
}

void TextIndexWriter::move_pending() {
  // Every pending row, whichever session wrote it (others may have stopped before draining).
  sqlite(drain_words_,
         "INSERT INTO idx_text_words (rid, words) SELECT rid, words FROM idx_text_pending")
      .step();
  sqlite(drain_index_,
         "INSERT INTO idx_text (rowid, words) SELECT rid, words FROM idx_text_pending")
      .step();
  sqlite(drain_clear_, "DELETE FROM idx_text_pending").step();
  written_ = 0;
}

}  // namespace hearth::storage::detail
