// backup_store / restore_store for SQLite files through the C API's online backup
// (sqlite3_backup_*): one step of all pages, so the copy is one read snapshot of the source.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "core/redact.h"
#include "storage/backup.h"
#include "storage/blob_dir.h"
#include "storage/sql/schema.h"
#include "storage/store.h"
#include "storage/store_url.h"

namespace hearth::storage {
namespace {

constexpr int kBusyMillis = 30'000;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Status sqlite_failure(sqlite3* db, std::string_view what) {
  return Status(Code::kUnavailable,
                std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

Result<Db> open_db(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return sqlite_failure(raw, "cannot open " + path);
  sqlite3_busy_timeout(raw, kBusyMillis);
  return db;
}

// The one integer `sql` selects; nullopt-like -1 when it selects no row or fails.
std::int64_t scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return -1;
  std::int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

bool has_table(sqlite3* db, const char* name) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
                         &stmt, nullptr) != SQLITE_OK) {
    return false;
  }
  sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
  const bool found = sqlite3_step(stmt) == SQLITE_ROW;
  sqlite3_finalize(stmt);
  return found;
}

BackupCounts count(sqlite3* db) {
  BackupCounts counts;
  counts.schema_version = scalar(db, "SELECT MAX(version) FROM schema_version");
  counts.resources = scalar(db, "SELECT COUNT(*) FROM resource");
  counts.versions = scalar(db, "SELECT COUNT(*) FROM resource_version");
  counts.messages = scalar(db, "SELECT COUNT(*) FROM hl7_message");
  return counts;
}

Result<StoreUrl> sqlite_file_url(std::string_view url, std::string_view command,
                                 std::string_view postgresql_tool) {
  Result<StoreUrl> parsed = parse_store_url(url);
  if (!parsed.is_ok()) return parsed;
  if (parsed->dialect == Dialect::kPostgresql) {
    return Status(Code::kInvalidArgument,
                  std::string(command) +
                      " copies SQLite stores; a PostgreSQL store is copied with " +
                      std::string(postgresql_tool) + " (docs/operations.md#postgresql)");
  }
  if (parsed->memory) {
    return Status(Code::kInvalidArgument,
                  std::string(command) + " needs a SQLite file, not sqlite::memory:");
  }
  return parsed;
}

// Copies every page of `from` into `to` in one step (one read snapshot of `from`), retrying
// while either is locked.
Status copy_pages(sqlite3* from, sqlite3* to, std::string_view what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return sqlite_failure(to, what);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyMillis);
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_DONE) break;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status(Code::kUnavailable, std::string(what) + ": " + sqlite3_errstr(rc));
  }
  return Status::ok();
}

Status exec(sqlite3* db, const char* sql, std::string_view what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return sqlite_failure(db, what);
  }
  return Status::ok();
}

}  // namespace

Result<BackupCounts> backup_store(std::string_view url, const std::string& out_path,
                                  const std::string& blob_dir) {
  HEARTH_ASSIGN_OR_RETURN(StoreUrl store, sqlite_file_url(url, "hearth backup", "pg_dump"));
  std::error_code ec;
  if (!std::filesystem::exists(store.path, ec)) {
    return Status(Code::kNotFound, "no store file at " + store.path);
  }
  if (std::filesystem::exists(out_path, ec)) {
    return Status(Code::kInvalidArgument, out_path + " exists; a backup never overwrites a file");
  }
  HEARTH_ASSIGN_OR_RETURN(Db source, open_db(store.path, SQLITE_OPEN_READWRITE));
  if (!has_table(source.get(), "schema_version")) {
    return Status(Code::kPreconditionFailed, store.path + " is not a Hearth store");
  }
  const std::string partial = out_path + ".partial";
  std::filesystem::remove(partial, ec);
  auto fail = [&partial, &out_path](Status status) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    std::filesystem::remove(partial + "-journal", ignored);
    std::filesystem::remove_all(backup_blob_dir(out_path), ignored);
    return status;
  };
  BackupCounts counts;
  {
    Result<Db> target = open_db(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!target.is_ok()) return fail(target.status());
    Status copied = copy_pages(source.get(), target->get(), "backup of " + store.path);
    if (!copied.is_ok()) return fail(copied);
    // A self-contained file: no -wal beside it, and every page synced before the rename.
    Status settled = exec(target->get(), "PRAGMA journal_mode = DELETE", "backup file");
    if (settled.is_ok()) settled = exec(target->get(), "PRAGMA synchronous = FULL", "backup file");
    if (!settled.is_ok()) return fail(settled);
    counts = count(target->get());
  }
  if (!blob_dir.empty()) {
    Result<std::int64_t> blobs = copy_blob_dir(blob_dir, backup_blob_dir(out_path));
    if (!blobs.is_ok()) return fail(blobs.status());
    counts.blobs = *blobs;
  }
  std::filesystem::rename(partial, out_path, ec);
  if (ec) return fail(Status(Code::kUnavailable, "cannot rename the backup to " + out_path));
  counts.bytes = std::filesystem::file_size(out_path, ec);
  return counts;
}

