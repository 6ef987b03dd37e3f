#include "storage/sql/search_compiler.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <span>
#include <string_view>

#include "fhir/search/composite.h"
#include "fhir/search/full_text.h"
#include "fhir/search/index_values.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/ucum.h"
#include "storage/sql/page_keyset.h"
#include "storage/sql/token_date_index.h"

namespace hearth::storage::detail {
namespace {

using fhir::SearchParamType;
using fhir::search::Modifier;
using fhir::search::Prefix;
using fhir::search::SearchClause;
using fhir::search::SearchValue;

// Every UTF-8 text starting with X sorts below X + U+10FFFF (byte order, the "C" collation):
// a prefix match is then a range scan over the index.
constexpr std::string_view kAfterPrefix = "\xF4\x8F\xBF\xBF";

const char* table_of(SearchParamType type) {
  switch (type) {
    case SearchParamType::kString: return "idx_string";
    case SearchParamType::kToken: return "idx_token";
    case SearchParamType::kDate: return "idx_date";
    case SearchParamType::kNumber: return "idx_number";
    case SearchParamType::kQuantity: return "idx_quantity";
    case SearchParamType::kReference: return "idx_reference";
    case SearchParamType::kUri: return "idx_uri";
    case SearchParamType::kComposite: return "idx_composite";
    default: return nullptr;  // special: never reaches the compiler
  }
}

// "x LIKE pattern" with the LIKE wildcards in `text` escaped.
std::string like_contains(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

std::string prefix_range(Builder& b, const std::string& column, const std::string& prefix) {
  return column + " >= " + b.text(prefix) + " AND " + column + " < " +
         b.text(prefix + std::string(kAfterPrefix));
}

// A date value against a stored range [lo, hi] (search.html#prefix): `lo`/`hi` are columns.
std::string date_condition(Builder& b, const SearchValue& v, const std::string& lo,
                           const std::string& hi, std::int64_t now) {
  auto contained = [&] {
    // lo <= hi in every row: "lo <= high" bounds the index range from above.
    return lo + " >= " + b.integer(v.low) + " AND " + lo + " <= " + b.integer(v.high) + " AND " +
           hi + " <= " + b.integer(v.high);
  };
  switch (v.prefix) {
    case Prefix::kEq: return contained();
    case Prefix::kNe: return "NOT (" + contained() + ")";
    case Prefix::kGt: return hi + " > " + b.integer(v.high);
    case Prefix::kLt: return lo + " < " + b.integer(v.low);
    case Prefix::kGe: return hi + " > " + b.integer(v.high) + " OR (" + contained() + ")";
    case Prefix::kLe: return lo + " < " + b.integer(v.low) + " OR (" + contained() + ")";
    case Prefix::kSa: return lo + " > " + b.integer(v.high);
    case Prefix::kEb: return hi + " < " + b.integer(v.low);
    case Prefix::kAp: {
      // Within 10% of the distance between the value and now, and never narrower than the
      // value's own range.
      const std::int64_t slack = ap_slack(v, now);
      return lo + " <= " + b.integer(v.high + slack) + " AND " + hi +
             " >= " + b.integer(v.low - slack);
    }
  }
  return "1 = 0";
}

// A number value against a stored point `x` (search.html#number).
std::string number_condition(Builder& b, const SearchValue& v, const std::string& x) {
  auto within = [&] {
    return x + " >= " + b.real(v.number_low) + " AND " + x + " < " + b.real(v.number_high);
  };
  switch (v.prefix) {
    case Prefix::kEq: return within();
    case Prefix::kNe: return "NOT (" + within() + ")";
    case Prefix::kGt:
    case Prefix::kSa: return x + " > " + b.real(v.number);
    case Prefix::kLt:
    case Prefix::kEb: return x + " < " + b.real(v.number);
    case Prefix::kGe: return x + " >= " + b.real(v.number);
    case Prefix::kLe: return x + " <= " + b.real(v.number);
    case Prefix::kAp: {
      const double a = v.number * 0.9, c = v.number * 1.1;
      return x + " >= " + b.real(std::min(a, c)) + " AND " + x + " <= " + b.real(std::max(a, c));
    }
  }
  return "1 = 0";
}

std::string token_condition(Builder& b, const SearchClause& clause, const SearchValue& v) {
  if (clause.modifier == Modifier::kText) return prefix_range(b, "i.text", v.folded);
  std::string out;
  if (v.has_system) out = "i.system = " + b.text(v.system);
  if (!v.code.empty() || !v.has_system) {
    if (!out.empty()) out += " AND ";
    out += "i.code = " + b.text(v.code);
  }
  return out;
}

// A reference row's url as written: the row leaves a relative one ("Patient/123") implied by
// its type and id (search_index.h).
constexpr std::string_view kReferenceAsWritten =
    "CASE WHEN i.url = '' AND i.target_id <> '' THEN i.target_type || '/' || i.target_id "
    "ELSE i.url END";

// A reference matched by its url as written (search.html#versions): a canonical searched
// without "|version" matches every version of it, "url|version" only that one.
std::string url_condition(Builder& b, const std::string& url) {
  std::string out = "i.url = " + b.text(url);
  if (url.find('|') != std::string::npos || url.starts_with('#')) return out;
  // Characters, not bytes: substr counts characters on both engines.
  long long chars = 0;
  for (unsigned char c : url) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  return "(" + out + " OR substr(i.url, 1, " + b.integer(chars + 1) + ") = " + b.text(url + "|") +
         ")";
}

std::string value_condition(Builder& b, const SearchClause& clause, const SearchValue& v,
                            std::int64_t now);

// `condition` (columns of the index row `i`) over the row `alias` instead. The conditions this
// file writes name columns as "i.<column>" and hold no other "i." (texts are bound, numbers are
// plain literals), so a whole-word replace is exact.
std::string with_alias(const std::string& condition, const std::string& alias) {
  std::string out;
  for (std::size_t k = 0; k < condition.size(); ++k) {
    const bool word_start =
        k == 0 ||
        !(std::isalnum(static_cast<unsigned char>(condition[k - 1])) || condition[k - 1] == '_');
    if (word_start && condition.compare(k, 2, "i.") == 0) {
      out += alias + ".";
      ++k;
      continue;
    }
    out.push_back(condition[k]);
  }
  return out;
}

// A composite value (fhir/search/composite.h) against idx_composite: the row `i` matches the
// first component, and its group (same rid, pid, grp) holds a row matching each further one,
// found through the table's key (rid, pid, grp, comp). "i.comp = 0" is written as a literal:
// idx_composite_find holds first components only (schema 23), and an engine uses such a
// partial index only for a statement whose own text implies its condition.
std::string composite_condition(Builder& b, const SearchClause& clause, const SearchValue& v,
                                std::int64_t now) {
  const std::span<const fhir::SearchParamDef* const> parts =
      fhir::search::composite_components(*clause.param);
  if (parts.empty() || parts.size() != v.components.size()) return "1 = 0";
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    SearchClause part;
    part.param = parts[k];
    part.code = parts[k]->code;
    const std::string condition = value_condition(b, part, v.components[k], now);
    if (k == 0) {
      out = "i.comp = 0 AND (" + condition + ")";
      continue;
    }
    const std::string c = "c" + std::to_string(k);
    out += " AND EXISTS (SELECT 1 FROM idx_composite " + c + " WHERE " + c + ".rid = i.rid AND " +
           c + ".pid = i.pid AND " + c + ".grp = i.grp AND " + c +
           ".comp = " + b.integer(static_cast<long long>(k)) + " AND (" + with_alias(condition, c) +
           "))";
  }
  return out;
}

std::string value_condition(Builder& b, const SearchClause& clause, const SearchValue& v,
                            std::int64_t now) {
  switch (clause.param->type) {
    case SearchParamType::kComposite: return composite_condition(b, clause, v, now);
    case SearchParamType::kString:
      if (fhir::search::is_phonetic(*clause.param)) {
        return "i.folded IN (SELECT d.folded FROM phonetic_name d WHERE d.sound = " +
               b.text(v.folded) + ")";
      }
      if (clause.modifier == Modifier::kExact) return "i.exact = " + b.text(v.raw);
      if (clause.modifier == Modifier::kContains) {
        return "i.folded LIKE " + b.text(like_contains(v.folded)) + " ESCAPE '\\'";
      }
      return prefix_range(b, "i.folded", v.folded);
    case SearchParamType::kToken: return token_condition(b, clause, v);
    case SearchParamType::kDate: return date_condition(b, v, "i.low", "i.high", now);
    case SearchParamType::kNumber: return number_condition(b, v, "i.value");
    case SearchParamType::kQuantity: {
      std::string out = number_condition(b, v, "i.value");
      if (v.has_system && !v.system.empty()) {
        out = "(" + out + ") AND i.system = " + b.text(v.system);
      } else {
        // Without a system: any row but the canonical ones (fhir/search/ucum.h), whose values
        // are in other units.
        out = "(" + out + ") AND i.system <> " +
              b.text(std::string(fhir::search::kUcumCanonicalSystem));
      }
      if (!v.code.empty()) out = "(" + out + ") AND i.code = " + b.text(v.code);
      return out;
    }
    case SearchParamType::kReference: {
      if (!v.url.empty()) return url_condition(b, v.url);
      std::string out = "i.target_id = " + b.text(v.target_id);
      const std::string& type = !v.target_type.empty() ? v.target_type : clause.target_type;
      if (!type.empty()) out += " AND i.target_type = " + b.text(type);
      return out;
    }
    case SearchParamType::kUri:
      // Case-sensitive on both engines (SQLite's LIKE folds ASCII case, PostgreSQL's does not).
      if (clause.modifier == Modifier::kContains) {
        return "replace(i.uri, " + b.text(v.raw) + ", '') <> i.uri";
      }
      if (clause.modifier == Modifier::kBelow) return prefix_range(b, "i.uri", v.raw);
      if (clause.modifier == Modifier::kAbove) {
        return "substr(CAST(" + b.text(v.raw) + " AS TEXT), 1, length(i.uri)) = i.uri";
      }
      return "i.uri = " + b.text(v.raw);
    default: return "1 = 0";
  }
}

// _id and _lastUpdated live in the resource row itself.
std::string column_clause(Builder& b, const SearchClause& clause, std::int64_t now) {
  if (clause.modifier == Modifier::kMissing) {
    return clause.values.front().missing ? "1 = 0" : "1 = 1";
  }
  std::vector<std::string> any;
  any.reserve(clause.values.size());
  for (const SearchValue& v : clause.values) {
    if (clause.code == "_id") {
      any.push_back("r.res_id = " + b.text(v.code.empty() ? v.raw : v.code));
    } else {
      any.push_back(date_condition(b, v, "r.last_updated", "r.last_updated", now));
    }
  }
  if (clause.modifier == Modifier::kNot) return "NOT " + balanced(any, " OR ");
  return balanced(any, " OR ");
}

// The parameter whose rows a clause reads: its own, or for a phonetic one the type's `name`,
// whose rows hold the spellings (fhir/search/phonetic.h, phonetic_source).
std::string_view rows_code(const SearchClause& clause) {
  return fhir::search::is_phonetic(*clause.param) ? std::string_view("name") : clause.code;
}

// The keys of the resources whose full-text row (text_index.h) holds every word of one of the
// clause's values (_text: in the narrative, _content: anywhere). The words are letters and
// digits only (full_text.h), so they need no escaping inside the match expression, which is
// bound as one text. SQLite: a narrative word is kept as "_word" in the one text of the row,
// and the rows still pending (not yet in the FTS5 index; a thousand at most) are read by
// their words, which are single-space separated, so " word " in " words " finds a whole word.
std::string full_text_ids(Builder& b, const SearchClause& clause) {
  const bool narrative = clause.code == "_text";
  std::vector<std::string> any, pending_any;
  for (const SearchValue& v : clause.values) {
    std::string all;
    std::vector<std::string> pending_all;
    std::size_t from = 0;
    while (from < v.folded.size()) {
      std::size_t to = v.folded.find(' ', from);
      if (to == std::string::npos) to = v.folded.size();
      const std::string word = v.folded.substr(from, to - from);
      if (b.dialect == Dialect::kSqlite) {
        const std::string kept = (narrative ? "_" : "") + word;
        all += (all.empty() ? "\"" : " AND \"") + kept + "\"";
        pending_all.push_back("instr(' ' || p.words || ' ', " + b.text(" " + kept + " ") + ") > 0");
      } else {
        all += (all.empty() ? "'" : " & '") + word + "'";
      }
      from = to + 1;
    }
    any.push_back("(" + all + ")");
    pending_any.push_back("(" + join(pending_all, " AND ") + ")");
  }
  if (b.dialect == Dialect::kSqlite) {
    return "SELECT rowid FROM idx_text WHERE idx_text MATCH " + b.text(join(any, " OR ")) +
           " UNION ALL SELECT p.rid FROM idx_text_pending p WHERE " + join(pending_any, " OR ");
  }
  return std::string("SELECT t.rid FROM idx_text t WHERE t.") +
         (narrative ? "narrative" : "content") + " @@ to_tsquery('simple', " +
         b.text(join(any, " | ")) + ")";
}

// A clause selects the resource keys its index rows match, driven by the table's (pid, value)
// index: "r.rid IN (...)" lets the engine start from the few matching rows instead of
// probing the index once per resource of the type. Negations (:not, :missing=true) select the
// keys that have a matching row and exclude them. IdSet is that selection ("SELECT i.rid
// FROM ...") and whether the clause excludes it.
// A plain clause (its parameter's own rows, no chain, not full-text) also has `probe`: the same
// rows asked for one resource, "EXISTS (... WHERE i.rid = r.rid AND ...)", a point lookup on the
// table's (rid, pid, ...) key (search_compiler.h, SearchPlan).
struct IdSet {
  std::string select;
  std::string probe;
  bool excluded = false;
};

// The keys of `type`'s resources whose own values match the clause (a chain's last link).
std::string own_ids(Builder& b, const SearchClause& clause, const std::string& type,
                    std::int64_t now) {
  if (clause.code == "_id" || clause.code == "_lastUpdated") {
    return "SELECT r.rid FROM resource r WHERE r.tenant = " + b.tenant() +
           " AND r.res_type = " + b.text(type) + " AND r.deleted = 0 AND " +
           column_clause(b, clause, now);
  }
  if (fhir::search::is_full_text(*clause.param)) return full_text_ids(b, clause);
  std::vector<std::string> any;
  any.reserve(clause.values.size());
  for (const SearchValue& v : clause.values) any.push_back(value_condition(b, clause, v, now));
  return std::string("SELECT i.rid FROM ") + table_of(clause.param->type) + " i WHERE " +
         pid_condition(b, type, rows_code(clause)) + " AND " + balanced(any, " OR ");
}

// A chained clause, innermost first: the keys of the last type that match, then at each link
// the keys of the type before it that reach them. Forward (subject:Patient.name): the rows of
// the reference parameter that point at one of those resources. Reverse (_has:Observation:
// patient:...): the resources that those resources' rows point at. Each step is driven by an
// index: idx_reference's (pid, target_id) forward, its rid key reverse.
std::string chained_ids(Builder& b, const SearchClause& clause, const std::string& type,
                        std::int64_t now) {
  std::string ids = own_ids(b, clause, clause.chain.back().type, now);
  for (std::size_t k = clause.chain.size(); k-- > 0;) {
    const fhir::search::ChainLink& link = clause.chain[k];
    const std::string& before = k == 0 ? type : clause.chain[k - 1].type;
    if (!link.reverse) {
      ids = "SELECT i.rid FROM idx_reference i WHERE " +
            pid_condition(b, before, link.param->code) +
            " AND i.target_type = " + b.text(link.type) +
            " AND i.target_id IN (SELECT t.res_id FROM resource t WHERE t.tenant = " + b.tenant() +
            " AND t.res_type = " + b.text(link.type) + " AND t.deleted = 0 AND t.rid IN (" + ids +
            "))";
    } else {
      ids = "SELECT t.rid FROM resource t WHERE t.tenant = " + b.tenant() +
            " AND t.res_type = " + b.text(before) +
            " AND t.deleted = 0 AND t.res_id IN (SELECT i.target_id FROM idx_reference i WHERE " +
            pid_condition(b, link.type, link.param->code) +
            " AND i.target_type = " + b.text(before) + " AND i.rid IN (" + ids + "))";
    }
  }
  return ids;
}

// Whether the clause's last parameter has index rows of its own (not _id / _lastUpdated, which
// live in the resource row, nor full text).
bool own_rows(const SearchClause& clause) {
  return clause.code != "_id" && clause.code != "_lastUpdated" &&
         table_of(clause.param->type) != nullptr && !fhir::search::is_full_text(*clause.param);
}

// A chained clause as a probe of one resource (search_compiler.h, SearchPlan): whether the
// resource of link k's type (k = 0: the searched type), whose key is `rid` and id `res_id` (SQL
// over the enclosing rows; "" when only the key is at hand), matches the links from k on. Each
// link is one correlated EXISTS through an index, so a probe reads a resource's own neighbours,
// never a whole set: forward, the resource's reference rows (idx_reference's key starts with
// rid) and their target's resource row (its key); reverse, the rows pointing at it
// (idx_reference_find: pid, target_id). At the end, the last type's own rows through their key
// (or, for _id, _lastUpdated and full text, their set). Each level names its rows after its
// depth, so an inner alias never hides an outer one.
std::string chain_probe(Builder& b, const SearchClause& clause, const std::string& type,
                        std::size_t k, const std::string& rid, const std::string& res_id,
                        std::int64_t now) {
  const std::string n = std::to_string(k);
  if (k == clause.chain.size()) {
    const std::string& last = clause.chain.back().type;
    if (!own_rows(clause)) return rid + " IN (" + own_ids(b, clause, last, now) + ")";
    std::vector<std::string> any;
    any.reserve(clause.values.size());
    for (const SearchValue& v : clause.values) any.push_back(value_condition(b, clause, v, now));
    const std::string e = "e" + n;
    return std::string("EXISTS (SELECT 1 FROM ") + table_of(clause.param->type) + " " + e +
           " WHERE " + e + ".rid = " + rid + " AND " +
           with_alias(pid_condition(b, last, rows_code(clause)) + " AND " + balanced(any, " OR "),
                      e) +
           ")";
  }
  const fhir::search::ChainLink& link = clause.chain[k];
  const std::string& before = k == 0 ? type : clause.chain[k - 1].type;
  const std::string l = "l" + n;
  if (!link.reverse) {
    const std::string t = "t" + n;
    // The target's row in this tenant (ids repeat across tenants), through resource's key.
    return "EXISTS (SELECT 1 FROM idx_reference " + l + " JOIN resource " + t + " ON " + t +
           ".tenant = " + b.tenant() + " AND " + t + ".res_type = " + l + ".target_type AND " + t +
           ".res_id = " + l + ".target_id WHERE " + l + ".rid = " + rid + " AND " +
           with_alias(pid_condition(b, before, link.param->code), l) + " AND " + l +
           ".target_type = " + b.text(link.type) + " AND " + t + ".deleted = 0 AND " +
           chain_probe(b, clause, type, k + 1, t + ".rid", t + ".res_id", now) + ")";
  }
  // A deleted resource has no index rows: the rows found point from live resources.
  const std::string x = "x" + n;
  const std::string id = !res_id.empty() ? res_id
                                         : "(SELECT " + x + ".res_id FROM resource " + x +
                                               " WHERE " + x + ".rid = " + rid + ")";
  return "EXISTS (SELECT 1 FROM idx_reference " + l + " WHERE " +
         with_alias(pid_condition(b, link.type, link.param->code), l) + " AND " + l +
         ".target_type = " + b.text(before) + " AND " + l + ".target_id = " + id + " AND " +
         chain_probe(b, clause, type, k + 1, l + ".rid", "", now) + ")";
}

// `types`: the searched types (search_types); a chain starts from the one `type`. `as_probe`:
// the probe form is wanted (a probe_clauses clause that does not drive), else the set. `outer`:
// the key a plain clause's probe asks about (the resource row's, or a driver row's).
IdSet clause_ids(Builder& b, const SearchClause& clause, const std::string& type,
                 const std::vector<std::string>& types, std::int64_t now, bool as_probe = false,
                 const std::string& outer = "r.rid") {
  IdSet out;
  if (!clause.chain.empty()) {
    // Only the form used is written: its values are the statement's.
    if (as_probe) {
      out.probe = chain_probe(b, clause, type, 0, "r.rid", "r.res_id", now);
    } else {
      out.select = chained_ids(b, clause, type, now);
    }
    return out;
  }
  if (fhir::search::is_full_text(*clause.param)) {
    out.select = full_text_ids(b, clause);
    return out;
  }
  const char* table = table_of(clause.param->type);
  std::string condition = pid_condition(b, types, rows_code(clause));
  if (clause.modifier == Modifier::kMissing) {
    out.excluded = clause.values.front().missing;
    // Only first components are indexed for search (schema 23), and every group has one.
    if (clause.param->type == SearchParamType::kComposite) condition += " AND i.comp = 0";
  } else {
    std::vector<std::string> any;
    any.reserve(clause.values.size());
    for (const SearchValue& v : clause.values) any.push_back(value_condition(b, clause, v, now));
    condition += " AND " + balanced(any, " OR ");
    out.excluded = clause.modifier == Modifier::kNot;
  }
  out.select = std::string("SELECT i.rid FROM ") + table + " i WHERE " + condition;
  out.probe = std::string("EXISTS (SELECT 1 FROM ") + table + " i WHERE i.rid = " + outer +
              " AND " + condition + ")";
  return out;
}

// The rows of `range` (DateRange) that meet every one of its clauses, as one range of
// idx_date_find: the parameter, then `low` between the range's bounds; columns of the row `i`.
std::string range_condition(Builder& b, const fhir::search::SearchQuery& query,
                            const DateRange& range, const std::vector<std::string>& types,
                            std::int64_t now) {
  const SearchClause& first = query.clauses[range.clauses.front()];
  std::string condition = pid_condition(b, types, first.code) +
                          " AND i.low >= " + b.integer(range.low_min) +
                          " AND i.low <= " + b.integer(range.low_max);
  for (std::size_t k : range.clauses) {
    const SearchClause& clause = query.clauses[k];
    condition += " AND (" + value_condition(b, clause, clause.values.front(), now) + ")";
  }
  return condition;
}

// The keys of the resources with a row that meets every clause of `range` (range_condition).
// Its probe: such a row of the resource `outer`, through the table's key.
IdSet range_ids(Builder& b, const fhir::search::SearchQuery& query, const DateRange& range,
                const std::vector<std::string>& types, std::int64_t now,
                const std::string& outer = "r.rid") {
  const std::string condition = range_condition(b, query, range, types, now);
  IdSet out;
  out.select = "SELECT i.rid FROM idx_date i WHERE " + condition;
  out.probe = "EXISTS (SELECT 1 FROM idx_date i WHERE i.rid = " + outer + " AND " + condition + ")";
  return out;
}

// Whether the clause may be a probe (probe_clauses): a plain index clause (its parameter's own
// rows), or a chain (whatever its last parameter).
bool probeable(const SearchClause& clause) {
  if (!clause.chain.empty()) return !clause.values.empty();
  return own_rows(clause) && !(clause.values.empty() && clause.modifier != Modifier::kMissing);
}

// Up to this many index clauses, each is its own "r.rid [NOT] IN (...)" (the shape the
// planners handle best for ordinary queries). Beyond it PostgreSQL plans one semi-join per
// clause and its join search grows much faster than linearly (100 clauses: seconds of planning),
// so the sets are combined first: IN (a INTERSECT b ...) and NOT IN (x UNION y ...).
constexpr std::size_t kSeparateIdSets = 8;

// The sort term of one key: the smallest (ascending) or largest (descending) indexed value.
SortTerm sort_term(Builder& b, const std::vector<std::string>& types,
                   const fhir::search::SortKey& key) {
  const std::string_view code = key.param->code;
  SortTerm term{.expr = "r.res_id", .descending = key.descending, .kind = KeyKind::kText};
  if (code == "_id") return term;
  if (code == "_lastUpdated") {
    term.expr = "r.last_updated";
    term.kind = KeyKind::kInteger;
    return term;
  }
  // The sorted value of a row. A token row with only a text (a CodeableConcept's text) has no
  // code to sort by; a reference sorts by its url as written, which a relative one leaves
  // implied (search_index.h).
  std::string of;
  switch (key.param->type) {
    case SearchParamType::kString: of = "i.folded"; break;
    case SearchParamType::kToken: of = "NULLIF(i.code, '')"; break;
    case SearchParamType::kDate:
      of = key.descending ? "i.high" : "i.low";
      term.kind = KeyKind::kInteger;
      break;
    case SearchParamType::kNumber:
    case SearchParamType::kQuantity:
      of = "i.value";
      term.kind = KeyKind::kReal;
      break;
    case SearchParamType::kReference: of = kReferenceAsWritten; break;
    case SearchParamType::kUri: of = "i.uri"; break;
    default: return term;
  }
  // Quantities sort by their values as written, not by their canonical rows (other units).
  const std::string canonical =
      key.param->type == SearchParamType::kQuantity
          ? " AND i.system <> " + b.text(std::string(fhir::search::kUcumCanonicalSystem))
          : std::string();
  term.expr = std::string("(SELECT ") + (key.descending ? "MAX" : "MIN") + "(" + of + ") FROM " +
              table_of(key.param->type) + " i WHERE i.rid = r.rid AND " +
              pid_condition(b, types, code) + canonical + ")";
  term.nullable = true;
  return term;
}

// " = id" or " IN (ids...)" of a compartment filter.
std::string id_match(Builder& b, const fhir::search::CompartmentFilter& c) {
  if (c.ids.empty()) return " = " + b.text(c.id);
  std::string out = " IN (";
  for (std::size_t i = 0; i < c.ids.size(); ++i) out += (i == 0 ? "" : ", ") + b.text(c.ids[i]);
  return out + ")";
}

// Compartment search: a reference row of one of the parameters pointing at the compartment's
// resource (idx_reference_find: (pid, target_id)), or, for "{def}", that resource itself.
std::string compartment_condition(Builder& b, const fhir::search::SearchQuery& query) {
  const fhir::search::CompartmentFilter& c = *query.compartment;
  std::vector<std::string> any;
  if (!c.params.empty()) {
    std::vector<std::string> pids;
    for (const fhir::SearchParamDef* param : c.params) {
      pids.push_back(pid_condition(b, query.resource_type, param->code));
    }
    if (c.any_member) {
      // Correlated on the row's own key (idx_reference's primary key starts with rid), so a
      // keyset page reads only its rows' references, not every reference of the parameters.
      any.push_back("EXISTS (SELECT 1 FROM idx_reference i WHERE i.rid = r.rid AND (" +
                    balanced(pids, " OR ") + ") AND i.target_type = " + b.text(c.type) + ")");
    } else {
      any.push_back("r.rid IN (SELECT i.rid FROM idx_reference i WHERE " + balanced(pids, " OR ") +
                    " AND i.target_type = " + b.text(c.type) + " AND i.target_id" + id_match(b, c) +
                    ")");
    }
  }
  if (c.self) any.push_back(c.any_member ? std::string("1 = 1") : "r.res_id" + id_match(b, c));
  return balanced(any, " OR ");
}

}  // namespace

std::vector<std::size_t> probe_clauses(const fhir::search::SearchQuery& query) {
  std::vector<std::size_t> out;
  std::size_t index_clauses = 0;
  for (std::size_t k = 0; k < query.clauses.size(); ++k) {
    const SearchClause& clause = query.clauses[k];
    if (clause.values.empty() && clause.modifier != Modifier::kMissing) continue;
    if (!clause.chain.empty() || (clause.code != "_id" && clause.code != "_lastUpdated" &&
                                  table_of(clause.param->type) != nullptr)) {
      ++index_clauses;
    }
    if (!probeable(clause)) continue;
    const bool excluded = clause.modifier == Modifier::kNot ||
                          (clause.modifier == Modifier::kMissing && clause.values.front().missing);
    if (!excluded) out.push_back(k);
  }
  if (index_clauses > kSeparateIdSets || query.compartment) out.clear();
  return out;
}

std::optional<std::size_t> token_date_clause(const fhir::search::SearchQuery& query,
                                             const std::vector<std::size_t>& candidates) {
  if (query.resource_type.empty() && query.types.size() != 1) return std::nullopt;
  const std::string& type = query.resource_type.empty() ? query.types.front() : query.resource_type;
  // Only those idx_token_date holds rows of.
  const std::vector<std::string_view>& paired = token_date_params(type).tokens;
  for (std::size_t k : candidates) {
    const SearchClause& c = query.clauses[k];
    if (c.param != nullptr && c.param->type == SearchParamType::kToken && c.chain.empty() &&
        c.modifier == Modifier::kNone && c.values.size() == 1 && !c.values.front().code.empty() &&
        own_rows(c) && std::binary_search(paired.begin(), paired.end(), c.code)) {
      return k;
    }
  }
  return std::nullopt;
}

ProbeSql compile_probe(const fhir::search::SearchQuery& query, std::string_view tenant,
                       std::size_t clause, std::int64_t now_micros, long long cap, bool chain_end,
                       const DateRange* range) {
  Builder b(tenant);
  const std::vector<std::string> types =
      query.resource_type.empty() ? query.types : std::vector<std::string>{query.resource_type};
  const SearchClause& c = query.clauses[clause];
  IdSet ids;
  const bool ranged = range != nullptr && range->clauses.front() == clause;
  if (ranged) {
    ids = range_ids(b, query, *range, types, now_micros);
  } else if (chain_end && !c.chain.empty()) {
    ids.select = own_ids(b, c, c.chain.back().type, now_micros);
  } else {
    ids = clause_ids(b, c, query.resource_type, types, now_micros);
  }
  // A date range after a value ("hi > x") is no range of the (pid, low, high) index: read from
  // the latest `low` down, where such rows are, so the count reaches its cap early.
  const bool after =
      !ranged && c.param->type == SearchParamType::kDate && types.size() == 1 &&
      fhir::search::param_parts(types.front(), c.code).empty() && c.modifier == Modifier::kNone &&
      std::all_of(c.values.begin(), c.values.end(), [](const SearchValue& v) {
        return v.prefix == Prefix::kGt || v.prefix == Prefix::kGe || v.prefix == Prefix::kSa;
      });
  ProbeSql out;
  // A plain clause's count is of resources, not rows (a resource may have several matching
  // rows): the search's total when the clause is all it asks (SearchPlan::total). The distinct
  // keys are counted up to the cap. For one value of a token (or any equality on the `_find`
  // index's columns) the rows come in key order, so SQLite drops duplicates as they pass, with
  // no temporary b-tree: less than half the instructions of counting the rows and their distinct
  // keys side by side (about 1k against 2.4k a row).
  const std::string ordered = ids.select + (after ? " ORDER BY i.low DESC" : "");
  const std::string limit = " LIMIT " + std::to_string(cap + 1);
  out.text = c.chain.empty() ? "SELECT COUNT(*) FROM (SELECT DISTINCT rid FROM (" + ordered + ")" +
                                   limit + ") AS probe"
                             : "SELECT COUNT(*) FROM (" + ordered + limit + ") AS probe";
  out.values = std::move(b.values);
  return out;
}

SearchSql compile_search(const fhir::search::SearchQuery& query, std::string_view tenant,
                         std::int64_t now_micros, Dialect dialect, const SearchPlan& plan) {
  Builder b(tenant, dialect);
  SearchSql out;
  // A type search covers its type whatever `types` says; a system search its `types` (all
  // when empty).
  const std::vector<std::string> types =
      query.resource_type.empty() ? query.types : std::vector<std::string>{query.resource_type};
  // The tenant's condition stays outside the balanced tree: it adds no nesting, and SQLite's
  // parser stack bounds how deep the longest chains may nest.
  const std::string tenant_condition = " AND r.tenant = " + b.tenant();
  std::vector<std::string> all;  // conditions on r
  if (types.size() == 1) {
    all.push_back("r.res_type = " + b.text(types.front()));
  } else if (!types.empty()) {
    std::vector<std::string> names;
    for (const std::string& type : types) names.push_back(b.text(type));
    all.push_back("r.res_type IN (" + join(names, ", ") + ")");
  }
  std::vector<std::string> required, excluded;
  // With a driver, the plain probes are asked of its rows ("dr") inside its selection, so that
  // only the resources that pass them are looked up (not every row of the driver's set).
  std::string driver;
  std::vector<std::string> pushed;
  auto in_range = [&](std::size_t k) {
    return plan.range && std::find(plan.range->clauses.begin(), plan.range->clauses.end(), k) !=
                             plan.range->clauses.end();
  };
  // A date walk reads the range's rows ("w") in their index order and joins each one's
  // resource: the range's clauses are conditions on the row, the plain probes ask about its key.
  const bool date_walk = plan.date_walk && plan.range && !plan.driver;
  if (date_walk) {
    out.from = "idx_date w CROSS JOIN resource r";
    all.push_back(with_alias(range_condition(b, query, *plan.range, types, now_micros), "w"));
    if (plan.walk_token) {
      // The same rows, those with the token's code only (token_date_index.h).
      const SearchClause& token = query.clauses[*plan.walk_token];
      out.from = "idx_token_date w CROSS JOIN resource r";
      all.push_back("w.tpid = (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() +
                    " AND p.res_type = " + b.text(types.front()) +
                    " AND p.code = " + b.text(std::string(token.code)) +
                    ") AND w.code = " + b.text(token.values.front().code));
    }
    all.emplace_back("r.rid = w.rid");
  }
  for (std::size_t k = 0; k < query.clauses.size(); ++k) {
    const SearchClause& clause = query.clauses[k];
    if (clause.values.empty() && clause.modifier != Modifier::kMissing) continue;
    if (clause.chain.empty() && (clause.code == "_id" || clause.code == "_lastUpdated")) {
      all.push_back(column_clause(b, clause, now_micros));
    } else if (table_of(clause.param->type) == nullptr) {
      all.emplace_back("1 = 0");
    } else if (in_range(k) && (date_walk || plan.range->clauses.front() != k)) {
      continue;  // the range's first clause (or the walked row) meets it too (DateRange)
    } else {
      const bool as_probe = plan.probe && plan.driver != k && probeable(clause);
      const bool push = as_probe && plan.driver && clause.chain.empty();
      const std::string outer = push ? "dr.rid" : date_walk ? "w.rid" : "r.rid";
      IdSet ids = in_range(k) ? range_ids(b, query, *plan.range, types, now_micros, outer)
                              : clause_ids(b, clause, query.resource_type, types, now_micros,
                                           as_probe, outer);
      if (as_probe && !ids.probe.empty()) {
        (push ? pushed : all).push_back(ids.excluded ? "NOT " + ids.probe : ids.probe);
      } else if (plan.driver == k) {
        driver = std::move(ids.select);
      } else {
        (ids.excluded ? excluded : required).push_back(std::move(ids.select));
      }
    }
  }
  if (!driver.empty()) {
    required.push_back(pushed.empty() ? driver
                                      : "SELECT dr.rid FROM (" + driver + ") AS dr WHERE " +
                                            balanced(pushed, " AND "));
  }
  if (query.compartment) all.push_back(compartment_condition(b, query));
  if (plan.probe || required.size() + excluded.size() <= kSeparateIdSets) {
    for (const std::string& s : required) all.push_back("r.rid IN (" + s + ")");
    for (const std::string& s : excluded) all.push_back("r.rid NOT IN (" + s + ")");
  } else {
    // Bare SELECTs: SQLite accepts no parentheses around the members of a compound.
    if (!required.empty()) all.push_back("r.rid IN (" + join(required, " INTERSECT ") + ")");
    if (!excluded.empty()) all.push_back("r.rid NOT IN (" + join(excluded, " UNION ") + ")");
  }
  out.where = tenant_condition;
  if (!all.empty()) out.where += " AND " + balanced(all, " AND ");
  out.where_values = b.values.size();
  for (const fhir::search::SortKey& key : query.sort) out.terms.push_back(sort_term(b, types, key));
  if (date_walk) {
    // The planner walks only for one ascending key of the range's parameter: its value is the
    // walked row's `low` (the parameter's one row; never NULL, the row matched).
    out.terms.front() = SortTerm{.expr = "w.low", .kind = KeyKind::kInteger, .bounds = true};
  }
  // Without _sort: by id, the resource table's own key order (no sort step). Server-assigned ids
  // are time-ordered, so this is creation order for created resources. Ids are unique within a
  // type only: a search of several types orders equal ids by type.
  out.terms.push_back(SortTerm{.expr = "r.res_id", .descending = false, .kind = KeyKind::kText});
  if (types.size() != 1) {
    out.terms.push_back(
        SortTerm{.expr = "r.res_type", .descending = false, .kind = KeyKind::kText});
  }
  out.order_by = order_by(out.terms, false);
  out.values = std::move(b.values);
  return out;
}

}  // namespace hearth::storage::detail
