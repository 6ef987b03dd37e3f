// run_search: the compiled query (search_compiler.h) bound and run as two statements.
#include "storage/sql/search_runner.h"

#include <soci/soci.h>

#include <algorithm>
#include <optional>

#include "core/tenant_scope.h"
#include "storage/sql/include_compiler.h"
#include "storage/sql/page_keyset.h"
#include "storage/sql/search_compiler.h"
#include "storage/sql/search_statements.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/statements.h"
#include "storage/sql/token_lookup.h"

namespace hearth::storage::detail {
namespace {

void bind_values(SearchStatement& st) {
  for (std::size_t i = 0; i < st.values.size(); ++i) {
    SqlValue& v = st.values[i];
    const std::string name = placeholder_name(i);
    switch (v.kind) {
      case SqlValue::Kind::kText: st.statement.exchange(soci::use(v.text, name)); break;
      case SqlValue::Kind::kInteger: st.statement.exchange(soci::use(v.integer, name)); break;
      case SqlValue::Kind::kReal: st.statement.exchange(soci::use(v.real, name)); break;
    }
  }
}

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER (PostgreSQL allows 65,535). The default
// SearchLimits stay far below it (about 20,000); raised limits may not, and must then answer 400
// instead of the engine's error.
constexpr std::size_t kMaxBoundValues = 32766;

// The sort terms' values, read beside each page row for the cursors.
void bind_keys(SearchStatement& st, const std::vector<SortTerm>& terms) {
  st.keys.resize(terms.size());
  st.key_nulls.resize(terms.size());
  for (std::size_t k = 0; k < terms.size(); ++k) {
    CursorValue& v = st.keys[k];
    v.kind = terms[k].kind;
    switch (v.kind) {
      case KeyKind::kText: st.statement.exchange(soci::into(v.text, st.key_nulls[k])); break;
      case KeyKind::kInteger: st.statement.exchange(soci::into(v.integer, st.key_nulls[k])); break;
      case KeyKind::kReal: st.statement.exchange(soci::into(v.real, st.key_nulls[k])); break;
    }
  }
}

std::vector<CursorValue> fetched_keys(const SearchStatement& st) {
  std::vector<CursorValue> out = st.keys;
  for (std::size_t k = 0; k < out.size(); ++k) out[k].null = st.key_nulls[k] == soci::i_null;
  return out;
}

// Runs `use` on the statement, then ends its run; a statement that threw is dropped from the
// cache before the exception goes on.
template <class Use>
void run_statement(SearchStatements& cache, SearchStatement& st, Use&& use) {
  try {
    use(st);
  } catch (...) {
    cache.discard(st);
    throw;
  }
  cache.finish(st);
}

// The one number `text` (a SELECT COUNT(*)) answers, binding the first `value_count` of
// `values`, through the statement cache.
long long count_rows(SearchStatements& cache, const std::string& text,
                     const std::vector<SqlValue>& values, std::size_t value_count) {
  SearchStatement& count = cache.statement(text, values, value_count, [](SearchStatement& st) {
    st.statement.exchange(soci::into(st.total));
    bind_values(st);
  });
  run_statement(cache, count, [](SearchStatement& st) { st.statement.execute(true); });
  return count.total;
}

// The probe counts stop here: a clause with more matches is dense.
constexpr long long kDriveCap = 1000;
// A walk first tries this many resources; when none of them matches, the AND is sparse: the walk
// would read over kWalkSample * (_count + 1) rows, up to the whole type. The clauses are then
// counted again up to that many, and the smallest under it drives after all (it reads fewer).
constexpr long long kWalkSample = 128;

// Whether none of the first kWalkSample resources of the type (id order) meets the walk plan's
// conditions. `where`: compile_search's, whose first values are the tenant (":b1") and the one
// searched type (":b2"). The sample stops at its first match: counting them all probed every
// one of the 128 (for `_has`, each resource's references: two thirds of the request).
bool sparse_walk(SearchStatements& cache, const SearchSql& walk) {
  const long long sampled = count_rows(
      cache,
      "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT * FROM resource WHERE tenant = :b1 AND"
      " res_type = :b2 ORDER BY res_id LIMIT " +
          std::to_string(kWalkSample) + ") AS r WHERE r.deleted = 0" + walk.where +
          " LIMIT 1) AS sampled",
      walk.values, walk.where_values);
  return sampled == 0;
}

// The longest span of clause `clause`'s date parameter's rows (date_shape.h), or -1 when a
// resource has had two rows of it (or it has no id yet), when no range may stand for its clauses.
long long date_span_of(SearchStatements& cache, const fhir::search::SearchQuery& query,
                       std::string_view tenant, std::size_t clause) {
  std::vector<SqlValue> values(3);
  values[0].text = std::string(tenant);
  values[1].text = query.resource_type.empty() ? query.types.front() : query.resource_type;
  values[2].text = query.clauses[clause].code;
  return count_rows(cache,
                    "SELECT COALESCE((SELECT CASE WHEN date_several = 0 THEN date_span ELSE -1 END"
                    " FROM search_param WHERE tenant = :b1 AND res_type = :b2 AND code = :b3),"
                    " -1)",
                    values, values.size());
}

// The plan of a search (search_compiler.h, SearchPlan; docs/search.md, Planning). SQLite: each
// plain or chained clause's matches are counted up to kDriveCap (one prepared statement each,
// through its `_find` index; a chain's only when its last link's are under the cap); the
// smallest drives, the others are probed per candidate. When all are dense and the page is in
// id order over one type, none drives: the resource table is read in id order, each row probed,
// and the page stops at its last row (at density d, about (_count + 1) / d rows read), unless a
// sample of the walk finds no match (sparse_walk) and a clause has fewer matches than the walk
// would then read. In the ascending order of a date parameter that the query bounds, the
// range is walked in that order instead (SearchPlan::date_walk) unless another clause has fewer
// matches. PostgreSQL plans IN and EXISTS alike (both semi-joins) from its own statistics:
// its statements keep the sets.
SearchPlan plan_search(SearchStatements& cache, const fhir::search::SearchQuery& query,
                       std::string_view tenant, std::int64_t now_micros) {
  SearchPlan plan;
  if (cache.dialect() != Dialect::kSqlite) return plan;
  std::vector<std::size_t> candidates = probe_clauses(query);
  if (candidates.empty()) return plan;
  plan.probe = true;
  // Sorted by a date parameter that the query bounds (default_date_order, or _sort): its
  // clauses as one range, which may be walked in date order. Else two clauses of one date
  // parameter: one candidate, their range. Either when the parameter's rows allow it
  // (date_shape.h); the others are probed.
  std::vector<std::size_t> ranged = date_order_clauses(query, candidates);
  const bool date_order = !ranged.empty();
  if (!date_order) ranged = date_range_clauses(query, candidates);
  if (!ranged.empty()) {
    const long long span = date_span_of(cache, query, tenant, ranged.front());
    if (span >= 0) plan.range = date_range(query, ranged, span, now_micros);
    if (plan.range) {
      std::erase_if(candidates, [&](std::size_t k) {
        return k != ranged.front() && std::find(ranged.begin(), ranged.end(), k) != ranged.end();
      });
    }
  }
  auto count = [&](std::size_t k, bool chain_end, long long cap) {
    ProbeSql probe = compile_probe(query, tenant, k, now_micros, cap, chain_end,
                                   plan.range ? &*plan.range : nullptr);
    return count_rows(cache, probe.text, probe.values, probe.values.size());
  };
  // A clause's matches up to `cap`. A chain's set costs what its last link's matches cost: its
  // set is counted only when those are few.
  auto matches_of = [&](std::size_t k, long long cap) {
    long long matches = 0;
    if (!query.clauses[k].chain.empty()) matches = count(k, true, cap);
    if (matches <= cap) matches = count(k, false, cap);
    return matches;
  };
  // The clause with the fewest matches (up to `cap`) becomes the driver; returns their number.
  auto pick = [&](long long cap) {
    long long fewest = -1;
    for (std::size_t k : candidates) {
      const long long matches = matches_of(k, cap);
      if (fewest < 0 || matches < fewest) {
        fewest = matches;
        plan.driver = k;
      }
      if (fewest == 0) break;
    }
    return fewest;
  };
  const bool one_type = !query.resource_type.empty() || query.types.size() == 1;
  if (date_order && plan.range) {
    // In date order the range is walked in that order (SearchPlan::date_walk), reading its rows
    // until the page is full, unless another clause has fewer matches than the walk would read
    // (at most the range's rows): the range is counted only when one has at most kDriveCap.
    // A token clause read with the range (SearchPlan::walk_token) is not counted: the walk then
    // reads the range's rows that have its code, never more than the clause's own matches, in
    // order, where as a driver they would all be read and sorted.
    const std::size_t range = plan.range->clauses.front();
    std::erase(candidates, range);
    const std::optional<std::size_t> token = token_date_clause(query, candidates);
    long long fewest = -1;
    for (std::size_t k : candidates) {
      if (k == token) continue;
      const long long matches = matches_of(k, kDriveCap);
      if (fewest < 0 || matches < fewest) {
        fewest = matches;
        plan.driver = k;
      }
      if (fewest == 0) break;
    }
    if (fewest < 0 || fewest > kDriveCap || matches_of(range, fewest) <= fewest) {
      plan.driver.reset();
      plan.date_walk = true;
      plan.walk_token = token;
    }
    return plan;  // or the other clause drives: the range is a condition too, so no total
  }
  long long fewest = pick(kDriveCap);
  plan.none = fewest == 0;
  const bool by_id =
      std::all_of(query.sort.begin(), query.sort.end(),
                  [](const fhir::search::SortKey& key) { return key.param->code == "_id"; });
  if (fewest > kDriveCap && one_type && by_id) {
    SearchPlan walk = plan;
    walk.driver.reset();
    const long long wide = kWalkSample * (std::max<long long>(query.count, 1) + 1);
    if (!sparse_walk(cache, compile_search(query, tenant, now_micros, cache.dialect(), walk)) ||
        pick(wide) > wide) {
      return walk;
    }
  }
  // The driver alone, under the cap, counted its resources: that is the total. So did a range
  // that stands for every condition (its resources have one row of the parameter at most).
  const auto conditions = std::count_if(
      query.clauses.begin(), query.clauses.end(), [](const fhir::search::SearchClause& c) {
        return !(c.values.empty() && c.modifier != fhir::search::Modifier::kMissing);
      });
  const long long driving = plan.range && plan.range->clauses.front() == plan.driver
                                ? static_cast<long long>(plan.range->clauses.size())
                                : 1;
  if (one_type && conditions == driving && fewest <= kDriveCap &&
      query.clauses[*plan.driver].chain.empty()) {
    plan.total = fewest;
  }
  return plan;
}

// The first page of a search that is one exact token value (direct_token_lookup), read by the
// direct lookup's one statement (token_lookup.h) when every match fits on it: the page the
// general path gives (the same matches in id order, their number as the total, a last link),
// without its plan's count and its page statement. nullopt when the search is not of that
// shape, or has more matches than the page: the general path then reads it. SQLite only: the
// lookup sorts ids bytewise, as SQLite's ORDER BY does, where PostgreSQL's follows its collation.
std::optional<SearchPage> direct_first_page(PreparedStatements& ps,
                                            const fhir::search::SearchQuery& query,
                                            const std::string& signature) {
  if (ps.searches().dialect() != Dialect::kSqlite || !query.sort.empty() || !query.cursor.empty() ||
      query.offset != 0 || query.count <= 0 ||
      (query.total == fhir::search::TotalMode::kEstimate && query.count > query.estimate_cap)) {
    return std::nullopt;
  }
  const std::optional<TokenLookup> lookup =
      direct_token_lookup(query, static_cast<std::size_t>(query.count) + 1);
  if (!lookup) return std::nullopt;
  std::vector<ResourceVersion> rows = run_token_lookup(ps, *lookup);
  if (rows.size() > static_cast<std::size_t>(query.count)) return std::nullopt;
  SearchPage page;
  if (query.total != fhir::search::TotalMode::kNone) {
    page.total = static_cast<std::int64_t>(rows.size());
  }
  page.entries = std::move(rows);
  page.last_cursor =
      encode_cursor(PageCursor{.direction = PageCursor::Direction::kLast, .keys = {}}, signature);
  return page;
}

}  // namespace

Result<SearchPage> run_search_in(PreparedStatements& ps,
                                 const fhir::search::SearchQuery& query_asked,
                                 std::int64_t now_micros) {
  ps.flush_index();  // rows this session wrote and deferred are read too
  using Direction = PageCursor::Direction;
  SearchStatements& cache = ps.searches();
  // Without _sort, a search that bounds a date is in that date's order (default_date_order):
  // run as if asked with that _sort, the cursors included.
  std::optional<fhir::search::SearchQuery> ordered;
  if (const fhir::SearchParamDef* date = default_date_order(query_asked)) {
    ordered = query_asked;
    ordered->sort.push_back(fhir::search::SortKey{.param = date, .descending = false});
  }
  const fhir::search::SearchQuery& query = ordered ? *ordered : query_asked;
  if (!ordered) {
    // Identifier searches, the commonest: one statement when their matches fit on the page.
    if (std::optional<SearchPage> page = direct_first_page(ps, query, sort_signature(query))) {
      return std::move(*page);
    }
  }
  const SearchPlan plan = plan_search(cache, query, ps.tenant, now_micros);
  if (plan.none && query.cursor.empty() && query.clauses.size() == 1) {
    // The lookup of a conditional create or update that finds nothing (a message's new
    // patient, visit, order, results) ends here, uncompiled. One clause only: its probe bound
    // the values the page query would, so no limit the page query checks is passed by.
    SearchPage page;
    if (query.total != fhir::search::TotalMode::kNone) page.total = 0;
    if (query.count > 0) {
      page.last_cursor = encode_cursor(PageCursor{.direction = Direction::kLast, .keys = {}},
                                       sort_signature(query));
    }
    return page;
  }
  SearchSql compiled = compile_search(query, ps.tenant, now_micros, cache.dialect(), plan);
  // Walking (every clause dense), an estimate would read about cap / density rows to count
  // what the page found in (_count + 1) / density: it is not counted, and is known only when
  // the first page holds every match.
  const bool walk = plan.probe && !plan.driver;
  const bool estimate_from_page =
      walk && query.total == fhir::search::TotalMode::kEstimate && query.count > 0;
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
  const std::string from = " FROM " + compiled.from + " WHERE r.deleted = 0";
  SearchPage page;
  // An estimate counts one match past its cap at most: the total when it stays under it, none
  // when it does not.
  const bool estimate = query.total == fhir::search::TotalMode::kEstimate;
  const long long cap = std::max<long long>(query.estimate_cap, 0);
  auto count_total = [&] {
    const long long total =
        plan.none ? 0
        : plan.total
            ? *plan.total
            : count_rows(cache,
                         estimate ? "SELECT COUNT(*) FROM (SELECT 1" + from + compiled.where +
                                        " LIMIT " + std::to_string(cap + 1) + ") AS capped"
                                  : "SELECT COUNT(*)" + from + compiled.where,
                         compiled.values, compiled.where_values);
    if (!estimate || total <= cap) page.total = total;
  };
  // A first page that holds every match tells the estimate itself: counted only when it is full
  // (a walk's estimate is never counted, above).
  const bool first_page = query.cursor.empty() && query.offset == 0;
  const bool count_after = estimate && !plan.total && !estimate_from_page && first_page &&
                           query.count > 0 && query.count <= cap;
  if (query.total != fhir::search::TotalMode::kNone && (plan.total || !estimate_from_page) &&
      !count_after) {
    count_total();
  }
  if (query.count <= 0) return page;
  page.last_cursor =
      encode_cursor(PageCursor{.direction = Direction::kLast, .keys = {}}, signature);
  long long limit = query.count;
  // _offset places the first page only; a cursor names its page itself.
  const long long offset = query.cursor.empty() ? query.offset : 0;
  if (direction == Direction::kLast && page.total) {
    // The last page holds what an offset walk would leave for it.
    limit = *page.total % query.count == 0 ? query.count : *page.total % query.count;
  }
  if (direction == Direction::kAfter && page.total && offset >= *page.total) return page;
  // A conditional create or update of a new resource asks for what does not exist yet: its
  // lookup ends with the driver's count (which is then the total the page would have told).
  if (plan.none) {
    if (count_after) count_total();
    return page;
  }
  const std::vector<SortTerm>& terms = compiled.terms;
  SearchStatement& rows = cache.statement(page_select(compiled), compiled.values,
                                          compiled.values.size(), [&terms](SearchStatement& st) {
                                            bind_row(st);
                                            bind_keys(st, terms);
                                            bind_values(st);
                                            st.statement.exchange(soci::use(st.limit, "lim"));
                                            st.statement.exchange(soci::use(st.offset, "off"));
                                          });
  // One row more than the page: whether another page follows in the direction read.
  rows.limit = limit + 1;
  rows.offset = offset;
  std::vector<std::vector<CursorValue>> row_keys;
  bool more = false;
  run_statement(cache, rows, [&](SearchStatement& st) {
    st.statement.execute(false);
    while (st.statement.fetch()) {
      if (static_cast<long long>(page.entries.size()) == limit) {
        more = true;
        break;
      }
      page.entries.push_back(row_of(st));
      row_keys.push_back(fetched_keys(st));
    }
  });
  if ((estimate_from_page || count_after) && !more && query.cursor.empty() && offset == 0) {
    page.total = static_cast<long long>(page.entries.size());
  } else if (count_after) {
    count_total();
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

Result<std::vector<ResourceVersion>> run_include_in(PreparedStatements& ps,
                                                    const IncludeQuery& query) {
  ps.flush_index();  // rows this session wrote and deferred are read too
  std::vector<ResourceVersion> out;
  if (query.from.empty() || query.directives.empty() || query.limit == 0) return out;
  IncludeSql compiled = compile_include(query, ps.tenant);
  if (compiled.values.size() + 1 > kMaxBoundValues) {
    return Status(Code::kInvalidArgument, "_include / _revinclude too large for the database: " +
                                              std::to_string(compiled.values.size()) +
                                              " distinct values to bind");
  }
  SearchStatements& cache = ps.searches();
  SearchStatement& rows = cache.statement(
      "SELECT r.res_type, r.res_id, r.version, r.last_updated, v.body FROM resource r"
      " JOIN resource_version v ON v.seq = r.seq WHERE r.deleted = 0 AND " +
          compiled.where + " ORDER BY r.res_type, r.res_id LIMIT :lim",
      compiled.values, compiled.values.size(), [](SearchStatement& st) {
        bind_row(st);
        bind_values(st);
        st.statement.exchange(soci::use(st.limit, "lim"));
      });
  rows.limit = static_cast<long long>(query.limit);
  run_statement(cache, rows, [&out](SearchStatement& st) {
    st.statement.execute(false);
    while (st.statement.fetch()) out.push_back(row_of(st));
  });
  return out;
}

Result<std::vector<ResourceVersion>> run_include(SessionPool& pool, const IncludeQuery& query) {
  Result<SessionPool::Lease> lease = pool.acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return run_include_in(statements_of(**lease, pool.url().dialect, TenantScope::current()),
                          query);
  } catch (...) {
    return fail_session(*lease, "include");
  }
}

Result<SearchPage> run_search(SessionPool& pool, const fhir::search::SearchQuery& query,
                              std::int64_t now_micros) {
  Result<SessionPool::Lease> lease = pool.acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return run_search_in(statements_of(**lease, pool.url().dialect, TenantScope::current()), query,
                         now_micros);
  } catch (...) {
    return fail_session(*lease, "search " + (query.resource_type.empty() ? std::string("[base]")
                                                                         : query.resource_type));
  }
}

}  // namespace hearth::storage::detail