Result<BackupCounts> restore_store(std::string_view url, const std::string& in_path,
                                   const std::string& blob_dir) {
  HEARTH_ASSIGN_OR_RETURN(StoreUrl store, sqlite_file_url(url, "hearth restore", "pg_restore"));
  std::error_code ec;
  if (!std::filesystem::exists(in_path, ec)) {
    return Status(Code::kNotFound, "no backup file at " + in_path);
  }
  HEARTH_ASSIGN_OR_RETURN(Db backup, open_db(in_path, SQLITE_OPEN_READONLY));
  if (!has_table(backup.get(), "schema_version") || !has_table(backup.get(), "resource_version")) {
    return Status(Code::kPreconditionFailed, in_path + " is not a Hearth backup");
  }
  const BackupCounts held = count(backup.get());
  if (held.schema_version > latest_schema_version(Dialect::kSqlite)) {
    return Status(Code::kPreconditionFailed,
                  in_path + " holds schema version " + std::to_string(held.schema_version) +
                      ", newer than this binary's " +
                      std::to_string(latest_schema_version(Dialect::kSqlite)) + ": upgrade Hearth");
  }
  const bool has_blobs = std::filesystem::is_directory(backup_blob_dir(in_path), ec);
  if (has_blobs && blob_dir.empty()) {
    return Status(
        Code::kInvalidArgument,
        in_path + " keeps documents in " + backup_blob_dir(in_path) + ": restore with --blob-dir");
  }
  std::int64_t restored_blobs = 0;
  const std::filesystem::path parent = std::filesystem::path(store.path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  {
    HEARTH_ASSIGN_OR_RETURN(Db target,
                            open_db(store.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    const std::int64_t versions =
        has_table(target.get(), "resource_version")
            ? scalar(target.get(), "SELECT COUNT(*) FROM resource_version")
            : 0;
    const std::int64_t messages = has_table(target.get(), "hl7_message")
                                      ? scalar(target.get(), "SELECT COUNT(*) FROM hl7_message")
                                      : 0;
    if (versions != 0 || messages != 0) {
      return Status(Code::kPreconditionFailed,
                    "the store " + redact_credentials(url) + " is not empty (" +
                        std::to_string(versions) + " resource versions, " +
                        std::to_string(messages) +
                        " archived messages): restore only into an empty store");
    }
    if (has_blobs) {  // before the rows that name them
      HEARTH_ASSIGN_OR_RETURN(restored_blobs, copy_blob_dir(backup_blob_dir(in_path), blob_dir));
    }
    HEARTH_RETURN_IF_ERROR(copy_pages(backup.get(), target.get(), "restore into " + store.path));
    HEARTH_RETURN_IF_ERROR(exec(target.get(), "PRAGMA journal_mode = WAL", "restored store"));
  }
  // An older backup is brought to this binary's schema (and its index rebuilt when a step says so).
  Result<int> migrated = migrate_store(url);
  if (!migrated.is_ok()) return std::move(migrated).take_status();
  HEARTH_ASSIGN_OR_RETURN(Db restored, open_db(store.path, SQLITE_OPEN_READONLY));
  BackupCounts counts = count(restored.get());
  counts.blobs = restored_blobs;
  return counts;
}

}  // namespace hearth::storage
