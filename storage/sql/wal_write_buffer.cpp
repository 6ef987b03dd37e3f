// The WAL write buffer VFS: every method forwards to the wrapped VFS's file; -wal files gather
// contiguous appends until the commit frame's page is written.
#include "storage/sql/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

namespace hearth::storage::detail {
namespace {

constexpr std::size_t kMaxBuffered = 4u << 20;
constexpr int kFrameHeaderBytes = 24;  // wal.c: a frame is a 24-byte header and one page

sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;

struct File {
  sqlite3_file base;      // must be first: SQLite hands this pointer to the methods
  sqlite3_file* real;     // the wrapped VFS's file, allocated right after this struct
  bool wal;               // a -wal file: writes are gathered
  bool commit_page_next;  // the last write was a commit frame's header
  sqlite3_int64 start;    // file offset of buffer[0]
  std::vector<char>* buffer;
};

sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<File*>(f)->real;
}

// The unix VFS writes at most 128 KiB - 1 per call (os_unix.c seekAndWrite masks the length to
// 17 bits), so the buffer goes out in pieces below that.
constexpr std::size_t kMaxWrite = 120u << 10;

int flush(File* f) {
  if (f->buffer == nullptr || f->buffer->empty()) return SQLITE_OK;
  const std::vector<char>& buffer = *f->buffer;
  int rc = SQLITE_OK;
  for (std::size_t at = 0; at < buffer.size() && rc == SQLITE_OK; at += kMaxWrite) {
    const std::size_t n = std::min(kMaxWrite, buffer.size() - at);
    rc = f->real->pMethods->xWrite(f->real, buffer.data() + at, static_cast<int>(n),
                                   f->start + static_cast<sqlite3_int64>(at));
  }
  f->buffer->clear();
  return rc;
}

// Writes out what is buffered, then runs `call` on the wrapped file: for every operation that
// must see the file as SQLite wrote it.
template <typename Call>
int after_flush(sqlite3_file* file, Call call) {
  auto* f = reinterpret_cast<File*>(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return call(f->real);
}

std::uint32_t big_endian_u32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) |
         std::uint32_t{u[3]};
}

int x_close(sqlite3_file* file) {
  auto* f = reinterpret_cast<File*>(file);
  const int flushed = flush(f);
  const int rc = f->real->pMethods != nullptr ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
  delete f->buffer;
  f->buffer = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  return after_flush(file,
                     [&](sqlite3_file* r) { return r->pMethods->xRead(r, out, amount, offset); });
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  auto* f = reinterpret_cast<File*>(file);
  if (!f->wal) return f->real->pMethods->xWrite(f->real, data, amount, offset);
  std::vector<char>& buffer = *f->buffer;
  if (!buffer.empty() && offset != f->start + static_cast<sqlite3_int64>(buffer.size())) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (buffer.empty()) f->start = offset;
  const char* bytes = static_cast<const char*>(data);
  buffer.insert(buffer.end(), bytes, bytes + amount);
  // A frame header's second field is the database size in pages after a commit, 0 otherwise.
  const bool commit_header = amount == kFrameHeaderBytes && big_endian_u32(bytes + 4) != 0;
  const bool commit_done = f->commit_page_next && amount != kFrameHeaderBytes;
  f->commit_page_next = commit_header;
  if (commit_done || buffer.size() >= kMaxBuffered) return flush(f);
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

int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return real(file)->pMethods->xCheckReservedLock(real(file), out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  return after_flush(file, [&](sqlite3_file* r) { return r->pMethods->xFileControl(r, op, arg); });
}

int x_sector_size(sqlite3_file* file) {
  return real(file)->pMethods->xSectorSize(real(file));
}

int x_device_characteristics(sqlite3_file* file) {
  return real(file)->pMethods->xDeviceCharacteristics(real(file));
}

int x_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return real(file)->pMethods->xShmMap(real(file), page, size, extend, out);
}

int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real(file)->pMethods->xShmLock(real(file), offset, n, flags);
}

void x_shm_barrier(sqlite3_file* file) {
  real(file)->pMethods->xShmBarrier(real(file));
}

int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real(file)->pMethods->xShmUnmap(real(file), delete_flag);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return after_flush(file,
                     [&](sqlite3_file* r) { return r->pMethods->xFetch(r, offset, amount, out); });
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return real(file)->pMethods->xUnfetch(real(file), offset, page);
}

