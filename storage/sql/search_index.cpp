#include "storage/sql/search_index.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <utility>

#include "fhir/json.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/searchable.h"
#include "storage/sql/prepare_statement.h"
#include "storage/sql/sqlite_statement.h"

namespace hearth::storage::detail {
namespace {

using soci::use;

constexpr std::array<const char*, 7> kTables = {"idx_string", "idx_token",    "idx_date",
                                                "idx_number", "idx_quantity", "idx_reference",
                                                "idx_uri"};

// The value columns of each table (after rid, pid), in kTables order.
enum class Col { kText1, kText2, kText3, kLow, kHigh, kReal };
struct TableColumns {
  const char* names;
  std::vector<Col> cols;
};
const std::array<TableColumns, 7>& table_columns() {
  static const std::array<TableColumns, 7> columns = {{
      {"folded, exact", {Col::kText1, Col::kText2}},
      {"system, code, text", {Col::kText1, Col::kText2, Col::kText3}},
      {"low, high", {Col::kLow, Col::kHigh}},
      {"value", {Col::kReal}},
      {"value, system, code", {Col::kReal, Col::kText1, Col::kText2}},
      {"target_type, target_id, url", {Col::kText1, Col::kText2, Col::kText3}},
      {"uri", {Col::kText1}},
  }};
  return columns;
}

// idx_token's place in kTables.
constexpr std::size_t kTokenTable = 1;

// SQLite inserts at most kMaxRows rows per statement (5 values each: 160 parameters).
constexpr std::size_t kMaxRows = 32;

// A reference row's url when it only repeats the row's type and id ("Patient/123", the usual
// relative reference): '' (search_index.h). Not a null pointer: SQLite binds that as NULL.
constexpr std::string_view kImpliedUrl = "";

bool url_repeats_target(const fhir::search::ReferenceIndex& r) {
  const std::string_view url = r.url, type = r.target_type, id = r.target_id;
  return !id.empty() && url.size() == type.size() + 1 + id.size() && url.starts_with(type) &&
         url[type.size()] == '/' && url.ends_with(id);
}

}  // namespace

// One row's values, whichever table it goes to.
struct IndexWriter::Row {
  std::string_view param, text1, text2, text3;
  long long low = 0, high = 0;
  double real = 0;
};

struct IndexWriter::Deferred {
  std::int64_t rid, pid;
  Row row;
};

namespace {

using Row = IndexWriter::Row;

// PostgreSQL array literals: {"a","b\"c"} for text, {1,2.5} for numbers.
void append_text_element(std::string& array, std::string_view value) {
  array += array.size() > 1 ? ",\"" : "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') array.push_back('\\');
    array.push_back(c);
  }
  array.push_back('"');
}

template <typename Number>
void append_number_element(std::string& array, Number value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (array.size() > 1) array.push_back(',');
  array.append(buffer, ec == std::errc() ? end : buffer);
}

}  // namespace

IndexWriter::IndexWriter(soci::session& sql, Dialect dialect, const std::string& tenant)
    : sql_(sql),
      dialect_(dialect),
      tenant_(tenant),
      composite_(sql, dialect, tenant, deferred_text_),
      phonetic_(sql, dialect),
      text_(sql, dialect, tenant, deferred_text_) {
  if (dialect_ == Dialect::kSqlite) {
    rid_lookup_ = std::make_unique<SqliteStatement>(
        sql, "SELECT rid FROM resource WHERE tenant = ?1 AND res_type = ?2 AND res_id = ?3");
    date_shape_ = std::make_unique<DateShapeWriter>(sql);
    token_dates_ = std::make_unique<TokenDateIndexWriter>(sql, deferred_text_);
  }
  for (std::size_t t = 0; t < kTables.size(); ++t) {
    const TableColumns& columns = table_columns()[t];
    if (dialect_ == Dialect::kSqlite) {
      sqlite_deletes_.push_back(std::make_unique<SqliteStatement>(
          sql, std::string("DELETE FROM ") + kTables[t] + " WHERE rid = ?1"));
      sqlite_inserts_.push_back(std::make_unique<MultiRowInsert>(
          sql, kTables[t], std::string("rid, pid, ") + columns.names, columns.cols.size() + 2,
          kMaxRows));
      continue;
    }
    // PostgreSQL finds the resource's key inside each statement.
    const std::string rid_sql =
        "(SELECT rid FROM resource WHERE tenant = :p0 AND res_type = :p1 AND res_id = :p2)";
    auto del = std::make_unique<soci::statement>(sql);
    del->exchange(use(tenant_));
    del->exchange(use(type_));
    del->exchange(use(id_));
    prepare_statement(*del, std::string("DELETE FROM ") + kTables[t] + " WHERE rid = " + rid_sql);
    deletes_.push_back(std::move(del));
  }
  if (dialect_ == Dialect::kPostgresql) prepare_pg_insert();
  load_params();
}

