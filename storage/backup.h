// Whole-store copies: `hearth backup` takes one while servers keep writing, `hearth restore`
// puts one into an empty store. A backup is one consistent moment of the store: every resource
// version, current row, search-index row and archived message committed before it, nothing
// after (docs/operations.md).
//
// SQLite: the online backup API copies the live file's pages inside one read transaction (WAL
// readers never stop the writer), into FILE.partial, which is switched to rollback-journal
// mode (one self-contained file), synced and renamed to FILE; a failed backup leaves no FILE.
// The backup is itself a SQLite store file: `sqlite:FILE` opens it as it is.
// PostgreSQL: not through these functions; pg_dump and pg_restore do it (docs/operations.md).
//
// Thread-safety: plain functions; each opens its own connections. Errors are listed per call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::storage {

// What a backup or restore copied, counted in the copy.
struct BackupCounts {
  std::int64_t resources = 0;  // current rows (deleted ones included)
  std::int64_t versions = 0;   // every version of every resource
  std::int64_t messages = 0;   // archived HL7 v2 messages
  std::int64_t schema_version = 0;
  std::uint64_t bytes = 0;  // size of the backup file
  std::int64_t blobs = 0;   // files of the blob directory copied (--blob-dir)
};

// The directory beside a backup file that holds the store's blobs (storage/blob_dir.h).
inline std::string backup_blob_dir(const std::string& backup_file) {
  return backup_file + ".blobs";
}

// Copies the store at `url` into the new file `out_path`.
// Errors: kInvalidArgument for a URL that is not a SQLite file (sqlite::memory:, PostgreSQL:
// the message names the pg_dump route) or an `out_path` that exists; kNotFound when the store
// file does not exist; kPreconditionFailed when it is not a Hearth store (no schema_version);
// kUnavailable when the copy fails (I/O, the store stayed locked for 30 s), with SQLite's
// message.
// `blob_dir`: the store's blob directory (--blob-dir), copied after the database (its blobs are
// never changed or removed, so every one the copy names is there) into backup_blob_dir(out_path),
// hard-linked where it can be. Give the directory the servers use: without it the backup's
// rows may name blobs it does not hold.
Result<BackupCounts> backup_store(std::string_view url, const std::string& out_path,
                                  const std::string& blob_dir = "");

// Copies the backup `in_path` into the store at `url`, which must be empty (no file, or a
// store without resource versions and messages), then migrates it to this binary's schema.
// No server may use the target meanwhile.
// Errors: kInvalidArgument for a URL that is not a SQLite file (PostgreSQL: pg_restore);
// kNotFound when `in_path` does not exist; kPreconditionFailed when `in_path` is not a Hearth
// backup, holds a schema newer than this binary's, or the target store is not empty (the
// message counts what it holds); kUnavailable when the copy fails.
// A backup with blobs (backup_blob_dir(in_path) exists) needs `blob_dir`, where they are copied
// before the database is: kInvalidArgument without it.
Result<BackupCounts> restore_store(std::string_view url, const std::string& in_path,
                                   const std::string& blob_dir = "");

}  // namespace hearth::storage
