// Internal to storage/: the SQLite store file read through one memory map that every connection
// of the process shares.
//
// Why: on a store larger than the memory SQLite's page caches hold, each page a search touches
// was a pread() into a connection's cache (a system call, a 4 KiB copy and a page-cache
// allocation). On a 1M-resource store that was over 40% of a name search's CPU. SQLite's own
// memory map does not help here: it maps the file once per connection (each of the 16 faults
// every page in again, and a process's RSS counts a page once per mapping) and stops at 2 GiB.
// This file maps the store once per process, reserving address space far beyond its size, so
// connections reading the same page share it and a growing file needs no new mapping.
//
// What it changes: xFetch hands SQLite a pointer into the map (SQLite asks for it only when the
// connection's `PRAGMA mmap_size` is above 0; it then uses the page in place, without a copy)
// and xRead copies from the map; both only for bytes that lie within the file's size as last
// seen (fstat), otherwise they fall back to the wrapped VFS's read. Writes, locks, shared memory
// and sync go to the wrapped file unchanged; the kernel keeps a shared map and write() coherent.
// A truncation through this process lowers the size first. A store truncated by another process
// while this one reads it is the exposure SQLite's own memory map has (SIGBUS on a page past the
// end); SQLite's locking keeps its readers off pages a checkpoint removed.
//
// Resident budget: a page read through a map stays in the process's page tables, and RSS counts
// it, until something unmaps it: RSS grows towards the part of the store that is read (these
// are the OS page cache's pages, shared and reclaimable; a cgroup charges the page cache of a
// pread() store all the same). To keep that within what the process may use, every 1,024 pages
// a thread serves, the process's resident file pages are compared with the budget, by default half
// the machine's memory or of the cgroup's memory limit when lower, and past it every map's pages
// are unmapped at once (the next read of one costs a minor fault). The program's own mapped
// code counts towards it too. Trimming is costly on a store read at random (a 1M-resource name
// search with a 1 GiB budget under a 1.4 GiB working set took 2.5 times the CPU): a deployment
// whose memory limit is below its store's working set reads slower, never unboundedly.
//
// When the reservation cannot be mapped (address-space limits, valgrind), the file is the
// wrapped VFS's as before: correctness never depends on the map.
//
// Thread-safety: the process-wide map registry is locked; a file handle is used by one
// connection at a time, as SQLite's own.
#pragma once

#include <sqlite3.h>

#include <cstddef>

namespace hearth::storage::detail {

// Bytes a mapped store file adds in front of the wrapped VFS's file (for szOsFile).
std::size_t mapped_db_file_bytes();

// Opens a main database file through `base` into `file` (szOsFile bytes: ours, then base's),
// sharing the process's map of it. Same contract and result as base->xOpen.
int open_mapped_db_file(sqlite3_vfs* base, sqlite3_filename name, sqlite3_file* file, int flags,
                        int* out_flags);

// Sets the resident budget (tests use a small one); 0 restores the default.
void set_map_resident_budget(std::size_t bytes);

// The number of store files mapped in the process now (each shared by all its connections).
std::size_t shared_maps_open();

}  // namespace hearth::storage::detail
