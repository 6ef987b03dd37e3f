// CompositeIndexWriter: SQLite defers the rows and writes them in multi-row statements
// through the C API (one statement per row cost as much as the row itself); PostgreSQL inserts
// them within IndexWriter's one statement per resource, from array literals through unnest().
#include "storage/sql/composite_index.h"

#include <array>
#include <cmath>
#include <set>
#include <span>
#include <string_view>

#include "fhir/model.h"
#include "fhir/search/searchable.h"
#include "storage/sql/pg_array.h"
#include "storage/sql/prepare_statement.h"

namespace hearth::storage::detail {
namespace {

constexpr const char* kColumns =
    "rid, pid, grp, comp, system, code, text, folded, exact, low, high, value, target_type,"
    " target_id, url";

// SQLite: at most kMaxRows rows per statement (15 values each: 480 parameters), the deferred
// rows of many resources (a blood-pressure Observation has 8).
constexpr std::size_t kMaxRows = 32;
constexpr std::size_t kColumnCount = 15;

constexpr const char* kRidOf =
    "(SELECT rid FROM resource WHERE tenant = :p0 AND res_type = :p1 AND res_id = :p2)";

// Does `type` have a composite parameter the index holds? (A Patient has none: its updates run
// no delete here.) Built once; thread-safe.
bool has_composites(std::string_view type) {
  static const std::set<std::string, std::less<>> types = [] {
    std::set<std::string, std::less<>> out;
    for (std::string_view t : fhir::resource_types()) {
      for (const fhir::SearchParamDef* p : fhir::search::searchable_params(t)) {
        if (p->type == fhir::SearchParamType::kComposite) out.emplace(t);
      }
    }
    return out;
  }();
  return types.contains(type);
}

}  // namespace

CompositeIndexWriter::CompositeIndexWriter(soci::session& sql, Dialect dialect,
                                           const std::string& tenant, TextArena& text)
    : sql_(sql), dialect_(dialect), tenant_(tenant), text_arena_(text) {}

CompositeIndexWriter::~CompositeIndexWriter() = default;

void CompositeIndexWriter::remove(const std::string& type, const std::string& id,
                                  std::int64_t rid) {
  if (!has_composites(type)) return;
  if (dialect_ == Dialect::kSqlite) {
    if (!sqlite_delete_) {
      sqlite_delete_ =
          std::make_unique<SqliteStatement>(sql_, "DELETE FROM idx_composite WHERE rid = ?1");
    }
    sqlite_delete_->bind(1, rid);
    sqlite_delete_->step();
    return;
  }
  if (!delete_) {
    delete_ = std::make_unique<soci::statement>(sql_);
    delete_->exchange(soci::use(tenant_));
    delete_->exchange(soci::use(type_));
    delete_->exchange(soci::use(id_));
    prepare_statement(*delete_, std::string("DELETE FROM idx_composite WHERE rid = ") + kRidOf);
  }
  type_ = type;
  id_ = id;
  delete_->execute(true);
}

void CompositeIndexWriter::flush() {
  if (deferred_.empty()) return;
  if (!sqlite_insert_) {
    sqlite_insert_ =
        std::make_unique<MultiRowInsert>(sql_, "idx_composite", kColumns, kColumnCount, kMaxRows);
  }
  sqlite_insert_->insert(deferred_.size(), [&](SqliteStatement& st, int& i, std::size_t row) {
    const Deferred& r = deferred_[row];
    st.bind(i++, r.rid);
    st.bind(i++, r.pid);
    st.bind(i++, r.group);
    st.bind(i++, r.component);
    st.bind(i++, r.system);
    st.bind(i++, r.code);
    st.bind(i++, r.text);
    st.bind(i++, r.folded);
    st.bind(i++, r.exact);
    st.bind(i++, r.low);
    st.bind(i++, r.high);
    st.bind(i++, r.value);
    st.bind(i++, r.target_type);
    st.bind(i++, r.target_id);
    st.bind(i++, r.url);
  });
  deferred_.clear();
}

void CompositeIndexWriter::insert(std::int64_t rid,
                                  const std::vector<fhir::search::CompositeIndex>& rows,
                                  const std::function<long long(std::string_view)>& pid_of) {
  for (const fhir::search::CompositeIndex& r : rows) {
    if (!std::isfinite(r.value)) continue;
    deferred_.push_back(
        Deferred{rid, pid_of(r.param), r.group, r.component, text_arena_.keep(r.system),
                 text_arena_.keep(r.code), text_arena_.keep(r.text), text_arena_.keep(r.folded),
                 text_arena_.keep(r.exact), r.low, r.high, r.value, text_arena_.keep(r.target_type),
                 text_arena_.keep(r.target_id), text_arena_.keep(r.url)});
  }
}

std::string CompositeIndexWriter::pg_insert_sql(int& next) {
  // The array type of each column after rid, in kColumns order.
  static constexpr std::array<const char*, 14> kTypes = {
      "INTEGER[]",           // pid
      "INTEGER[]",           // grp
      "INTEGER[]",           // comp
      "TEXT[]",              // system
      "TEXT[]",              // code
      "TEXT[]",              // text
      "TEXT[]",              // folded
      "TEXT[]",              // exact
      "BIGINT[]",            // low
      "BIGINT[]",            // high
      "DOUBLE PRECISION[]",  // value
      "TEXT[]",              // target_type
      "TEXT[]",              // target_id
      "TEXT[]",              // url
  };
  std::string sql =
      std::string("INSERT INTO idx_composite (") + kColumns + ") SELECT r.rid, u.* FROM r, unnest(";
  for (std::size_t c = 0; c < kTypes.size(); ++c) {
    if (c > 0) sql += ", ";
    sql += "CAST(:p" + std::to_string(next++) + " AS " + kTypes[c] + ")";
  }
  return sql + ") AS u";
}

void CompositeIndexWriter::pg_bind(soci::statement& st) {
  for (std::string& array : arrays_) st.exchange(soci::use(array));
}

bool CompositeIndexWriter::pg_fill(const std::vector<fhir::search::CompositeIndex>& rows,
                                   const std::function<long long(std::string_view)>& pid_of) {
  for (std::string& array : arrays_) array.assign("{");
  bool any = false;
  for (const fhir::search::CompositeIndex& r : rows) {
    if (!std::isfinite(r.value)) continue;
    any = true;
    append_number_element(arrays_[0], pid_of(r.param));
    append_number_element(arrays_[1], r.group);
    append_number_element(arrays_[2], r.component);
    const std::array<std::string_view, 5> texts = {r.system, r.code, r.text, r.folded, r.exact};
    for (std::size_t i = 0; i < texts.size(); ++i) append_text_element(arrays_[3 + i], texts[i]);
    append_number_element(arrays_[8], r.low);
    append_number_element(arrays_[9], r.high);
    append_number_element(arrays_[10], r.value);
    const std::array<std::string_view, 3> target = {r.target_type, r.target_id, r.url};
    for (std::size_t i = 0; i < target.size(); ++i) append_text_element(arrays_[11 + i], target[i]);
  }
  for (std::string& array : arrays_) array.push_back('}');
  return any;
}

}  // namespace hearth::storage::detail