std::vector<std::string> IndexWriter::pg_bind_inserts(soci::statement& st, int& next) {
  std::vector<std::string> inserts;
  for (std::size_t t = 0; t < kTables.size(); ++t) {
    const TableColumns& columns = table_columns()[t];
    PgArrays& arrays = pg_arrays_[t];
    arrays.cols.resize(columns.cols.size());
    st.exchange(use(arrays.pid));
    std::string unnest = "CAST(:p" + std::to_string(next++) + " AS INTEGER[])";
    for (std::size_t c = 0; c < columns.cols.size(); ++c) {
      const Col col = columns.cols[c];
      st.exchange(use(arrays.cols[c]));
      const char* array_type = col == Col::kReal                       ? "DOUBLE PRECISION[]"
                               : col == Col::kLow || col == Col::kHigh ? "BIGINT[]"
                                                                       : "TEXT[]";
      unnest += ", CAST(:p" + std::to_string(next++) + " AS " + array_type + ")";
    }
    inserts.push_back(std::string("INSERT INTO ") + kTables[t] + " (rid, pid, " + columns.names +
                      ") SELECT r.rid, u.* FROM r, unnest(" + unnest + ") AS u");
  }
  composite_.pg_bind(st);
  inserts.push_back(CompositeIndexWriter::pg_insert_sql(next));
  text_.pg_bind(st);
  inserts.push_back(TextIndexWriter::pg_insert_sql(next));
  return inserts;
}

// PostgreSQL: one statement inserts a resource's rows into every table (each table's insert a
// data-modifying CTE over its arrays; an empty array inserts nothing), idx_composite's and the
// full-text row too, so a write costs one round trip for its index rows rather than one per
// table. The resource's key is found once, in `r`. (A new resource's rows go in with its
// resource row instead: PreparedStatements::insert_first_version.)
void IndexWriter::prepare_pg_insert() {
  pg_insert_ = std::make_unique<soci::statement>(sql_);
  soci::statement& ins = *pg_insert_;
  ins.exchange(use(tenant_));
  ins.exchange(use(type_));
  ins.exchange(use(id_));
  int n = 3;
  const std::vector<std::string> inserts = pg_bind_inserts(ins, n);
  std::string text =
      "WITH r AS (SELECT rid FROM resource WHERE tenant = :p0 AND res_type = :p1"
      " AND res_id = :p2)";
  // The last insert is the statement itself, the others CTEs before it.
  const std::span<const std::string> all(inserts);
  prepare_statement(ins, text + as_ctes(all.first(all.size() - 1)) + " " + inserts.back());
}

std::string IndexWriter::as_ctes(std::span<const std::string> inserts) {
  std::string text;
  for (std::size_t i = 0; i < inserts.size(); ++i) {
    text += ", i" + std::to_string(i) + " AS (" + inserts[i] + ")";
  }
  return text;
}

IndexWriter::~IndexWriter() = default;

namespace {

// The key of a tenant's parameters of one type in IndexWriter::pids_ (a type has no '/').
std::string pids_key(std::string_view tenant, std::string_view type) {
  std::string key(tenant);
  key.push_back('/');
  key.append(type);
  return key;
}

}  // namespace

void IndexWriter::load_params() {
  pids_.clear();
  type_pids_ = nullptr;
  long long pid = 0;
  std::string tenant, type, code;
  soci::statement st(sql_);
  st.exchange(soci::into(pid));
  st.exchange(soci::into(tenant));
  st.exchange(soci::into(type));
  st.exchange(soci::into(code));
  prepare_statement(st, "SELECT id, tenant, res_type, code FROM search_param");
  st.execute(false);
  while (st.fetch()) pids_[pids_key(tenant, type)][code] = pid;
}

