// CompositeIndexWriter: SQLite defers the rows and writes them in multi-row statements
// through the C API (one statement per row cost as much as the row itself); PostgreSQL inserts
// them with one unnest() statement, as IndexWriter does.
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

void CompositeIndexWriter::insert(const std::string& type, const std::string& id, std::int64_t rid,
                                  const std::vector<fhir::search::CompositeIndex>& rows,
                                  const std::function<long long(std::string_view)>& pid_of) {
  if (rows.empty()) return;
  if (dialect_ == Dialect::kSqlite) {
    for (const fhir::search::CompositeIndex& r : rows) {
      if (!std::isfinite(r.value)) continue;
      deferred_.push_back(Deferred{
          rid, pid_of(r.param), r.group, r.component, text_arena_.keep(r.system),
          text_arena_.keep(r.code), text_arena_.keep(r.text), text_arena_.keep(r.folded),
          text_arena_.keep(r.exact), r.low, r.high, r.value, text_arena_.keep(r.target_type),
          text_arena_.keep(r.target_id), text_arena_.keep(r.url)});
    }
    return;
  }
  const std::array<std::string*, 14> arrays = {
      &pid_,   &grp_, &comp_, &system_, &code_,        &text_,      &folded_,
      &exact_, &low_, &high_, &value_,  &target_type_, &target_id_, &url_};
  if (!insert_) {
    insert_ = std::make_unique<soci::statement>(sql_);
    insert_->exchange(soci::use(tenant_));
    insert_->exchange(soci::use(type_));
    insert_->exchange(soci::use(id_));
    for (std::string* array : arrays) insert_->exchange(soci::use(*array));
    prepare_statement(
        *insert_,
        std::string("INSERT INTO idx_composite (") + kColumns + ") SELECT " + kRidOf +
            ", u.* FROM unnest(CAST(:p3 AS INTEGER[]), CAST(:p4 AS INTEGER[]),"
            " CAST(:p5 AS INTEGER[]), CAST(:p6 AS TEXT[]), CAST(:p7 AS TEXT[]),"
            " CAST(:p8 AS TEXT[]), CAST(:p9 AS TEXT[]), CAST(:p10 AS TEXT[]),"
            " CAST(:p11 AS BIGINT[]), CAST(:p12 AS BIGINT[]),"
            " CAST(:p13 AS DOUBLE PRECISION[]), CAST(:p14 AS TEXT[]), CAST(:p15 AS TEXT[]),"
            " CAST(:p16 AS TEXT[])) AS u");
  }
  type_ = type;
  id_ = id;
  for (std::string* array : arrays) array->assign("{");
  bool any = false;
  for (const fhir::search::CompositeIndex& r : rows) {
    if (!std::isfinite(r.value)) continue;
    any = true;
    append_number_element(pid_, pid_of(r.param));
    append_number_element(grp_, r.group);
    append_number_element(comp_, r.component);
    append_text_element(system_, r.system);
    append_text_element(code_, r.code);
    append_text_element(text_, r.text);
    append_text_element(folded_, r.folded);
    append_text_element(exact_, r.exact);
    append_number_element(low_, r.low);
    append_number_element(high_, r.high);
    append_number_element(value_, r.value);
    append_text_element(target_type_, r.target_type);
    append_text_element(target_id_, r.target_id);
    append_text_element(url_, r.url);
  }
  for (std::string* array : arrays) array->push_back('}');
  if (any) insert_->execute(true);
}

}  // namespace hearth::storage::detail
