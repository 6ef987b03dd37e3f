// run_search: the compiled query (search_compiler.h) bound and run as two statements.
#include "storage/sql/search_runner.h"

#include <soci/soci.h>

#include <algorithm>

#include "storage/sql/search_compiler.h"
#include "storage/sql/sql_error.h"

namespace hearth::storage::detail {
namespace {

void bind_values(soci::statement& st, std::vector<SqlValue>& values, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    SqlValue& v = values[i];
    const std::string name = placeholder_name(i);
    switch (v.kind) {
      case SqlValue::Kind::kText: st.exchange(soci::use(v.text, name)); break;
      case SqlValue::Kind::kInteger: st.exchange(soci::use(v.integer, name)); break;
      case SqlValue::Kind::kReal: st.exchange(soci::use(v.real, name)); break;
    }
  }
}

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER (PostgreSQL allows 65,535). The default
// SearchLimits stay far below it (about 20,000); raised limits may not, and must then answer 400
// instead of the engine's error.
constexpr std::size_t kMaxBoundValues = 32766;

void prepare(soci::statement& st, const std::string& text) {
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
}

// One page row's sort values (SearchSql::terms), read beside it for the cursors.
struct RowKeys {
  std::vector<CursorValue> values;
  std::vector<soci::indicator> nulls;
};

void bind_keys(soci::statement& st, const std::vector<SortTerm>& terms, RowKeys& keys) {
  keys.values.resize(terms.size());
  keys.nulls.resize(terms.size());
  for (std::size_t k = 0; k < terms.size(); ++k) {
    CursorValue& v = keys.values[k];
    v.kind = terms[k].kind;
    switch (v.kind) {
      case KeyKind::kText: st.exchange(soci::into(v.text, keys.nulls[k])); break;
      case KeyKind::kInteger: st.exchange(soci::into(v.integer, keys.nulls[k])); break;
      case KeyKind::kReal: st.exchange(soci::into(v.real, keys.nulls[k])); break;
    }
  }
}

std::vector<CursorValue> fetched_keys(const RowKeys& keys) {
  std::vector<CursorValue> out = keys.values;
  for (std::size_t k = 0; k < out.size(); ++k) out[k].null = keys.nulls[k] == soci::i_null;
  return out;
}

std::string select_list(const std::vector<SortTerm>& terms) {
  std::string out;
  for (const SortTerm& t : terms) out += ", " + t.expr;
  return out;
}

}  // namespace

