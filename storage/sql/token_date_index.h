// Internal to storage/: the token-by-date index (idx_token_date, schema 20, SQLite only), which
// lets the planner's date walk (search_compiler.h, SearchPlan::date_walk) read a token clause
// and a date range together in date order: `Observation?code=x&date=2008-05-01` reads the rows
// of (date, code, x) between the day's bounds, in `low` order, instead of every row of the day
// probed for its code. A row per (date parameter, token parameter, code) of a resource, for the
// parameters the walk may read together only (token_date_params): a date parameter of which the
// resource has exactly one row (the only ones the walk reads: date_shape.h, date_several), its
// row's `low` and `high`, times each code of a token parameter whose values are codings
// (fhir/search/coded_token.h; systems and texts left out: the walk still probes the token clause
// itself, which keeps the matches exact; two systems with one code are one row). Identifiers,
// ContactPoints, booleans and enumerations such as gender or status stay out: their clauses are
// selective enough to drive, or so dense the range drives, and their rows would cost every
// write (a Patient's 14 token rows by its birthdate were +30% per create). IndexWriter writes
// the rows in the resource's write transaction and deletes them with its other rows; the
// migration to schema 20 fills the table from the rows a store holds (fill_token_date_index).
//
// Errors: SOCI exceptions propagate (callers translate them). Thread-safety: none beyond the
// session's; token_date_params is thread-safe.
#pragma once

#include <soci/soci.h>

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

namespace hearth::storage::detail {

// The parameters of a resource type whose rows idx_token_date pairs, each list sorted: `tokens`,
// the token parameters with coded values (fhir::search::is_coded_token) and no parts
// (param_parts.h: an umbrella's clause is never read with a range); `dates`, the date parameters
// a range may stand for (no parts, not _lastUpdated: search_compiler.cpp, fits_range).
struct TokenDateParams {
  std::vector<std::string_view> tokens;
  std::vector<std::string_view> dates;
};
// Built once for every resource type on first use (static storage); empty for an unknown type.
const TokenDateParams& token_date_params(std::string_view resource_type);

// Fills idx_token_date from the idx_date and idx_token rows a store holds (the migration to
// schema 20, after sync_search_params) and gives the planner its statistics. SQLite sessions
// only.
void fill_token_date_index(soci::session& sql);

class TokenDateIndexWriter {
 public:
  // SQLite sessions only (PostgreSQL plans from its own statistics and has no such table).
  // `text`: where the deferred rows keep their codes (the owner's, IndexWriter's).
  TokenDateIndexWriter(soci::session& sql, TextArena& text);
  ~TokenDateIndexWriter();

  // Deletes the rows of resource `rid`, found from its idx_date and idx_token rows: call it
  // before those are deleted.
  void remove(std::int64_t rid);
  // Inserts the rows of resource `rid` of `resource_type` from its token and date rows; `pid_of`
  // gives a parameter's id. Nothing when it has no date parameter of token_date_params with one
  // row, or no code of one of its token parameters. The rows are deferred until flush(), as
  // IndexWriter defers its own (search_index.h); the owner calls flush() and discard().
  void insert(std::int64_t rid, std::string_view resource_type,
              const std::vector<fhir::search::TokenIndex>& tokens,
              const std::vector<fhir::search::DateIndex>& dates,
              const std::function<long long(std::string_view)>& pid_of);
  // Writes the deferred rows. Throws like SqliteStatement::step().
  void flush();
  // Forgets the deferred rows, unwritten.
  void discard() { pairs_.clear(); }

 private:
  SqliteStatement find_;
  SqliteStatement delete_;
  struct Key {
    std::int64_t pid, tpid;
    std::string code;
    std::int64_t low;
  };
  std::vector<Key> keys_;  // the rows remove() found, reused
  MultiRowInsert insert_;
  struct Pair {
    std::int64_t rid;
    long long date_pid, token_pid;
    std::string_view code;  // in text_
    std::int64_t low, high;
  };
  std::vector<Pair> pairs_;  // the deferred rows
  TextArena& text_;
  std::vector<const fhir::search::TokenIndex*> coded_;  // its token rows of coded parameters
};

}  // namespace hearth::storage::detail
