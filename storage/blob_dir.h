// The directory of documents kept outside the database (--blob-dir): one file per blob
// (blob_marker.h), named by the blob's name under a subdirectory of its first two hex digits
// (`ab/ab12...`), holding the string's text. A blob is written once and never changed or removed
// (every version of a resource stays readable through history), so a backup taken after a
// database snapshot finds every file the snapshot names.
//
// Durability: put() returns once the file and its directory entry are on disk (written to a
// temporary name, fsync, rename, fsync of the directory), before the database transaction that
// names it commits; a transaction that then fails leaves an unnamed file behind, which is harmless.
// Several replicas of one PostgreSQL store must share the directory (a shared volume).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/blob_marker.h"

namespace hearth::storage {

class BlobDir {
 public:
  // Creates `path` when missing and proves it writable. Errors: kUnavailable naming the path.
  static Result<std::unique_ptr<BlobDir>> open(std::string path);

  // Writes `blob` durably. Errors: kUnavailable (disk full, permissions), nothing left behind.
  Status put(const Blob& blob) const;

  // The text of blob `name`. Errors: kInternal when the file is missing or unreadable (the
  // store and its directory do not belong together).
  Result<std::string> get(std::string_view name) const;

  const std::string& path() const { return path_; }

 private:
  explicit BlobDir(std::string path) : path_(std::move(path)) {}
  std::string file_of(std::string_view name) const;

  std::string path_;
};

// Copies every blob of `from` into `to` (created when missing; hard links when both are on one
// file system, files already in `to` kept) and returns how many `from` holds: what backup and
// restore do with the directory. Errors: kUnavailable naming what could not be read or copied.
Result<std::int64_t> copy_blob_dir(const std::string& from, const std::string& to);

}  // namespace hearth::storage
