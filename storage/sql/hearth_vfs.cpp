// Hearth's VFS: opens dispatch on the kind of file; everything else is the wrapped VFS's.
#include "storage/sql/hearth_vfs.h"

#include <sqlite3.h>

#include <algorithm>

#include "storage/sql/shared_map_file.h"
#include "storage/sql/wal_write_buffer.h"

namespace hearth::storage::detail {
namespace {

sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) != 0) return open_wal_file(g_base, name, file, flags, out_flags);
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr) {
    return open_mapped_db_file(g_base, name, file, flags, out_flags);
  }
  // In place: SQLite calls the wrapped file's methods directly.
  return g_base->xOpen(g_base, name, file, flags, out_flags);
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

bool register_hearth_vfs() {
  static const bool registered = [] {
    g_base = sqlite3_vfs_find(nullptr);
    if (g_base == nullptr || g_base->iVersion < 2) return false;
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile =
        static_cast<int>(std::max(wal_file_bytes(), mapped_db_file_bytes())) + g_base->szOsFile;
    g_vfs.mxPathname = g_base->mxPathname;
    g_vfs.zName = kHearthVfsName;
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
