// Internal to storage/: a file of Hearth's VFS (hearth_vfs.h) that wraps a file of the VFS
// below it. Its handle begins with SQLite's (`base`, what SQLite hands to every method) and
// holds the wrapped file; the wrapped file's bytes follow the wrapper's in the szOsFile block.
// forwarding_methods() gives a method table whose every method passes the call on, for a
// wrapper to replace the ones it changes.
#pragma once

#include <sqlite3.h>

namespace hearth::storage::detail {

struct WrappedFile {
  sqlite3_file base;             // must be first: SQLite hands this pointer to the methods
  sqlite3_file* real = nullptr;  // the wrapped VFS's file
};

// The wrapped file of a wrapper's handle (whose first member is a WrappedFile).
inline sqlite3_file* real_of(sqlite3_file* file) {
  return reinterpret_cast<WrappedFile*>(file)->real;
}

// Every method of `version` (1 to 3: 2 adds shared memory, 3 memory-mapped fetches) passing the
// call to real_of(file). xClose only closes the wrapped file: a wrapper with state replaces it.
sqlite3_io_methods forwarding_methods(int version);

}  // namespace hearth::storage::detail
