// What the store behaviour suite's search tests share: parsing a query, reading a page and its
// ids, walking every page by its links, and reading a number straight from a SQLite file.
// Every helper fails the running test on an error.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/search_query.h"
#include "storage/store.h"

namespace hearth::storage::testing {

using Params = std::vector<std::pair<std::string, std::string>>;
using Ids = std::vector<std::string>;

inline fhir::search::SearchQuery parse(const std::string& type, const Params& params) {
  auto q = fhir::search::parse_search(type, params, "http://h/fhir", true);
  REQUIRE_MESSAGE(q.is_ok(), q.status().message());
  return std::move(*q);
}

// The page of `q` at `cursor` ("" for the first).
inline SearchPage page(Store& store, fhir::search::SearchQuery q, const std::string& cursor) {
  q.cursor = cursor;
  auto found = store.search(q);
  REQUIRE_MESSAGE(found.is_ok(), found.status().message());
  return std::move(*found);
}

// The page's resource ids, in its order.
inline Ids ids(const SearchPage& p) {
  Ids out;
  for (const ResourceVersion& v : p.entries) out.push_back(v.id);
  return out;
}

// The ids of the first page of a search, sorted.
inline Ids search_ids(Store& store, const std::string& type, const Params& params) {
  Ids out = ids(page(store, parse(type, params), ""));
  std::sort(out.begin(), out.end());
  return out;
}

// Every page from the first, following `next` (at most 500 pages); checks that each page's
// `previous` leads back to the page before.
inline Ids walk(Store& store, const fhir::search::SearchQuery& q) {
  Ids seen, before;
  std::string cursor;
  for (int pages = 0; pages < 500; ++pages) {
    SearchPage p = page(store, q, cursor);
    if (!cursor.empty()) CHECK(ids(page(store, q, p.previous_cursor)) == before);
    before = ids(p);
    seen.insert(seen.end(), before.begin(), before.end());
    if (p.next_cursor.empty()) break;
    cursor = p.next_cursor;
  }
  return seen;
}

// The first column of the first row of `sql` on the SQLite file `path`, as an integer; -1 on
// failure.
inline long long sqlite_scalar(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  long long out = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

}  // namespace hearth::storage::testing