void IndexWriter::add_tenant_params() {
  if (tenant_.empty()) return;  // tenant "" has every parameter since the migration
  // New ids above every id in use: p.id + top is distinct for distinct p.id, and > top.
  sql_ << "INSERT INTO search_param (id, tenant, res_type, code)"
          " SELECT p.id + m.top, :p1, p.res_type, p.code FROM search_param p,"
          " (SELECT MAX(id) AS top FROM search_param) m WHERE p.tenant = ''"
          " AND NOT EXISTS (SELECT 1 FROM search_param q WHERE q.tenant = :p2"
          " AND q.res_type = p.res_type AND q.code = p.code)",
      use(tenant_), use(tenant_);
}

long long IndexWriter::pid_of(std::string_view code) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (type_pids_ != nullptr) {
      auto it = type_pids_->find(code);
      if (it != type_pids_->end()) return it->second;
    }
    if (attempt == 2) break;
    // First miss: written by a newer replica (or another session) since this session loaded
    // the table. Second: the tenant's first index row, which gives it its ids.
    if (attempt == 1) add_tenant_params();
    load_params();
    auto type = pids_.find(pids_key(tenant_, type_));
    type_pids_ = type == pids_.end() ? nullptr : &type->second;
  }
  throw std::runtime_error("search parameter " + type_ + "." + std::string(code) +
                           " has no id in search_param");
}

bool IndexWriter::find_rid(const std::string& type, const std::string& id,
                           std::optional<std::int64_t> known) {
  type_ = type;
  id_ = id;
  auto it = pids_.find(pids_key(tenant_, type_));
  type_pids_ = it == pids_.end() ? nullptr : &it->second;
  if (dialect_ != Dialect::kSqlite) return true;  // found inside each statement
  if (known) {
    rid_ = *known;
    return true;
  }
  rid_lookup_->bind(1, std::string_view(tenant_));
  rid_lookup_->bind(2, std::string_view(type_));
  rid_lookup_->bind(3, std::string_view(id_));
  return rid_lookup_->step_into(rid_);
}

void IndexWriter::flush() {
  if (!any_deferred_) return;
  for (std::size_t t = 0; t < deferred_.size(); ++t) write_deferred(t);
  composite_.flush();
  if (token_dates_) token_dates_->flush();
  text_.flush();
  discard();
}

void IndexWriter::flush_tokens() {
  if (any_deferred_) write_deferred(kTokenTable);
}

void IndexWriter::write_deferred(std::size_t t) {
  std::vector<Deferred>& rows = deferred_[t];
  if (rows.empty()) return;
  const std::vector<Col>& cols = table_columns()[t].cols;
  sqlite_inserts_[t]->insert(rows.size(), [&](SqliteStatement& st, int& i, std::size_t r) {
    const Deferred& d = rows[r];
    st.bind(i++, d.rid);
    st.bind(i++, d.pid);
    for (Col col : cols) {
      switch (col) {
        case Col::kText1: st.bind(i++, d.row.text1); break;
        case Col::kText2: st.bind(i++, d.row.text2); break;
        case Col::kText3: st.bind(i++, d.row.text3); break;
        case Col::kLow: st.bind(i++, std::int64_t{d.row.low}); break;
        case Col::kHigh: st.bind(i++, std::int64_t{d.row.high}); break;
        case Col::kReal: st.bind(i++, d.row.real); break;
      }
    }
  });
  rows.clear();  // their text stays in deferred_text_ until discard()
}

void IndexWriter::discard() {
  if (!any_deferred_) return;
  for (std::vector<Deferred>& rows : deferred_) rows.clear();
  composite_.discard();
  if (token_dates_) token_dates_->discard();
  text_.discard();
  deferred_text_.clear();
  any_deferred_ = false;
}

void IndexWriter::remove(const std::string& type, const std::string& id) {
  flush();  // the rows to delete may be deferred still
  if (!find_rid(type, id)) return;
  // Before the date and token rows it finds its rows by.
  if (token_dates_) token_dates_->remove(rid_);
  if (dialect_ == Dialect::kSqlite) {
    for (auto& st : sqlite_deletes_) {
      st->bind(1, rid_);
      st->step();
    }
  } else {
    for (auto& st : deletes_) st->execute(true);
  }
  composite_.remove(type_, id_, rid_);
  text_.remove(type_, id_, rid_);
}

