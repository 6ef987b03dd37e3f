// TokenDateIndexWriter: idx_token_date's rows, one per (single-row date parameter, token code).
#include "storage/sql/token_date_index.h"

#include <algorithm>
#include <span>
#include <string>
#include <unordered_map>

#include "fhir/model.h"
#include "fhir/search/coded_token.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/searchable.h"

namespace hearth::storage::detail {
namespace {

// At most kMaxRows rows per statement (6 values each: 192 parameters).
constexpr std::size_t kMaxRows = 32;

using ParamsByType = std::unordered_map<std::string_view, TokenDateParams>;

ParamsByType build_params() {
  ParamsByType out;
  for (std::string_view type : fhir::resource_types()) {
    TokenDateParams& p = out[type];
    for (const fhir::SearchParamDef* param : fhir::search::searchable_params(type)) {
      if (!fhir::search::is_indexed(*param) ||
          !fhir::search::param_parts(type, param->code).empty()) {
        continue;
      }
      if (param->type == fhir::SearchParamType::kDate && param->code != "_lastUpdated") {
        p.dates.push_back(param->code);
      } else if (fhir::search::is_coded_token(type, param->code)) {
        p.tokens.push_back(param->code);
      }
    }
    std::sort(p.tokens.begin(), p.tokens.end());
    std::sort(p.dates.begin(), p.dates.end());
  }
  return out;
}

bool listed(const std::vector<std::string_view>& codes, std::string_view code) {
  return std::binary_search(codes.begin(), codes.end(), code);
}

// "1, 2, 3": the ids `ids`, for an IN list ("NULL" when there are none: it matches nothing).
std::string id_list(const std::vector<long long>& ids) {
  std::string out;
  for (long long id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out.empty() ? "NULL" : out;
}

}  // namespace

const TokenDateParams& token_date_params(std::string_view resource_type) {
  static const ParamsByType params = build_params();
  static const TokenDateParams none;
  const auto it = params.find(resource_type);
  return it == params.end() ? none : it->second;
}

void fill_token_date_index(soci::session& sql) {
  // The ids of those parameters, for every tenant's copy of them.
  std::vector<long long> token_pids, date_pids;
  {
    long long id = 0;
    std::string type, code;
    soci::statement st = (sql.prepare << "SELECT id, res_type, code FROM search_param",
                          soci::into(id), soci::into(type), soci::into(code));
    st.execute(false);
    while (st.fetch()) {
      const TokenDateParams& p = token_date_params(type);
      if (listed(p.tokens, code)) token_pids.push_back(id);
      if (listed(p.dates, code)) date_pids.push_back(id);
    }
  }
  // One pass over idx_date in key order (`+d.pid`: not through its find index), each
  // resource's token rows through their key; sorted, the rows are appended in the table's order.
  sql << "INSERT OR IGNORE INTO idx_token_date (pid, tpid, code, low, rid, high)"
         " SELECT d.pid, t.pid, t.code, d.low, d.rid, d.high FROM idx_date d"
         " JOIN idx_token t ON t.rid = d.rid AND t.pid IN (" +
             id_list(token_pids) + ") WHERE +d.pid IN (" + id_list(date_pids) +
             ") AND t.code <> '' AND NOT EXISTS"
             " (SELECT 1 FROM idx_date e WHERE e.rid = d.rid AND e.pid = d.pid"
             " AND (e.low <> d.low OR e.high <> d.high))"
             " ORDER BY d.pid, t.pid, t.code, d.low, d.rid";
  // Statistics as step 11's: a store of a million resources (two coded codes per Observation).
  sql << "DELETE FROM sqlite_stat1 WHERE tbl = 'idx_token_date'";
  sql << "INSERT INTO sqlite_stat1 VALUES"
         " ('idx_token_date', 'idx_token_date', '2000000 200000 20000 300 2 1')";
  sql << "ANALYZE sqlite_schema";
}

TokenDateIndexWriter::TokenDateIndexWriter(soci::session& sql, TextArena& text)
    :  // The rows of the keys the resource's date and token rows give, each through the whole
       // key (a row-value IN would read all of a (pid, tpid) pair's rows): the table is in the
       // walk's order, not the resource's.
      find_(sql,
            "SELECT w.pid, w.tpid, w.code, w.low FROM idx_date d"
            " JOIN idx_token t ON t.rid = d.rid JOIN idx_token_date w ON w.pid = d.pid"
            " AND w.tpid = t.pid AND w.code = t.code AND w.low = d.low AND w.rid = d.rid"
            " WHERE d.rid = ?1"),
      delete_(sql,
              "DELETE FROM idx_token_date WHERE pid = ?1 AND tpid = ?2 AND code = ?3"
              " AND low = ?4 AND rid = ?5"),
      // OR IGNORE: one code under two systems (or with two texts) is one row.
      insert_(sql, "idx_token_date", "rid, pid, tpid, code, low, high", 6, kMaxRows),
      text_(text) {}

TokenDateIndexWriter::~TokenDateIndexWriter() = default;

void TokenDateIndexWriter::remove(std::int64_t rid) {
  keys_.clear();
  find_.bind(1, rid);
  find_.step_rows([this](const SqliteStatement::Row& row) {
    keys_.push_back(Key{row.integer(0), row.integer(1), std::string(row.text(2)), row.integer(3)});
  });
  for (const Key& k : keys_) {
    delete_.bind(1, k.pid);
    delete_.bind(2, k.tpid);
    delete_.bind(3, k.code);
    delete_.bind(4, k.low);
    delete_.bind(5, rid);
    delete_.step();
  }
}

void TokenDateIndexWriter::insert(std::int64_t rid, std::string_view resource_type,
                                  const std::vector<fhir::search::TokenIndex>& tokens,
                                  const std::vector<fhir::search::DateIndex>& dates,
                                  const std::function<long long(std::string_view)>& pid_of) {
  if (tokens.empty() || dates.empty()) return;
  const TokenDateParams& params = token_date_params(resource_type);
  coded_.clear();
  for (const fhir::search::TokenIndex& t : tokens) {
    // A text or a system alone has no code to search by.
    if (!t.code.empty() && listed(params.tokens, t.param)) coded_.push_back(&t);
  }
  if (coded_.empty()) return;
  // A resource has few date rows: a parameter's rows are counted by a scan.
  for (std::size_t k = 0; k < dates.size(); ++k) {
    if (!listed(params.dates, dates[k].param)) continue;
    std::size_t rows = 0;
    for (const fhir::search::DateIndex& d : dates) rows += d.param == dates[k].param ? 1 : 0;
    if (rows != 1) continue;  // several rows: the walk never reads this parameter (date_shape.h)
    const long long date_pid = pid_of(dates[k].param);
    for (const fhir::search::TokenIndex* t : coded_) {
      pairs_.push_back(
          Pair{rid, date_pid, pid_of(t->param), text_.keep(t->code), dates[k].low, dates[k].high});
    }
  }
}

void TokenDateIndexWriter::flush() {
  if (pairs_.empty()) return;
  insert_.insert(pairs_.size(), [&](SqliteStatement& st, int& i, std::size_t row) {
    const Pair& p = pairs_[row];
    st.bind(i++, p.rid);
    st.bind(i++, std::int64_t{p.date_pid});
    st.bind(i++, std::int64_t{p.token_pid});
    st.bind(i++, p.code);
    st.bind(i++, p.low);
    st.bind(i++, p.high);
  });
  pairs_.clear();
}

}  // namespace hearth::storage::detail
