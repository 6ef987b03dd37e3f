// Internal to storage/: the search statements of one database session, kept prepared by their
// SQL text. A search's text depends only on the shape of its query (which parameters, modifiers,
// how many OR values, the sort), never on the values, which are bound (search_compiler.h); so
// the conditional lookups an ingest runs per resource (`Patient?identifier=sys|val`, thousands
// per interchange, one shape) compile and prepare once per session instead of once each.
//
// A SearchStatement holds its bound inputs and fetched outputs as members (SOCI binds them by
// reference at preparation), so running it again only assigns the inputs. The cache keeps the
// last kMaxStatements texts of at most kMaxCachedText bytes (least recently used goes first);
// a longer text (a large OR list) is prepared for the one call, as before.
//
// Ownership: owned by PreparedStatements (statements.h), destroyed before its session.
// Thread-safety: none; the session's one thread. Errors: SOCI exceptions propagate from
// prepare; a statement that threw while running must be dropped (discard()), since SOCI's state
// after a failure is not defined.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/resource_store.h"
#include "storage/sql/prepare_statement.h"
#include "storage/sql/search_compiler.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// One prepared search statement: a page, a count or an include query.
struct SearchStatement {
  explicit SearchStatement(soci::session& sql) : statement(sql) {}
  // Inputs: the values, in placeholder order, then (page and include queries) the limit and
  // offset. Assigned by assign_values(); never resized after preparation.
  std::vector<SqlValue> values;
  long long limit = 0, offset = 0;
  // Outputs of one fetched row.
  std::string type, id, body;
  long long version = 0, last_updated = 0, total = 0;
  std::string code, system;       // the index row a batched token lookup matched (token_lookup.h)
  std::vector<CursorValue> keys;  // the sort terms' values (page queries)
  std::vector<soci::indicator> key_nulls;
  soci::statement statement;
};

// Exchanges the outputs of a statement that reads resource rows (type, id, version,
// last_updated, body, in that order of its columns).
void bind_row(SearchStatement& st);
// The row fetched into `st` (its body moved out).
ResourceVersion row_of(SearchStatement& st);

class SearchStatements {
 public:
  static constexpr std::size_t kMaxStatements = 64;
  static constexpr std::size_t kMaxCachedText = 16 * 1024;

  SearchStatements(soci::session& sql, Dialect dialect);
  ~SearchStatements();
  SearchStatements(const SearchStatements&) = delete;
  SearchStatements& operator=(const SearchStatements&) = delete;

  // The statement for `text` binding `values` (their kinds: part of the key), prepared on first
  // use by `bind` (which exchanges the outputs and inputs, in that statement's order, and is
  // followed by the preparation). The returned statement stays valid until the next call to
  // statement() or discard(); its inputs hold `values`. Throws what SOCI throws.
  template <class Bind>
  SearchStatement& statement(const std::string& text, const std::vector<SqlValue>& values,
                             std::size_t value_count, Bind&& bind) {
    std::string key = key_of(text, values, value_count);
    if (SearchStatement* found = find(key)) {
      assign_values(*found, values, value_count);
      return *found;
    }
    auto made = std::make_unique<SearchStatement>(sql_);
    made->values.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(value_count));
    bind(*made);
    prepare_statement(made->statement, text);
    return keep(std::move(key), std::move(made));
  }

  // Ends the statement's run: SQLite releases the read snapshot a stepped statement holds.
  void finish(SearchStatement& statement) const;
  // Drops the statement (after it threw); a no-op for one not in the cache.
  void discard(const SearchStatement& statement);

  Dialect dialect() const { return dialect_; }
  std::size_t size() const { return entries_.size(); }
  std::size_t prepared() const { return prepared_; }  // statements prepared so far

 private:
  struct Entry {
    std::string key;
    std::unique_ptr<SearchStatement> statement;
  };
  static std::string key_of(const std::string& text, const std::vector<SqlValue>& values,
                            std::size_t value_count);
  static void assign_values(SearchStatement& statement, const std::vector<SqlValue>& values,
                            std::size_t value_count);
  SearchStatement* find(const std::string& key);
  SearchStatement& keep(std::string key, std::unique_ptr<SearchStatement> statement);

  soci::session& sql_;
  const Dialect dialect_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key_;
  std::unique_ptr<SearchStatement> uncached_;  // the last statement of a text too long to keep
  std::size_t prepared_ = 0;
};

}  // namespace hearth::storage::detail
