// The direct token lookup: one cached statement, the resource rows selected by their index rows.
#include "storage/sql/token_lookup.h"

#include <algorithm>
#include <string>

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

}  // namespace

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
  SearchStatement& st = cache.statement(kLookup, values, values.size(), [](SearchStatement& s) {
    s.statement.exchange(soci::into(s.type));
    s.statement.exchange(soci::into(s.id));
    s.statement.exchange(soci::into(s.version));
    s.statement.exchange(soci::into(s.last_updated));
    s.statement.exchange(soci::into(s.body));
    for (std::size_t k = 0; k < s.values.size(); ++k) {
      s.statement.exchange(soci::use(s.values[k].text, placeholder_name(k)));
    }
    s.statement.exchange(soci::use(s.limit, "lim"));
  });
  st.limit = static_cast<long long>(lookup.limit);
  try {
    st.statement.execute(false);
    while (st.statement.fetch()) {
      ResourceVersion& row = out.emplace_back();
      row.type = st.type;
      row.id = st.id;
      row.version = st.version;
      row.last_updated_micros = st.last_updated;
      row.body = std::move(st.body);
    }
  } catch (...) {
    cache.discard(st);
    throw;
  }
  cache.finish(st);
  // In id order, as the search's first page: which ones come when there are more than the limit
  // differs, but a caller asking `limit` only tells "too many" then.
  std::sort(out.begin(), out.end(),
            [](const ResourceVersion& a, const ResourceVersion& b) { return a.id < b.id; });
  return out;
}

}  // namespace hearth::storage::detail
