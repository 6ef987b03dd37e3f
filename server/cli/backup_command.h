// `hearth backup --store URL --out FILE` and `hearth restore --store URL --in FILE`
// (storage/backup.h): a consistent copy of a SQLite store taken while servers run, and its
// restoration into an empty store. Each prints one line of counts on `out` ("backup FILE:
// 1200 resources, 3400 versions, 56 messages, schema 10, 8.1 MiB in 0.4 s") and failures on
// `err` (never a URL's password).
//
// Returns the exit code: 0 done; 1 the copy failed (I/O, locked, not a Hearth store, a target
// that is not empty); 2 bad usage (a PostgreSQL or in-memory URL, an existing --out file).
#pragma once

#include <iosfwd>
#include <string>

namespace hearth::server {

// `blob_dir`: --blob-dir, copied beside the backup file (storage/backup.h); "" for none.
int run_backup(const std::string& store, const std::string& blob_dir, const std::string& out_path,
               std::ostream& out, std::ostream& err);
int run_restore(const std::string& store, const std::string& blob_dir, const std::string& in_path,
                std::ostream& out, std::ostream& err);

}  // namespace hearth::server
