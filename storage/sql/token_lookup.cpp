// The direct token lookup: one cached statement, the resource rows selected by their index rows.
#include "storage/sql/token_lookup.h"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>

#include "storage/sql/search_statements.h"

namespace hearth::storage::detail {
namespace {

// The rows are read as a search's page query reads them (the resource row, its current version's
// body). The index rows drive (CROSS JOIN keeps SQLite from scanning the type's resources in id
// order instead); a resource with two equal rows (an identifier repeated) is one match, hence
// DISTINCT. No ORDER BY, which would let SQLite pick that scan again: the caller sorts.
constexpr const char* kLookup =
    "SELECT r.res_type, r.res_id, r.version, r.last_updated, v.body FROM"
    " (SELECT DISTINCT i.rid FROM idx_token i WHERE i.pid ="
    " (SELECT p.id FROM search_param p WHERE p.tenant = :b1 AND p.res_type = :b2 AND p.code = :b3)"
    " AND i.code = :b4 AND i.system = :b5) AS m"
    " CROSS JOIN resource r JOIN resource_version v ON v.seq = r.seq"
    " WHERE r.rid = m.rid AND r.tenant = :b1 AND r.res_type = :b2 AND r.deleted = 0"
    " LIMIT :lim";

// The batched form: the rows of several codes of one parameter, each with the value it matched
// (the system is compared by the caller: one probe of idx_token_find per code either way).
constexpr const char* kBatchHead =
    "SELECT m.code, m.system, r.res_type, r.res_id, r.version, r.last_updated, v.body FROM"
    " (SELECT DISTINCT i.rid, i.code, i.system FROM idx_token i WHERE i.pid ="
    " (SELECT p.id FROM search_param p WHERE p.tenant = :b1 AND p.res_type = :b2 AND p.code = :b3)"
    " AND i.code IN (";
constexpr const char* kBatchTail =
    ")) AS m"
    " CROSS JOIN resource r JOIN resource_version v ON v.seq = r.seq"
    " WHERE r.rid = m.rid AND r.tenant = :b1 AND r.res_type = :b2 AND r.deleted = 0"
    " LIMIT :lim";

// Binds what both statements read after their own columns (the resource row and body) and what
// they bind (the values in placeholder order, then the limit).
void exchange_rows(SearchStatement& s) {
  bind_row(s);
  for (std::size_t k = 0; k < s.values.size(); ++k) {
    s.statement.exchange(soci::use(s.values[k].text, placeholder_name(k)));
  }
  s.statement.exchange(soci::use(s.limit, "lim"));
}

// The statement of `codes` placeholders.
std::string batch_text(std::size_t codes) {
  std::string text = kBatchHead;
  for (std::size_t k = 0; k < codes; ++k) {
    if (k > 0) text += ", ";
    text += ':';
    text += placeholder_name(3 + k);
  }
  return text + kBatchTail;
}

// Answers `lookups` (of one type and parameter, 2 to kBatchCodes of them, each with a limit)
// into `out` (theirs, in the same order) with one statement, or returns false when it found
// more rows than the limits add up to (some lookup's answer may then be cut short).
bool run_batch(PreparedStatements& ps, std::span<const TokenLookup* const> lookups,
               std::span<std::vector<ResourceVersion>* const> out) {
  // Padded to a power of two with the last code repeated, so that a few statement texts serve
  // every batch size.
  std::size_t codes = 2;
  while (codes < lookups.size()) codes *= 2;
  std::vector<SqlValue> values(3 + codes);
  values[0].text = ps.tenant;
  values[1].text = std::string(lookups.front()->type);
  values[2].text = std::string(lookups.front()->param);
  long long total = 0;
  for (std::size_t k = 0; k < codes; ++k) {
    values[3 + k].text = std::string(lookups[std::min(k, lookups.size() - 1)]->code);
  }
  for (const TokenLookup* lookup : lookups) total += static_cast<long long>(lookup->limit);
  SearchStatements& cache = ps.searches();
  SearchStatement& st =
      cache.statement(batch_text(codes), values, values.size(), [](SearchStatement& s) {
        s.statement.exchange(soci::into(s.code));
        s.statement.exchange(soci::into(s.system));
        exchange_rows(s);
      });
  st.limit = total + 1;
  long long rows = 0;
  try {
    st.statement.execute(false);
    while (st.statement.fetch()) {
      ++rows;
      ResourceVersion* first = nullptr;
      for (std::size_t k = 0; k < lookups.size(); ++k) {
        if (lookups[k]->code != st.code || lookups[k]->system != st.system) continue;
        if (first != nullptr) {  // two lookups of one value: each gets the row
          out[k]->push_back(*first);
          continue;
        }
        first = &out[k]->emplace_back(row_of(st));
      }
    }
  } catch (...) {
    cache.discard(st);
    throw;
  }
  cache.finish(st);
  return rows <= total;
}

// In id order, as the search's first page, and at most `limit`: which ones come when there
// are more differs, but a caller asking `limit` only tells "too many" then.
void settle(std::vector<ResourceVersion>& found, std::size_t limit) {
  std::sort(found.begin(), found.end(),
            [](const ResourceVersion& a, const ResourceVersion& b) { return a.id < b.id; });
  if (found.size() > limit) found.resize(limit);
}

}  // namespace

std::vector<std::vector<ResourceVersion>> run_token_lookups(PreparedStatements& ps,
                                                            std::span<const TokenLookup> lookups) {
  std::vector<std::vector<ResourceVersion>> out(lookups.size());
  // The lookups by (type, parameter), each group in the order the lookups came.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < lookups.size(); ++i) {
    if (lookups[i].limit > 0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(lookups[a].type, lookups[a].param) <
           std::tie(lookups[b].type, lookups[b].param);
  });
  // SQLite answers a lookup in-process, and an IN list of two or three codes costs it more (the
  // list becomes a temporary b-tree) than the statements it saves. PostgreSQL answers lookup by
  // lookup: without statistics on a young store its planner walks the type's every resource for
  // the IN list (measured: an ORU^R01 ingest 17% slower), which the one-value statement escapes.
  const std::size_t fewest =
      ps.dialect == Dialect::kSqlite ? 4 : std::numeric_limits<std::size_t>::max();
  std::vector<const TokenLookup*> group;
  std::vector<std::vector<ResourceVersion>*> answers;
  for (std::size_t g = 0; g < order.size();) {
    std::size_t end = g + 1;
    while (end < order.size() && end - g < kBatchCodes &&
           lookups[order[end]].type == lookups[order[g]].type &&
           lookups[order[end]].param == lookups[order[g]].param) {
      ++end;
    }
    if (end - g < fewest) {
      for (std::size_t k = g; k < end; ++k) out[order[k]] = run_token_lookup(ps, lookups[order[k]]);
      g = end;
      continue;
    }
    group.clear();
    answers.clear();
    for (std::size_t k = g; k < end; ++k) {
      group.push_back(&lookups[order[k]]);
      answers.push_back(&out[order[k]]);
    }
    ps.flush_index_tokens();  // rows this session wrote and deferred are read too
    if (run_batch(ps, group, answers)) {
      for (std::size_t k = g; k < end; ++k) settle(out[order[k]], lookups[order[k]].limit);
    } else {
      for (std::size_t k = g; k < end; ++k) out[order[k]] = run_token_lookup(ps, lookups[order[k]]);
    }
    g = end;
  }
  return out;
}

std::vector<ResourceVersion> run_token_lookup(PreparedStatements& ps, const TokenLookup& lookup) {
  ps.flush_index_tokens();  // rows this session wrote and deferred are read too
  std::vector<ResourceVersion> out;
  if (lookup.limit == 0) return out;
  std::vector<SqlValue> values(5);
  values[0].text = ps.tenant;
  values[1].text = std::string(lookup.type);
  values[2].text = std::string(lookup.param);
  values[3].text = std::string(lookup.code);
  values[4].text = std::string(lookup.system);
  SearchStatements& cache = ps.searches();
  SearchStatement& st = cache.statement(kLookup, values, values.size(), exchange_rows);
  st.limit = static_cast<long long>(lookup.limit);
  try {
    st.statement.execute(false);
    while (st.statement.fetch()) {
      out.push_back(row_of(st));
    }
  } catch (...) {
    cache.discard(st);
    throw;
  }
  cache.finish(st);
  settle(out, lookup.limit);
  return out;
}

}  // namespace hearth::storage::detail
