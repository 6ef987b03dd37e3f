#include "storage/sql/page_keyset.h"

#include "storage/sql/sql_builder.h"

namespace hearth::storage::detail {

std::string order_by(const std::vector<SortTerm>& terms, bool backward) {
  std::string out;
  for (const SortTerm& t : terms) {
    if (!out.empty()) out += ", ";
    if (t.nullable) {
      out +=
          "CASE WHEN " + t.expr + " IS NULL THEN 1 ELSE 0 END" + (backward ? " DESC" : "") + ", ";
    }
    out += t.expr + (t.descending != backward ? " DESC" : "");
  }
  return out;
}

namespace {

// The condition "the row sorts after (or, `before`, ahead of) `keys`" over terms [k, end): the
// terms compared one after the other, the first that differs deciding; a row equal on every
// term is neither.
std::string keyset_from(std::vector<SqlValue>& values, const std::vector<SortTerm>& terms,
                        const std::vector<CursorValue>& keys, std::size_t k, bool before) {
  if (k == terms.size()) return "1 = 0";
  const SortTerm& t = terms[k];
  const CursorValue& key = keys[k];
  const std::string rest = keyset_from(values, terms, keys, k + 1, before);
  // A NULL sorts after every value (the IS NULL term comes first).
  if (key.null) {
    return before ? "(" + t.expr + " IS NOT NULL OR (" + t.expr + " IS NULL AND (" + rest + ")))"
                  : "(" + t.expr + " IS NULL AND (" + rest + "))";
  }
  std::string literal;
  switch (key.kind) {
    case KeyKind::kText: {
      SqlValue& v = values.emplace_back();
      v.text = key.text;
      literal = ":" + placeholder_name(values.size() - 1);
      break;
    }
    case KeyKind::kInteger: literal = std::to_string(key.integer); break;
    case KeyKind::kReal: literal = Builder::real_literal(key.real); break;
  }
  const char* op = (t.descending != before) ? " < " : " > ";
  // The last term alone: a plain range the engine can start an index scan from.
  std::string out = k + 1 == terms.size() ? t.expr + op + literal
                                          : "(" + t.expr + op + literal + " OR (" + t.expr + " = " +
                                                literal + " AND (" + rest + ")))";
  if (t.nullable) {
    out = before ? "(" + t.expr + " IS NOT NULL AND " + out + ")"
                 : "(" + t.expr + " IS NULL OR " + out + ")";
  }
  return out;
}

}  // namespace

Status add_keyset(SearchSql& sql, const PageCursor& cursor) {
  const bool before = cursor.direction != PageCursor::Direction::kAfter;
  sql.order_by = order_by(sql.terms, before);
  sql.backward = before;
  if (cursor.direction == PageCursor::Direction::kLast) return Status::ok();
  bool fits = cursor.keys.size() == sql.terms.size();
  for (std::size_t k = 0; fits && k < cursor.keys.size(); ++k) {
    const CursorValue& key = cursor.keys[k];
    fits = key.null ? sql.terms[k].nullable : key.kind == sql.terms[k].kind;
  }
  if (!fits) {
    return Status(Code::kInvalidArgument,
                  "invalid _cursor: it does not fit this search's sort keys (use the paging links "
                  "as the server wrote them)");
  }
  sql.keyset = " AND " + keyset_from(sql.values, sql.terms, cursor.keys, 0, before);
  const SortTerm& first = sql.terms.front();
  if (first.bounds && !cursor.keys.front().null && first.kind == KeyKind::kInteger) {
    // The same bound alone, which the engine reads as where to start its index range.
    sql.keyset += " AND " + first.expr + ((first.descending != before) ? " <= " : " >= ") +
                  std::to_string(cursor.keys.front().integer);
  }
  return Status::ok();
}

std::string page_select(const SearchSql& sql) {
  std::string keys;
  std::string inner_keys;
  std::vector<SortTerm> outer = sql.terms;
  for (std::size_t k = 0; k < outer.size(); ++k) {
    const std::string alias = "pr.k" + std::to_string(k);
    inner_keys += ", " + outer[k].expr + " AS k" + std::to_string(k);
    keys += ", " + alias;
    outer[k].expr = alias;
  }
  return "SELECT c.res_type, c.res_id, c.version, c.last_updated, v.body" + keys +
         " FROM (SELECT r.tenant, r.res_type, r.res_id" + inner_keys + " FROM " + sql.from +
         " WHERE r.deleted = 0" + sql.where + sql.keyset + " ORDER BY " + sql.order_by +
         " LIMIT :lim OFFSET :off) AS pr"
         " JOIN resource c ON c.tenant = pr.tenant AND c.res_type = pr.res_type"
         " AND c.res_id = pr.res_id JOIN resource_version v ON v.seq = c.seq ORDER BY " +
         order_by(outer, sql.backward);
}

}  // namespace hearth::storage::detail
