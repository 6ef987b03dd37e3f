// The session's search statement cache: an LRU list keyed by SQL text and bound value kinds.
#include "storage/sql/search_statements.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include <utility>

namespace hearth::storage::detail {

SearchStatements::SearchStatements(soci::session& sql, Dialect dialect)
    : sql_(sql), dialect_(dialect) {}

SearchStatements::~SearchStatements() = default;

// The text, then one letter per bound value's kind: a text never holds a NUL, so the two
// parts cannot run into each other.
std::string SearchStatements::key_of(const std::string& text, const std::vector<SqlValue>& values,
                                     std::size_t value_count) {
  std::string key;
  key.reserve(text.size() + 1 + value_count);
  key += text;
  key += '\0';
  for (std::size_t i = 0; i < value_count; ++i) {
    switch (values[i].kind) {
      case SqlValue::Kind::kText: key += 't'; break;
      case SqlValue::Kind::kInteger: key += 'i'; break;
      case SqlValue::Kind::kReal: key += 'r'; break;
    }
  }
  return key;
}

// Element by element, so the strings SOCI holds references to stay where they are.
void SearchStatements::assign_values(SearchStatement& statement,
                                     const std::vector<SqlValue>& values, std::size_t value_count) {
  for (std::size_t i = 0; i < value_count; ++i) {
    SqlValue& to = statement.values[i];
    const SqlValue& from = values[i];
    to.text = from.text;
    to.integer = from.integer;
    to.real = from.real;
  }
}

SearchStatement* SearchStatements::find(const std::string& key) {
  const auto it = by_key_.find(std::string_view(key));
  if (it == by_key_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);  // iterators stay valid
  return entries_.front().statement.get();
}

SearchStatement& SearchStatements::keep(std::string key,
                                        std::unique_ptr<SearchStatement> statement) {
  ++prepared_;
  if (key.size() > kMaxCachedText) {
    uncached_ = std::move(statement);
    return *uncached_;
  }
  if (entries_.size() >= kMaxStatements) {
    by_key_.erase(std::string_view(entries_.back().key));
    entries_.pop_back();
  }
  entries_.push_front(Entry{std::move(key), std::move(statement)});
  by_key_.emplace(std::string_view(entries_.front().key), entries_.begin());
  return *entries_.front().statement;
}

void SearchStatements::finish(SearchStatement& statement) const {
  if (dialect_ != Dialect::kSqlite) return;
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.statement.get_backend());
  if (backend != nullptr && backend->stmt_ != nullptr) {
    sqlite_api::sqlite3_reset(backend->stmt_);
  }
}

void SearchStatements::discard(const SearchStatement& statement) {
  if (uncached_.get() == &statement) {
    uncached_.reset();
    return;
  }
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->statement.get() != &statement) continue;
    by_key_.erase(std::string_view(it->key));
    entries_.erase(it);
    return;
  }
}

void bind_row(SearchStatement& st) {
  st.statement.exchange(soci::into(st.type));
  st.statement.exchange(soci::into(st.id));
  st.statement.exchange(soci::into(st.version));
  st.statement.exchange(soci::into(st.last_updated));
  st.statement.exchange(soci::into(st.body));
}

ResourceVersion row_of(SearchStatement& st) {
  ResourceVersion row;
  row.type = st.type;
  row.id = st.id;
  row.version = st.version;
  row.last_updated_micros = st.last_updated;
  row.method = "";
  row.body = std::move(st.body);
  return row;
}

}  // namespace hearth::storage::detail
