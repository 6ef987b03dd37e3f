// run_search: the compiled query (search_compiler.h) bound and run as two statements.
#include "storage/sql/search_runner.h"

#include <soci/soci.h>

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

}  // namespace

Result<SearchPage> run_search_in(soci::session& sql, const fhir::search::SearchQuery& query,
                                 std::int64_t now_micros) {
  SearchSql compiled = compile_search(query, now_micros);
  if (compiled.values.size() + 3 > kMaxBoundValues) {  // + type, limit and offset
    return Status(Code::kInvalidArgument,
                  "search too large for the database: " + std::to_string(compiled.values.size()) +
                      " distinct values to bind, at most " + std::to_string(kMaxBoundValues - 3) +
                      " (lower --search-max-params or --search-max-values)");
  }
  std::string type = query.resource_type;
  const std::string from = " FROM resource r WHERE r.res_type = :rt AND r.deleted = 0";
  SearchPage page;
  if (query.total == fhir::search::TotalMode::kAccurate) {
    long long total = 0;
    soci::statement count(sql);
    count.exchange(soci::into(total));
    count.exchange(soci::use(type, "rt"));
    bind_values(count, compiled.values, compiled.where_values);
    prepare(count, "SELECT COUNT(*)" + from + compiled.where);
    count.execute(true);
    page.total = total;
  }
  if (query.count > 0 && !(page.total && query.offset >= *page.total)) {
    std::string id, body;
    long long version = 0, last_updated = 0;
    long long limit = query.count, offset = query.offset;
    soci::statement rows(sql);
    rows.exchange(soci::into(id));
    rows.exchange(soci::into(version));
    rows.exchange(soci::into(last_updated));
    rows.exchange(soci::into(body));
    rows.exchange(soci::use(type, "rt"));
    bind_values(rows, compiled.values, compiled.values.size());
    rows.exchange(soci::use(limit, "lim"));
    rows.exchange(soci::use(offset, "off"));
    prepare(rows,
            "SELECT r.res_id, r.version, r.last_updated, v.body FROM resource r"
            " JOIN resource_version v ON v.seq = r.seq"
            " WHERE r.res_type = :rt AND r.deleted = 0" +
                compiled.where + " ORDER BY " + compiled.order_by + " LIMIT :lim OFFSET :off");
    rows.execute(false);
    while (rows.fetch()) {
      ResourceVersion& row = page.entries.emplace_back();
      row.type = type;
      row.id = id;
      row.version = version;
      row.last_updated_micros = last_updated;
      row.method = "";
      row.body = std::move(body);
    }
  }
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
    return fail_session(*lease, "search " + query.resource_type);
  }
}

}  // namespace hearth::storage::detail
