// Internal to storage/: a SQLite VFS over the default one that gathers a commit's writes to the
// -wal file into few large writes. SQLite appends a commit to the WAL as two write() calls per page
// (a 24-byte frame header, then the page), and on this kind of machine a system call costs more
// than the bytes: a third of the group commit's time went to them under load.
//
// Only -wal files are buffered, and only contiguous appends: the buffer is written out when the
// commit frame's page arrives (its header names the database size, which only a commit frame
// does), before any other operation on the file (read, sync, truncate, size, lock, close, file
// control) and when it passes 4 MiB. A commit is therefore on the file, as before, before SQLite
// publishes it in the WAL index for readers; a crash before that loses the same uncommitted
// frames it would lose without the buffer.
//
// Thread-safety: a file handle is used by one connection at a time, as SQLite's own.
#pragma once

namespace hearth::storage::detail {

// Registers the VFS as SQLite's default, once per process, before the first connection opens.
// Returns false (and changes nothing) when SQLite has no default VFS to wrap.
bool register_wal_write_buffer();

}  // namespace hearth::storage::detail
