// The session's search statement cache (storage/sql/search_statements.h) on a SQLite session of
// its own: a text is prepared once and run again with other values, the cache keeps at most
// kMaxStatements texts (least recently used out), a text over kMaxCachedText is never kept, and
// a statement that threw is dropped.
#include "storage/sql/search_statements.h"

#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <vector>

namespace hearth::storage::detail {
namespace {

SqlValue text_value(std::string text) {
  SqlValue v;
  v.text = std::move(text);
  return v;
}

// The names of the rows of t whose code is the one value bound, through the cache.
std::vector<std::string> names_with(SearchStatements& cache, const std::string& sql,
                                    const std::string& code) {
  const std::vector<SqlValue> values = {text_value(code)};
  SearchStatement& st = cache.statement(sql, values, values.size(), [](SearchStatement& s) {
    s.statement.exchange(soci::into(s.id));
    s.statement.exchange(soci::use(s.values[0].text, "b1"));
  });
  std::vector<std::string> out;
  st.statement.execute(false);
  while (st.statement.fetch()) out.push_back(st.id);
  cache.finish(st);
  return out;
}

TEST_CASE("search statements: prepared once per text, run again with other values") {
  soci::session sql(*soci::factory_sqlite3(), ":memory:");
  sql << "CREATE TABLE t (name TEXT, code TEXT)";
  sql << "INSERT INTO t VALUES ('a', 'x'), ('b', 'y'), ('c', 'x')";
  SearchStatements cache(sql, Dialect::kSqlite);
  const std::string by_code = "SELECT name FROM t WHERE code = :b1 ORDER BY name";
  CHECK(names_with(cache, by_code, "x") == std::vector<std::string>{"a", "c"});
  CHECK(names_with(cache, by_code, "y") == std::vector<std::string>{"b"});
  CHECK(names_with(cache, by_code, "z").empty());
  CHECK(names_with(cache, by_code, "x") == std::vector<std::string>{"a", "c"});
  CHECK(cache.prepared() == 1);
  CHECK(cache.size() == 1);
  // A row written between two runs is found by the next.
  sql << "INSERT INTO t VALUES ('d', 'y')";
  CHECK(names_with(cache, by_code, "y") == std::vector<std::string>{"b", "d"});
  CHECK(cache.prepared() == 1);
}

TEST_CASE("search statements: at most kMaxStatements texts, the least recently used goes") {
  soci::session sql(*soci::factory_sqlite3(), ":memory:");
  sql << "CREATE TABLE t (name TEXT, code TEXT)";
  sql << "INSERT INTO t VALUES ('a', 'x')";
  SearchStatements cache(sql, Dialect::kSqlite);
  auto text = [](std::size_t n) {
    return "SELECT name FROM t WHERE code = :b1 AND " + std::to_string(n) + " = " +
           std::to_string(n);
  };
  const std::size_t most = SearchStatements::kMaxStatements;
  for (std::size_t n = 0; n < most; ++n) CHECK(names_with(cache, text(n), "x").size() == 1);
  CHECK(cache.size() == most);
  CHECK(names_with(cache, text(0), "x").size() == 1);  // 0 used again: 1 is now the oldest
  CHECK(cache.prepared() == most);
  CHECK(names_with(cache, text(most), "x").size() == 1);  // one more text: 1 goes
  CHECK(cache.size() == most);
  CHECK(cache.prepared() == most + 1);
  CHECK(names_with(cache, text(0), "x").size() == 1);  // still kept
  CHECK(cache.prepared() == most + 1);
  CHECK(names_with(cache, text(1), "x").size() == 1);  // prepared again
  CHECK(cache.prepared() == most + 2);
}

TEST_CASE("search statements: a long text is prepared each time; a failed one is dropped") {
  soci::session sql(*soci::factory_sqlite3(), ":memory:");
  sql << "CREATE TABLE t (name TEXT, code TEXT)";
  sql << "INSERT INTO t VALUES ('a', 'x')";
  SearchStatements cache(sql, Dialect::kSqlite);
  const std::string padding(SearchStatements::kMaxCachedText, ' ');
  const std::string long_text = "SELECT name FROM t WHERE code = :b1" + padding;
  CHECK(names_with(cache, long_text, "x").size() == 1);
  CHECK(names_with(cache, long_text, "x").size() == 1);
  CHECK(cache.prepared() == 2);
  CHECK(cache.size() == 0);

  // The same text with a value of another kind is another statement.
  const std::string by_code = "SELECT name FROM t WHERE code = :b1";
  CHECK(names_with(cache, by_code, "x").size() == 1);
  SqlValue number;
  number.kind = SqlValue::Kind::kInteger;
  number.integer = 7;
  SearchStatement& st = cache.statement(by_code, {number}, 1, [](SearchStatement& s) {
    s.statement.exchange(soci::into(s.id));
    s.statement.exchange(soci::use(s.values[0].integer, "b1"));
  });
  CHECK(cache.size() == 2);
  cache.discard(st);
  CHECK(cache.size() == 1);
  CHECK(names_with(cache, by_code, "x").size() == 1);
  CHECK(cache.prepared() == 4);
}

}  // namespace
}  // namespace hearth::storage::detail