Result<SearchPage> run_search_in(soci::session& sql, const fhir::search::SearchQuery& query,
                                 std::int64_t now_micros) {
  using Direction = PageCursor::Direction;
  SearchSql compiled = compile_search(
      query, now_micros,
      sql.get_backend_name() == "postgresql" ? Dialect::kPostgresql : Dialect::kSqlite);
  const std::string signature = sort_signature(query);
  Direction direction = Direction::kAfter;
  if (!query.cursor.empty()) {
    HEARTH_ASSIGN_OR_RETURN(auto cursor, decode_cursor(query.cursor, signature));
    HEARTH_RETURN_IF_ERROR(add_keyset(compiled, cursor));
    direction = cursor.direction;
  }
  if (compiled.values.size() + 2 > kMaxBoundValues) {  // + limit and offset
    return Status(Code::kInvalidArgument,
                  "search too large for the database: " + std::to_string(compiled.values.size()) +
                      " distinct values to bind, at most " + std::to_string(kMaxBoundValues - 2) +
                      " (lower --search-max-params or --search-max-values)");
  }
  const std::string from = " FROM resource r WHERE r.deleted = 0";
  SearchPage page;
  if (query.total != fhir::search::TotalMode::kNone) {
    // An estimate counts one match past its cap at most: the total when it stays under it,
    // none when it does not.
    const bool estimate = query.total == fhir::search::TotalMode::kEstimate;
    const long long cap = std::max<long long>(query.estimate_cap, 0);
    long long total = 0;
    soci::statement count(sql);
    count.exchange(soci::into(total));
    bind_values(count, compiled.values, compiled.where_values);
    prepare(count, estimate ? "SELECT COUNT(*) FROM (SELECT 1" + from + compiled.where + " LIMIT " +
                                  std::to_string(cap + 1) + ") AS capped"
                            : "SELECT COUNT(*)" + from + compiled.where);
    count.execute(true);
    if (!estimate || total <= cap) page.total = total;
  }
  if (query.count <= 0) return page;
  page.last_cursor =
      encode_cursor(PageCursor{.direction = Direction::kLast, .keys = {}}, signature);
  long long limit = query.count;
  // _offset places the first page only; a cursor names its page itself.
  long long offset = query.cursor.empty() ? query.offset : 0;
  if (direction == Direction::kLast && page.total) {
    // The last page holds what an offset walk would leave for it.
    limit = *page.total % query.count == 0 ? query.count : *page.total % query.count;
  }
  if (direction == Direction::kAfter && page.total && offset >= *page.total) return page;
  // One row more than the page: whether another page follows in the direction read.
  long long fetch = limit + 1;
  std::string type, id, body;
  long long version = 0, last_updated = 0;
  RowKeys keys;
  soci::statement rows(sql);
  rows.exchange(soci::into(type));
  rows.exchange(soci::into(id));
  rows.exchange(soci::into(version));
  rows.exchange(soci::into(last_updated));
  rows.exchange(soci::into(body));
  bind_keys(rows, compiled.terms, keys);
  bind_values(rows, compiled.values, compiled.values.size());
  rows.exchange(soci::use(fetch, "lim"));
  rows.exchange(soci::use(offset, "off"));
  prepare(rows, "SELECT r.res_type, r.res_id, r.version, r.last_updated, v.body" +
                    select_list(compiled.terms) +
                    " FROM resource r JOIN resource_version v ON v.seq = r.seq"
                    " WHERE r.deleted = 0" +
                    compiled.where + compiled.keyset + " ORDER BY " + compiled.order_by +
                    " LIMIT :lim OFFSET :off");
  rows.execute(false);
  std::vector<std::vector<CursorValue>> row_keys;
  bool more = false;
  while (rows.fetch()) {
    if (static_cast<long long>(page.entries.size()) == limit) {
      more = true;
      break;
    }
    ResourceVersion& row = page.entries.emplace_back();
    row.type = type;
    row.id = id;
    row.version = version;
    row.last_updated_micros = last_updated;
    row.method = "";
    row.body = std::move(body);
    row_keys.push_back(fetched_keys(keys));
  }
  if (direction != Direction::kAfter) {
    std::reverse(page.entries.begin(), page.entries.end());
    std::reverse(row_keys.begin(), row_keys.end());
  }
  if (page.entries.empty()) return page;
  auto cursor = [&](Direction d, std::vector<CursorValue> at) {
    return encode_cursor(PageCursor{.direction = d, .keys = std::move(at)}, signature);
  };
  // Forward: a next page when the extra row came; a previous one when this page did not start
  // at the beginning. Backward: the other way round; the last page has no next.
  const bool has_next = direction == Direction::kAfter ? more : direction == Direction::kBefore;
  const bool has_previous =
      direction == Direction::kAfter ? (!query.cursor.empty() || offset > 0) : more;
  if (has_next) page.next_cursor = cursor(Direction::kAfter, row_keys.back());
  if (has_previous) page.previous_cursor = cursor(Direction::kBefore, row_keys.front());
  return page;
}

Result<std::vector<ResourceVersion>> run_include_in(soci::session& sql, const IncludeQuery& query) {
  std::vector<ResourceVersion> out;
  if (query.from.empty() || query.directives.empty() || query.limit == 0) return out;
  IncludeSql compiled = compile_include(query);
  if (compiled.values.size() + 1 > kMaxBoundValues) {
    return Status(Code::kInvalidArgument, "_include / _revinclude too large for the database: " +
                                              std::to_string(compiled.values.size()) +
                                              " distinct values to bind");
  }
  std::string type, id, body;
  long long version = 0, last_updated = 0;
  auto limit = static_cast<long long>(query.limit);
  soci::statement rows(sql);
  rows.exchange(soci::into(type));
  rows.exchange(soci::into(id));
  rows.exchange(soci::into(version));
  rows.exchange(soci::into(last_updated));
  rows.exchange(soci::into(body));
  bind_values(rows, compiled.values, compiled.values.size());
  rows.exchange(soci::use(limit, "lim"));
  prepare(rows,
          "SELECT r.res_type, r.res_id, r.version, r.last_updated, v.body FROM resource r"
          " JOIN resource_version v ON v.seq = r.seq WHERE r.deleted = 0 AND " +
              compiled.where + " ORDER BY r.res_type, r.res_id LIMIT :lim");
  rows.execute(false);
  while (rows.fetch()) {
    ResourceVersion& row = out.emplace_back();
    row.type = type;
    row.id = id;
    row.version = version;
    row.last_updated_micros = last_updated;
    row.body = std::move(body);
  }
  return out;
}

Result<std::vector<ResourceVersion>> run_include(SessionPool& pool, const IncludeQuery& query) {
  Result<SessionPool::Lease> lease = pool.acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return run_include_in(*(*lease)->sql, query);
  } catch (...) {
    return fail_session(*lease, "include");
  }
}

Result<SearchPage> run_search(SessionPool& pool, const fhir::search::SearchQuery& query,
                              std::int64_t now_micros) {
  Result<SessionPool::Lease> lease = pool.acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return run_search_in(*(*lease)->sql, query, now_micros);
  } catch (...) {
    return fail_session(*lease, "search " + (query.resource_type.empty() ? std::string("[base]")
                                                                         : query.resource_type));
  }
}

}  // namespace hearth::storage::detail
