#include "storage/sql/search_index.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

#include "fhir/json.h"

namespace hearth::storage::detail {
namespace {

using soci::use;

constexpr std::array<const char*, 7> kTables = {"idx_string", "idx_token",    "idx_date",
                                                "idx_number", "idx_quantity", "idx_reference",
                                                "idx_uri"};

// The value columns of each table (after res_type, res_id, param), in kTables order.
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

// One row's values, whichever table it goes to.
struct Row {
  std::string_view param, text1, text2, text3;
  long long low = 0, high = 0;
  double real = 0;
};

void prepare(soci::statement& st, const std::string& text) {
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
}

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

IndexWriter::IndexWriter(soci::session& sql, Dialect dialect) : dialect_(dialect) {
  for (std::size_t t = 0; t < kTables.size(); ++t) {
    auto del = std::make_unique<soci::statement>(sql);
    del->exchange(use(type_));
    del->exchange(use(id_));
    prepare(*del,
            std::string("DELETE FROM ") + kTables[t] + " WHERE res_type = :p1 AND res_id = :p2");
    deletes_.push_back(std::move(del));

    const TableColumns& columns = table_columns()[t];
    auto ins = std::make_unique<soci::statement>(sql);
    ins->exchange(use(type_));
    ins->exchange(use(id_));
    ins->exchange(use(param_));
    std::string values = ":p1, :p2, ";
    std::string arrays = "CAST(:p3 AS TEXT[])";
    int n = 3;
    const bool pg = dialect_ == Dialect::kPostgresql;
    for (Col col : columns.cols) {
      const std::string placeholder = ":p" + std::to_string(++n);
      switch (col) {
        case Col::kText1: ins->exchange(use(text1_)); break;
        case Col::kText2: ins->exchange(use(text2_)); break;
        case Col::kText3: ins->exchange(use(text3_)); break;
        case Col::kLow: pg ? ins->exchange(use(low_)) : ins->exchange(use(low_value_)); break;
        case Col::kHigh: pg ? ins->exchange(use(high_)) : ins->exchange(use(high_value_)); break;
        case Col::kReal: pg ? ins->exchange(use(value_)) : ins->exchange(use(real_value_)); break;
      }
      const char* array_type = col == Col::kReal                       ? "DOUBLE PRECISION[]"
                               : col == Col::kLow || col == Col::kHigh ? "BIGINT[]"
                                                                       : "TEXT[]";
      arrays += ", CAST(" + placeholder + " AS " + array_type + ")";
    }
    std::string scalars = ":p3";
    for (int i = 4; i <= n; ++i) scalars += ", :p" + std::to_string(i);
    const std::string head = std::string("INSERT INTO ") + kTables[t] +
                             " (res_type, res_id, param, " + columns.names + ") ";
    prepare(*ins, pg ? head + "SELECT :p1, :p2, u.* FROM unnest(" + arrays + ") AS u"
                     : head + "VALUES (" + values + scalars + ")");
    inserts_.push_back(std::move(ins));
  }
}

IndexWriter::~IndexWriter() = default;

void IndexWriter::remove(const std::string& type, const std::string& id) {
  type_ = type;
  id_ = id;
  for (auto& st : deletes_) st->execute(true);
}

template <typename Rows, typename Fill>
void IndexWriter::insert_rows(int table, const Rows& rows, Fill&& fill) {
  if (rows.empty()) return;
  soci::statement& st = *inserts_[static_cast<std::size_t>(table)];
  if (dialect_ == Dialect::kSqlite) {
    for (const auto& source : rows) {
      Row row = fill(source);
      if (!std::isfinite(row.real)) continue;
      param_.assign(row.param);
      text1_.assign(row.text1);
      text2_.assign(row.text2);
      text3_.assign(row.text3);
      low_value_ = row.low;
      high_value_ = row.high;
      real_value_ = row.real;
      st.execute(true);
    }
    return;
  }
  for (std::string* array : {&param_, &text1_, &text2_, &text3_, &low_, &high_, &value_}) {
    array->assign("{");
  }
  for (const auto& source : rows) {
    Row row = fill(source);
    if (!std::isfinite(row.real)) continue;
    append_text_element(param_, row.param);
    append_text_element(text1_, row.text1);
    append_text_element(text2_, row.text2);
    append_text_element(text3_, row.text3);
    append_number_element(low_, row.low);
    append_number_element(high_, row.high);
    append_number_element(value_, row.real);
  }
  for (std::string* array : {&param_, &text1_, &text2_, &text3_, &low_, &high_, &value_}) {
    array->push_back('}');
  }
  if (param_ != "{}") st.execute(true);
}

void IndexWriter::insert(const std::string& type, const std::string& id,
                         const fhir::search::IndexValues& values) {
  using namespace fhir::search;
  type_ = type;
  id_ = id;
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
    row.text3 = r.url;
    return row;
  });
  insert_rows(6, values.uris, [](const UriIndex& r) {
    Row row;
    row.param = r.param;
    row.text1 = r.uri;
    return row;
  });
}

long long reindex_all(soci::session& sql, Dialect dialect) {
  for (const char* table : kTables) sql << "DELETE FROM " << table;
  IndexWriter writer(sql, dialect);
  long long indexed = 0;
  long long after = 0;  // keyset over resource_version.seq, a page at a time
  for (;;) {
    std::vector<std::string> types(500), ids(500), bodies(500);
    std::vector<long long> seqs(500);
    sql << "SELECT r.res_type, r.res_id, v.body, v.seq FROM resource r"
           " JOIN resource_version v ON v.seq = r.seq"
           " WHERE r.deleted = 0 AND v.seq > :p1 ORDER BY v.seq LIMIT 500",
        use(after), soci::into(types), soci::into(ids), soci::into(bodies), soci::into(seqs);
    if (types.empty()) break;
    for (std::size_t i = 0; i < types.size(); ++i) {
      Result<fhir::JsonDocument> doc = fhir::parse_json(bodies[i]);
      if (!doc.is_ok()) continue;  // stored bodies were valid JSON; nothing to index otherwise
      Result<fhir::search::IndexValues> values = fhir::search::extract_index(*doc);
      if (!values.is_ok()) continue;
      writer.insert(types[i], ids[i], *values);
      ++indexed;
    }
    after = seqs.back();
    if (types.size() < 500) break;
  }
  return indexed;
}

}  // namespace hearth::storage::detail
