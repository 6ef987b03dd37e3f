// Internal to storage/: the -wal file of Hearth's VFS (hearth_vfs.h), which gathers a commit's
// writes into few large writes. SQLite appends a commit to the WAL as two write() calls per page
// (a 24-byte frame header, then the page), and on this kind of machine a system call costs more
// than the bytes: a third of the group commit's time went to them under load.
//
// Only contiguous appends are buffered: the buffer is written out when the commit frame's page
// arrives (its header names the database size, which only a commit frame does), before any other
// operation on the file (read, sync, truncate, size, lock, close, file control) and when it
// passes 4 MiB. A commit is therefore on the file, as before, before SQLite publishes it in the
// WAL index for readers; a crash before that loses the same uncommitted frames it would lose
// without the buffer.
//
// Thread-safety: a file handle is used by one connection at a time, as SQLite's own.
#pragma once

#include <sqlite3.h>

#include <cstddef>

namespace hearth::storage::detail {

// Bytes a -wal file adds in front of the wrapped VFS's file (for szOsFile).
std::size_t wal_file_bytes();

// Opens a -wal file through `base` into `file` (szOsFile bytes: ours, then base's). Same
// contract and result as base->xOpen.
int open_wal_file(sqlite3_vfs* base, sqlite3_filename name, sqlite3_file* file, int flags,
                  int* out_flags);

}  // namespace hearth::storage::detail