// One table per version of the wrapped file's methods, so SQLite never calls a method the
// wrapped file lacks.
sqlite3_io_methods make_methods(int version) {
  sqlite3_io_methods m{};
  m.iVersion = version;
  m.xClose = x_close;
  m.xRead = x_read;
  m.xWrite = x_write;
  m.xTruncate = x_truncate;
  m.xSync = x_sync;
  m.xFileSize = x_file_size;
  m.xLock = x_lock;
  m.xUnlock = x_unlock;
  m.xCheckReservedLock = x_check_reserved_lock;
  m.xFileControl = x_file_control;
  m.xSectorSize = x_sector_size;
  m.xDeviceCharacteristics = x_device_characteristics;
  if (version >= 2) {
    m.xShmMap = x_shm_map;
    m.xShmLock = x_shm_lock;
    m.xShmBarrier = x_shm_barrier;
    m.xShmUnmap = x_shm_unmap;
  }
  if (version >= 3) {
    m.xFetch = x_fetch;
    m.xUnfetch = x_unfetch;
  }
  return m;
}

const sqlite3_io_methods g_methods[3] = {make_methods(1), make_methods(2), make_methods(3)};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  // Any other file is the wrapped VFS's own, in place: SQLite calls its methods directly, so
  // the database file's reads pay nothing for this VFS.
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_base->xOpen(g_base, name, file, flags, out_flags);
  auto* f = reinterpret_cast<File*>(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->wal = true;
  f->commit_page_next = false;
  f->start = 0;
  f->buffer = nullptr;
  f->base.pMethods = nullptr;
  const int rc = g_base->xOpen(g_base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == nullptr) return rc;
  if (f->wal) {
    f->buffer = new (std::nothrow) std::vector<char>();
    if (f->buffer == nullptr) f->wal = false;  // unbuffered, still correct
  }
  const int version = f->real->pMethods->iVersion;
  f->base.pMethods = &g_methods[(version < 1 ? 1 : version > 3 ? 3 : version) - 1];
  return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_base->xDelete(g_base, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_base->xAccess(g_base, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) {
  return g_base->xDlOpen(g_base, name);
}
void x_dl_error(sqlite3_vfs*, int n, char* out) {
  g_base->xDlError(g_base, n, out);
}
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_base->xDlSym(g_base, handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) {
  g_base->xDlClose(g_base, handle);
}
int x_randomness(sqlite3_vfs*, int n, char* out) {
  return g_base->xRandomness(g_base, n, out);
}
int x_sleep(sqlite3_vfs*, int micros) {
  return g_base->xSleep(g_base, micros);
}
int x_current_time(sqlite3_vfs*, double* out) {
  return g_base->xCurrentTime(g_base, out);
}
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
  return g_base->xGetLastError != nullptr ? g_base->xGetLastError(g_base, n, out) : 0;
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_base->xCurrentTimeInt64(g_base, out);
}

}  // namespace

bool register_wal_write_buffer() {
  static const bool registered = [] {
    g_base = sqlite3_vfs_find(nullptr);
    if (g_base == nullptr || g_base->iVersion < 2) return false;
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(File)) + g_base->szOsFile;
    g_vfs.mxPathname = g_base->mxPathname;
    g_vfs.zName = "hearth-wal-buffer";
    g_vfs.xOpen = x_open;
    g_vfs.xDelete = x_delete;
    g_vfs.xAccess = x_access;
    g_vfs.xFullPathname = x_full_pathname;
    g_vfs.xDlOpen = x_dl_open;
    g_vfs.xDlError = x_dl_error;
    g_vfs.xDlSym = x_dl_sym;
    g_vfs.xDlClose = x_dl_close;
    g_vfs.xRandomness = x_randomness;
    g_vfs.xSleep = x_sleep;
    g_vfs.xCurrentTime = x_current_time;
    g_vfs.xGetLastError = x_get_last_error;
    g_vfs.xCurrentTimeInt64 = x_current_time_int64;
    return sqlite3_vfs_register(&g_vfs, /*makeDflt=*/1) == SQLITE_OK;
  }();
  return registered;
}

}  // namespace hearth::storage::detail
