// MultiRowInsert (storage/sql/multi_row_insert.h) on a SQLite session of its own: any number of
// rows lands in the table, in order, each count up to the maximum with one statement of exactly
// that many rows (each size prepared once), more in statements of the maximum and one of the
// rest; an equal row is ignored (OR IGNORE).
#include "storage/sql/multi_row_insert.h"

#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hearth::storage::detail {
namespace {

struct Fixture {
  soci::session sql{*soci::factory_sqlite3(), ":memory:"};
  Fixture() {
    sql << "CREATE TABLE t (batch INTEGER, n INTEGER, name TEXT, PRIMARY KEY (batch, n))";
  }

  // Inserts rows 0..count-1 of `batch`; their names as bound.
  void insert(MultiRowInsert& insert, std::int64_t batch, std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) names.push_back("r" + std::to_string(i));
    insert.insert(count, [&](SqliteStatement& st, int& parameter, std::size_t row) {
      st.bind(parameter++, batch);
      st.bind(parameter++, static_cast<std::int64_t>(row));
      st.bind(parameter++, std::string_view(names[row]));
    });
  }
  long long count(std::int64_t batch) {
    long long n = 0;
    sql << "SELECT COUNT(*) FROM t WHERE batch = :b", soci::use(batch), soci::into(n);
    return n;
  }
  // Each row's name is its own number's: the rows were bound in order.
  long long misnamed(std::int64_t batch) {
    long long n = 0;
    sql << "SELECT COUNT(*) FROM t WHERE batch = :b AND name <> 'r' || n", soci::use(batch),
        soci::into(n);
    return n;
  }
};

TEST_CASE("multi-row insert: every count of rows, one statement per size up to the maximum") {
  Fixture f;
  MultiRowInsert insert(f.sql, "t", "batch, n, name", 3, 8);
  CHECK(insert.prepared() == 0);
  f.insert(insert, 0, 0);  // nothing to insert, nothing prepared
  CHECK(insert.prepared() == 0);
  f.insert(insert, 1, 5);
  CHECK(insert.prepared() == 1);
  f.insert(insert, 2, 5);  // the same size: the same statement
  CHECK(insert.prepared() == 1);
  f.insert(insert, 3, 8);
  CHECK(insert.prepared() == 2);
  f.insert(insert, 4, 19);  // 8 + 8 + 3
  CHECK(insert.prepared() == 3);
  for (std::int64_t batch : {1, 2, 3, 4}) {
    CAPTURE(batch);
    CHECK(f.misnamed(batch) == 0);
  }
  CHECK(f.count(1) == 5);
  CHECK(f.count(3) == 8);
  CHECK(f.count(4) == 19);
  for (std::size_t n = 1; n <= 40; ++n) f.insert(insert, 100 + static_cast<std::int64_t>(n), n);
  for (std::size_t n = 1; n <= 40; ++n) {
    CAPTURE(n);
    CHECK(f.count(100 + static_cast<std::int64_t>(n)) == static_cast<long long>(n));
  }
  CHECK(insert.prepared() == 8);  // one per size 1..8
  // An equal key again is ignored, not an error.
  f.insert(insert, 1, 6);
  CHECK(f.count(1) == 6);
}

TEST_CASE("multi-row insert: the statement text") {
  CHECK(multi_row_insert_sql("t", "a, b", 2, 2) ==
        "INSERT OR IGNORE INTO t (a, b) VALUES (?1, ?2), (?3, ?4)");
}

}  // namespace
}  // namespace hearth::storage::detail