template <typename Rows, typename Fill>
void IndexWriter::insert_rows(int table, const Rows& rows, Fill&& fill) {
  if (rows.empty()) return;
  const auto t = static_cast<std::size_t>(table);
  const auto keep = [](const Row& row) { return std::isfinite(row.real); };
  if (dialect_ == Dialect::kSqlite) {
    std::vector<Deferred>& deferred = deferred_[t];
    for (const auto& source : rows) {
      Row row = fill(source);
      if (!keep(row)) continue;
      row.text1 = deferred_text_.keep(row.text1);
      row.text2 = deferred_text_.keep(row.text2);
      row.text3 = deferred_text_.keep(row.text3);
      const long long pid = pid_of(row.param);
      row.param = {};  // a view into the caller's values, which need not outlive this call
      deferred.push_back(Deferred{rid_, pid, row});
    }
    return;
  }
  // PostgreSQL: the table's arrays, which insert() sends with every other table's.
  PgArrays& arrays = pg_arrays_[t];
  const std::vector<Col>& cols = table_columns()[t].cols;
  arrays.pid.assign("{");
  for (std::string& column : arrays.cols) column.assign("{");
  for (const auto& source : rows) {
    Row row = fill(source);
    if (!keep(row)) continue;
    append_number_element(arrays.pid, pid_of(row.param));
    for (std::size_t c = 0; c < cols.size(); ++c) {
      switch (cols[c]) {
        case Col::kText1: append_text_element(arrays.cols[c], row.text1); break;
        case Col::kText2: append_text_element(arrays.cols[c], row.text2); break;
        case Col::kText3: append_text_element(arrays.cols[c], row.text3); break;
        case Col::kLow: append_number_element(arrays.cols[c], row.low); break;
        case Col::kHigh: append_number_element(arrays.cols[c], row.high); break;
        case Col::kReal: append_number_element(arrays.cols[c], row.real); break;
      }
    }
  }
  arrays.pid.push_back('}');
  for (std::string& column : arrays.cols) column.push_back('}');
  pg_rows_ = pg_rows_ || arrays.pid != "{}";
}

bool IndexWriter::pg_fill(const std::string& type, const std::string& id,
                          const fhir::search::IndexValues& values) {
  phonetic_.insert(values.phonetic_names);
  find_rid(type, id);  // the type's parameter ids; the key is the statement's own
  pg_rows_ = false;
  for (PgArrays& arrays : pg_arrays_) {
    arrays.pid.assign("{}");
    for (std::string& column : arrays.cols) column.assign("{}");
  }
  fill_rows(values);
  const bool composites =
      composite_.pg_fill(values.composites, [this](std::string_view code) { return pid_of(code); });
  const bool words = text_.pg_fill(values.text);
  return pg_rows_ || composites || words;
}

void IndexWriter::insert(const std::string& type, const std::string& id,
                         const fhir::search::IndexValues& values, std::optional<std::int64_t> rid) {
  if (dialect_ == Dialect::kPostgresql) {
    // The statement finds the resource's key itself; no row, no statement.
    if (pg_fill(type, id, values)) pg_insert_->execute(true);
    return;
  }
  phonetic_.insert(values.phonetic_names);
  const bool has_text = !values.text.narrative.empty() || !values.text.content.empty();
  if (values.size() == 0 && !has_text) return;
  if (!find_rid(type, id, rid)) {
    throw std::runtime_error("index rows for " + type + "/" + id + ", which has no resource row");
  }
  // Whatever of `values` has rows is deferred, by this writer or its parts'.
  any_deferred_ = true;
  text_.insert(rid_, values.text);
  fill_rows(values);
  if (!values.composites.empty()) {
    composite_.insert(rid_, values.composites,
                      [this](std::string_view code) { return pid_of(code); });
  }
}

void IndexWriter::fill_rows(const fhir::search::IndexValues& values) {
  using namespace fhir::search;
  insert_rows(0, values.strings, [](const StringIndex& r) {
    Row row;
    row.param = r.param;
    row.text1 = r.folded;
    row.text2 = r.exact;
    return row;
  });
  insert_rows(1, values.tokens, [](const TokenIndex& r) {
    Row row;
    row.param = r.param;
    row.text1 = r.system;
    row.text2 = r.code;
    row.text3 = r.text;
    return row;
  });
  insert_rows(2, values.dates, [](const DateIndex& r) {
    Row row;
    row.param = r.param;
    row.low = r.low;
    row.high = r.high;
    return row;
  });
  if (date_shape_ && !values.dates.empty()) {
    date_shape_->record(values.dates, [this](std::string_view code) { return pid_of(code); });
  }
  if (token_dates_) {
    token_dates_->insert(rid_, type_, values.tokens, values.dates,
                         [this](std::string_view code) { return pid_of(code); });
  }
  insert_rows(3, values.numbers, [](const NumberIndex& r) {
    Row row;
    row.param = r.param;
    row.real = r.value;
    return row;
  });
  insert_rows(4, values.quantities, [](const QuantityIndex& r) {
    Row row;
    row.param = r.param;
    row.text1 = r.system;
    row.text2 = r.code;
    row.real = r.value;
    return row;
  });
  insert_rows(5, values.references, [](const ReferenceIndex& r) {
    Row row;
    row.param = r.param;
    row.text1 = r.target_type;
    row.text2 = r.target_id;
    row.text3 = url_repeats_target(r) ? kImpliedUrl : std::string_view(r.url);
    return row;
  });
  insert_rows(6, values.uris, [](const UriIndex& r) {
    Row row;
    row.param = r.param;
    row.text1 = r.uri;
    return row;
  });
}

