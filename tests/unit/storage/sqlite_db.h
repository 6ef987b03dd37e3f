// A plain SQLite connection for the VFS tests (wal_write_buffer_test, shared_map_file_test):
// opened through a named VFS (null: the default, Hearth's once registered), failing the test on
// any error.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace hearth::storage::detail::testing {

struct Db {
  sqlite3* db = nullptr;
  Db(const std::string& path, const char* vfs) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) ==
            SQLITE_OK);
  }
  ~Db() { sqlite3_close(db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO(sql << ": " << (error != nullptr ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);
  }

  // The first column of the first row of `sql`, as an integer.
  long long value(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }

  // The first column of the first row of `sql`, as text.
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const auto* t = sqlite3_column_text(st, 0);
    std::string out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
    sqlite3_finalize(st);
    return out;
  }

  long long count() { return value("SELECT COUNT(*) FROM t"); }
};

// A fresh directory for one test's database file `path`, removed with it.
struct TempDb {
  std::filesystem::path dir;
  std::string path;
  explicit TempDb(const std::string& tag)
      : dir(std::filesystem::temp_directory_path() /
            ("hearth-" + tag + "-" + std::to_string(::getpid()))),
        path((dir / "t.db").string()) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~TempDb() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
};

}  // namespace hearth::storage::detail::testing
