// Internal to storage/: Hearth's SQLite VFS, registered as the process's default over SQLite's
// own. It changes how two kinds of file are read and written, and nothing else:
//   - the store (main database) file is read through one memory map the whole process shares
//     (shared_map_file.h);
//   - a -wal file gathers a commit's appends into few writes (wal_write_buffer.h).
// Every other file (journals, temporary files) is the wrapped VFS's own, in place.
// Both wrappers start from wrapped_file.h's table of methods that pass every call on.
#pragma once

namespace hearth::storage::detail {

// Registers the VFS as SQLite's default, once per process, before the first connection opens.
// Returns false (and changes nothing) when SQLite has no default VFS to wrap.
bool register_hearth_vfs();

// The `PRAGMA mmap_size` that has a connection use the store's shared map in place (any size
// past the reservation; shared_map_file.h). 0 has it copy pages out of the map instead.
inline constexpr long long kMmapWholeStore = 1LL << 40;

// The VFS's name, as sqlite3_vfs_find knows it.
inline constexpr const char* kHearthVfsName = "hearth";

}  // namespace hearth::storage::detail
