// The WAL write buffer of Hearth's VFS (storage/sql/wal_write_buffer.h): what one connection
// commits through it is on the -wal file when the commit returns, as another connection that
// bypasses it (the plain "unix" VFS) sees; a rolled-back transaction that spilled frames leaves
// nothing; a transaction past the 4 MiB buffer and SQLite's page cache commits whole.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "sqlite_db.h"
#include "storage/sql/hearth_vfs.h"

namespace hearth::storage::detail {
namespace {

using testing::Db;
using testing::TempDb;

// Inserts `rows` rows of 1 KB of random bytes in one transaction, committed or rolled back.
void insert(Db& db, int rows, bool commit) {
  db.exec("BEGIN IMMEDIATE");
  db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
          std::to_string(rows) + ") INSERT INTO t (v) SELECT randomblob(1000) FROM n");
  db.exec(commit ? "COMMIT" : "ROLLBACK");
}

TEST_CASE("WAL write buffer: commits are on the file for other connections at once") {
  REQUIRE(register_hearth_vfs());
  REQUIRE(std::string(sqlite3_vfs_find(nullptr)->zName) == kHearthVfsName);
  const TempDb temp("walbuf");
  const std::string& path = temp.path;
  {
    Db writer(path, nullptr);  // the default VFS: the buffer
    writer.exec("PRAGMA journal_mode = WAL");
    writer.exec("PRAGMA synchronous = NORMAL");
    writer.exec("PRAGMA wal_autocheckpoint = 0");  // every frame stays in the -wal file
    writer.exec("PRAGMA cache_size = 64");         // small: big transactions spill frames
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
    Db reader(path, "unix");  // reads the files as written, past the buffer
    long long expected = 0;
    for (int i = 0; i < 20; ++i) {  // small commits, each visible at once
      insert(writer, 3, true);
      expected += 3;
      REQUIRE(reader.count() == expected);
    }
    insert(writer, 6000, false);  // spills ~6 MB of frames, then rolls back
    CHECK(reader.count() == expected);
    CHECK(writer.count() == expected);
    insert(writer, 6000, true);  // past the 4 MiB buffer and the cache
    expected += 6000;
    CHECK(reader.count() == expected);
    CHECK(writer.count() == expected);
    writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    insert(writer, 5, true);  // the WAL starts again at its header
    expected += 5;
    CHECK(reader.count() == expected);
  }
  {
    Db again(path, "unix");  // a fresh open replays the WAL the buffer wrote
    CHECK(again.count() == 20 * 3 + 6000 + 5);
    again.exec("PRAGMA integrity_check");
  }
}

}  // namespace
}  // namespace hearth::storage::detail
