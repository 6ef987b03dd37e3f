// The WAL write buffer: a -wal file gathers contiguous appends until the commit frame's page is
// written; every other method forwards to the wrapped VFS's file.
#include "storage/sql/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <vector>

#include "storage/sql/wrapped_file.h"

namespace hearth::storage::detail {
namespace {

constexpr std::size_t kMaxBuffered = 4u << 20;
constexpr int kFrameHeaderBytes = 24;  // wal.c: a frame is a 24-byte header and one page

// A -wal file: SQLite's handle, then ours. Built with placement new in x_open, destroyed in
// x_close; the wrapped VFS's file lies right after it (szOsFile counts both).
struct File {
  WrappedFile wrapped;            // must be first (wrapped_file.h)
  bool commit_page_next = false;  // the last write was a commit frame's header
  sqlite3_int64 start = 0;        // file offset of buffer[0]
  std::vector<char> buffer;
};

File* file_of(sqlite3_file* f) {
  return reinterpret_cast<File*>(f);
}

// The unix VFS writes at most 128 KiB - 1 per call (os_unix.c seekAndWrite masks the length to
// 17 bits), so the buffer goes out in pieces below that.
constexpr std::size_t kMaxWrite = 120u << 10;

int flush(File* f) {
  int rc = SQLITE_OK;
  for (std::size_t at = 0; at < f->buffer.size() && rc == SQLITE_OK; at += kMaxWrite) {
    const std::size_t n = std::min(kMaxWrite, f->buffer.size() - at);
    rc = f->wrapped.real->pMethods->xWrite(f->wrapped.real, f->buffer.data() + at,
                                           static_cast<int>(n),
                                           f->start + static_cast<sqlite3_int64>(at));
  }
  f->buffer.clear();
  return rc;
}

// Writes out what is buffered, then runs `call` on the wrapped file: for every operation that
// must see the file as SQLite wrote it.
template <typename Call>
int after_flush(sqlite3_file* file, Call call) {
  File* f = file_of(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return call(f->wrapped.real);
}

std::uint32_t big_endian_u32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) |
         std::uint32_t{u[3]};
}

int x_close(sqlite3_file* file) {
  File* f = file_of(file);
  const int flushed = flush(f);
  const int rc = f->wrapped.real->pMethods->xClose(f->wrapped.real);
  f->~File();
  return flushed != SQLITE_OK ? flushed : rc;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  return after_flush(file,
                     [&](sqlite3_file* r) { return r->pMethods->xRead(r, out, amount, offset); });
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = file_of(file);
  if (!f->buffer.empty() && offset != f->start + static_cast<sqlite3_int64>(f->buffer.size())) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (f->buffer.empty()) f->start = offset;
  const char* bytes = static_cast<const char*>(data);
  try {
    f->buffer.insert(f->buffer.end(), bytes, bytes + amount);
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  // A frame header's second field is the database size in pages after a commit, 0 otherwise.
  const bool commit_header = amount == kFrameHeaderBytes && big_endian_u32(bytes + 4) != 0;
  const bool commit_done = f->commit_page_next && amount != kFrameHeaderBytes;
  f->commit_page_next = commit_header;
  if (commit_done || f->buffer.size() >= kMaxBuffered) return flush(f);
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xTruncate(r, size); });
}

int x_sync(sqlite3_file* file, int flags) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xSync(r, flags); });
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xFileSize(r, size); });
}

int x_lock(sqlite3_file* file, int level) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xLock(r, level); });
}

int x_unlock(sqlite3_file* file, int level) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xUnlock(r, level); });
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xFileControl(r, op, arg); });
}

// Version 1: SQLite uses shared memory and memory-mapped reads through the database file only,
// never through its -wal file.
const sqlite3_io_methods g_wal_methods = [] {
  sqlite3_io_methods m = forwarding_methods(1);
  m.xClose = x_close;
  m.xRead = x_read;
  m.xWrite = x_write;
  m.xTruncate = x_truncate;
  m.xSync = x_sync;
  m.xFileSize = x_file_size;
  m.xLock = x_lock;
  m.xUnlock = x_unlock;
  m.xFileControl = x_file_control;
  return m;
}();

}  // namespace

std::size_t wal_file_bytes() {
  return sizeof(File);
}

int open_wal_file(sqlite3_vfs* base, sqlite3_filename name, sqlite3_file* file, int flags,
                  int* out_flags) {
  File* f = new (file) File();
  f->wrapped.base.pMethods = nullptr;  // until the wrapped file is open: SQLite skips x_close
  f->wrapped.real = reinterpret_cast<sqlite3_file*>(f + 1);
  const int rc = base->xOpen(base, name, f->wrapped.real, flags, out_flags);
  if (rc != SQLITE_OK || f->wrapped.real->pMethods == nullptr) {
    f->~File();
    return rc;
  }
  f->wrapped.base.pMethods = &g_wal_methods;
  return rc;
}

}  // namespace hearth::storage::detail