void sync_search_params(soci::session& sql) {
  std::set<std::tuple<std::string, std::string, std::string>> known;
  std::set<std::string> tenants = {""};
  long long max_id = 0;
  {
    long long id = 0;
    std::string tenant, type, code;
    soci::statement st(sql);
    st.exchange(soci::into(id));
    st.exchange(soci::into(tenant));
    st.exchange(soci::into(type));
    st.exchange(soci::into(code));
    prepare_statement(st, "SELECT id, tenant, res_type, code FROM search_param");
    st.execute(false);
    while (st.fetch()) {
      known.emplace(tenant, type, code);
      tenants.insert(tenant);
      max_id = std::max(max_id, id);
    }
  }
  long long id = 0;
  std::string tenant, type, code;
  soci::statement insert(sql);
  insert.exchange(use(id));
  insert.exchange(use(tenant));
  insert.exchange(use(type));
  insert.exchange(use(code));
  prepare_statement(
      insert, "INSERT INTO search_param (id, tenant, res_type, code) VALUES (:p1, :p2, :p3, :p4)");
  for (const std::string& t : tenants) {
    tenant = t;
    for (std::string_view r : fhir::resource_types()) {
      for (const fhir::SearchParamDef* param : fhir::search::searchable_params(r)) {
        if (!fhir::search::is_indexed(*param)) continue;
        type.assign(r);
        code.assign(param->code);
        if (known.contains({tenant, type, code})) continue;
        id = ++max_id;
        insert.execute(true);
      }
    }
  }
}

long long reindex_all(soci::session& sql, Dialect dialect) {
  for (const char* table : kTables) sql << "DELETE FROM " << table;
  sql << "DELETE FROM idx_composite";
  if (dialect == Dialect::kSqlite) {
    sql << "DELETE FROM idx_token_date";
    // idx_text reads its words from idx_text_words: it is emptied by its own command.
    sql << "INSERT INTO idx_text (idx_text) VALUES ('delete-all')";
    sql << "DELETE FROM idx_text_pending";
    sql << "DELETE FROM idx_text_words";
  } else {
    sql << "DELETE FROM idx_text";
  }
  std::string tenant;  // each row's, which the writer reads at each insert
  IndexWriter writer(sql, dialect, tenant);
  long long indexed = 0;
  long long after = 0;  // keyset over resource_version.seq, a page at a time
  for (;;) {
    std::vector<std::string> tenants(500), types(500), ids(500), bodies(500);
    std::vector<long long> seqs(500);
    sql << "SELECT r.tenant, r.res_type, r.res_id, v.body, v.seq FROM resource r"
           " JOIN resource_version v ON v.seq = r.seq"
           " WHERE r.deleted = 0 AND v.seq > :p1 ORDER BY v.seq LIMIT 500",
        use(after), soci::into(tenants), soci::into(types), soci::into(ids), soci::into(bodies),
        soci::into(seqs);
    if (types.empty()) break;
    for (std::size_t i = 0; i < types.size(); ++i) {
      Result<fhir::JsonDocument> doc = fhir::parse_json(bodies[i]);
      if (!doc.is_ok()) continue;  // stored bodies were valid JSON; nothing to index otherwise
      Result<fhir::search::IndexValues> values = fhir::search::extract_index(*doc);
      if (!values.is_ok()) continue;
      fhir::search::drop_rows_held_by_parts(types[i], *values);
      tenant = tenants[i];
      writer.insert(types[i], ids[i], *values);
      ++indexed;
    }
    writer.flush();  // a page's rows at a time: the store may hold millions
    after = seqs.back();
    if (types.size() < 500) break;
  }
  writer.drain_text();
  return indexed;
}

}  // namespace hearth::storage::detail
