// The store file through the process's shared map: reads and fetches within the file's known
// size come from the map, everything else goes to the wrapped VFS's file.
#include "storage/sql/shared_map_file.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "storage/sql/wrapped_file.h"

namespace hearth::storage::detail {
namespace {

// Address space reserved per store file: the map never moves as the file grows. Mapping past
// the end of a file costs no memory; only pages read become resident (file pages, which the
// kernel may drop). Where 256 GiB cannot be reserved, a smaller reservation is tried.
constexpr std::size_t kReserveBytes = std::size_t{1} << 38;
constexpr std::size_t kSmallReserveFloor = std::size_t{1} << 30;

// One store file's map, shared by every connection of the process that opened it.
struct SharedMap {
  dev_t device = 0;
  ino_t inode = 0;
  const char* base = nullptr;
  std::size_t reserved = 0;
  std::atomic<sqlite3_int64> known_size{0};  // bytes known to exist in the file
  int users = 0;                             // guarded by g_registry_mutex
};

std::mutex g_registry_mutex;
std::vector<SharedMap*> g_registry;  // few: one per store file open in the process

// The resident budget (see the header): checked every kTrimPeriod pages a thread served from a
// map (counted per thread: a shared counter would bounce between the cores on every page); one
// trim at a time.
constexpr std::uint32_t kTrimPeriod = 1024;
std::atomic<std::size_t> g_resident_budget{0};  // 0: not yet set (default_resident_budget)
thread_local std::uint32_t t_served = 0;
std::mutex g_trim_mutex;

// A number of bytes from a cgroup file ("max" and unreadable files: none).
std::size_t cgroup_limit(const std::string& file) {
  std::ifstream in(file);
  unsigned long long bytes = 0;
  return in >> bytes ? static_cast<std::size_t>(bytes) : SIZE_MAX;
}

// Half the memory the process may use: the machine's, or its cgroup's limit when lower (v2's
// memory.max, v1's memory.limit_in_bytes; of the process's own group, or the root one as a
// container sees it).
std::size_t default_resident_budget() {
  std::size_t limit = static_cast<std::size_t>(::sysconf(_SC_PHYS_PAGES)) *
                      static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::ifstream groups("/proc/self/cgroup");
  for (std::string line; std::getline(groups, line);) {
    const auto path_at = line.find(':', line.find(':') + 1);
    if (path_at == std::string::npos) continue;
    const std::string controllers = line.substr(line.find(':') + 1, path_at - line.find(':') - 1);
    const std::string path = line.substr(path_at + 1);
    if (controllers.empty()) {
      limit = std::min({limit, cgroup_limit("/sys/fs/cgroup" + path + "/memory.max"),
                        cgroup_limit("/sys/fs/cgroup/memory.max")});
    } else if (controllers == "memory") {
      limit =
          std::min({limit, cgroup_limit("/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes"),
                    cgroup_limit("/sys/fs/cgroup/memory/memory.limit_in_bytes")});
    }
  }
  return limit / 2;
}

std::size_t resident_budget() {
  std::size_t budget = g_resident_budget.load(std::memory_order_relaxed);
  if (budget == 0) {
    static const std::size_t kDefault = default_resident_budget();
    budget = kDefault;
  }
  return budget;
}

// The process's resident file-backed pages (the store maps' and the program's own), in bytes:
// the third field of /proc/self/statm; 0 when it cannot be read.
std::size_t resident_file_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long size = 0, resident = 0, shared = 0;
  const int n = std::fscanf(statm, "%lu %lu %lu", &size, &resident, &shared);
  std::fclose(statm);
  return n == 3 ? shared * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

// Past the budget: every map's pages leave the process's page tables. They stay in the OS page
// cache, and a page read again is mapped again by a minor fault; pages SQLite holds are only
// unmapped, never changed (the maps are read-only views of the file).
void trim_if_over_budget() {
  std::unique_lock<std::mutex> trimming(g_trim_mutex, std::try_to_lock);
  if (!trimming.owns_lock()) return;
  if (resident_file_bytes() <= resident_budget()) return;
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  for (SharedMap* map : g_registry) {
    const auto size = static_cast<std::size_t>(map->known_size.load(std::memory_order_acquire));
    ::madvise(const_cast<char*>(map->base), std::min(size, map->reserved), MADV_DONTNEED);
  }
}

void count_served() {
  if (++t_served % kTrimPeriod == 0) {
    trim_if_over_budget();
  }
}

// Raises the known size to the file's size now, as `fd` (a descriptor of the file) sees it;
// never lowers it: that is x_truncate's job.
sqlite3_int64 refresh_size(SharedMap& map, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return map.known_size.load(std::memory_order_acquire);
  const auto size = static_cast<sqlite3_int64>(st.st_size);
  sqlite3_int64 seen = map.known_size.load(std::memory_order_acquire);
  while (seen < size && !map.known_size.compare_exchange_weak(seen, size)) {
  }
  return std::max(seen, size);
}

void* reserve(int fd, std::size_t bytes) {
  void* at = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
  return at == MAP_FAILED ? nullptr : at;
}

// The head of os_unix.c's unixFile, the wrapped VFS's file: its descriptor follows the methods,
// VFS and inode pointers (so since SQLite 3.7). open_mapped_db_file checks what it reads here
// against the file's path before using it.
struct UnixFileHead {
  const sqlite3_io_methods* methods;
  sqlite3_vfs* vfs;
  void* inode;
  int fd;
};

// The descriptor of the wrapped file `real` opened at `path`, or -1 when it cannot be told.
// Why not a descriptor of our own: closing any descriptor of a file drops every POSIX lock the
// process holds on it, SQLite's connections' included (os_unix.c keeps such descriptors open
// until the locks go for this reason). Borrowing SQLite's opens and closes nothing.
int descriptor_of(sqlite3_vfs* base, sqlite3_file* real, const char* path, struct stat& st) {
  if (std::strncmp(base->zName, "unix", 4) != 0 ||
      static_cast<std::size_t>(base->szOsFile) < sizeof(UnixFileHead)) {
    return -1;
  }
  const int fd = reinterpret_cast<const UnixFileHead*>(real)->fd;
  struct stat by_path {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || ::stat(path, &by_path) != 0 || !S_ISREG(st.st_mode) ||
      st.st_dev != by_path.st_dev || st.st_ino != by_path.st_ino) {
    return -1;
  }
  return fd;
}

// The map of the file `fd` (`st` its status), shared with the connections that have it open
// already; null when it cannot be mapped.
SharedMap* acquire(int fd, const struct stat& st) {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  for (SharedMap* map : g_registry) {
    if (map->device == st.st_dev && map->inode == st.st_ino) {
      ++map->users;
      return map;
    }
  }
  std::size_t reserved = kReserveBytes;
  void* base = reserve(fd, reserved);
  if (base == nullptr) {
    reserved = std::max(kSmallReserveFloor, static_cast<std::size_t>(st.st_size) * 2);
    base = reserve(fd, reserved);
  }
  if (base == nullptr) return nullptr;
  auto* map = new (std::nothrow) SharedMap();
  if (map == nullptr) {
    ::munmap(base, reserved);
    return nullptr;
  }
  map->device = st.st_dev;
  map->inode = st.st_ino;
  map->base = static_cast<const char*>(base);
  map->reserved = reserved;
  map->known_size.store(st.st_size, std::memory_order_release);
  map->users = 1;
  try {
    g_registry.push_back(map);
  } catch (const std::bad_alloc&) {
    ::munmap(base, reserved);
    delete map;
    return nullptr;
  }
  return map;
}

void release(SharedMap* map) {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  if (--map->users > 0) return;
  g_registry.erase(std::find(g_registry.begin(), g_registry.end(), map));
  ::munmap(const_cast<char*>(map->base), map->reserved);
  delete map;
}

// A main database file: SQLite's handle, then ours; the wrapped VFS's file lies right after it.
struct MappedFile {
  WrappedFile wrapped;  // must be first (wrapped_file.h)
  SharedMap* map = nullptr;
  int fd = -1;                   // the wrapped file's descriptor, to learn the file's size
  sqlite3_int64 mmap_limit = 0;  // the connection's PRAGMA mmap_size: 0 = no xFetch
};

MappedFile* file_of(sqlite3_file* f) {
  return reinterpret_cast<MappedFile*>(f);
}

// The map's bytes [offset, offset + amount), or null when they are not known to be in the file.
const char* mapped(const MappedFile& f, sqlite3_int64 offset, int amount) {
  if (f.map == nullptr) return nullptr;
  SharedMap& map = *f.map;
  const sqlite3_int64 end = offset + amount;
  if (offset < 0 || static_cast<std::size_t>(end) > map.reserved) return nullptr;
  if (end > map.known_size.load(std::memory_order_acquire) && end > refresh_size(map, f.fd)) {
    return nullptr;
  }
  return map.base + offset;
}

int x_close(sqlite3_file* file) {
  MappedFile* f = file_of(file);
  const int rc = f->wrapped.real->pMethods->xClose(f->wrapped.real);
  if (f->map != nullptr) release(f->map);
  f->~MappedFile();
  return rc;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  MappedFile* f = file_of(file);
  if (const char* bytes = mapped(*f, offset, amount)) {
    std::memcpy(out, bytes, static_cast<std::size_t>(amount));
    count_served();
    return SQLITE_OK;
  }
  return f->wrapped.real->pMethods->xRead(f->wrapped.real, out, amount,
                                          offset);  // past the end: a short read
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  MappedFile* f = file_of(file);
  // Lowered before the file shrinks: no read of this process maps a page being cut off.
  if (f->map != nullptr) {
    sqlite3_int64 seen = f->map->known_size.load(std::memory_order_acquire);
    while (seen > size && !f->map->known_size.compare_exchange_weak(seen, size)) {
    }
  }
  return f->wrapped.real->pMethods->xTruncate(f->wrapped.real, size);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  MappedFile* f = file_of(file);
  if (op == SQLITE_FCNTL_MMAP_SIZE) {
    // The wrapped VFS would map the file again for this connection, capped at 2 GiB: the limit
    // only decides whether SQLite fetches pages from our map.
    auto* limit = static_cast<sqlite3_int64*>(arg);
    if (*limit >= 0) f->mmap_limit = *limit;
    *limit = f->mmap_limit;
    return SQLITE_OK;
  }
  return f->wrapped.real->pMethods->xFileControl(f->wrapped.real, op, arg);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  MappedFile* f = file_of(file);
  *out = nullptr;  // SQLite reads the page with xRead instead
  if (f->mmap_limit > 0 && offset + amount <= f->mmap_limit) {
    *out = const_cast<char*>(mapped(*f, offset, amount));
    if (*out != nullptr) count_served();
  }
  return SQLITE_OK;
}

// The map is the process's, not the connection's: nothing to release per page, and SQLite's
// "drop every mapping" (a null page) must not unmap what other connections use.
int x_unfetch(sqlite3_file*, sqlite3_int64, void*) {
  return SQLITE_OK;
}

// Our methods at the wrapped file's version (1: no shared memory, 2: no fetch): SQLite asks
// for no more than that file can do.
sqlite3_io_methods methods_at(int version) {
  sqlite3_io_methods m = forwarding_methods(version);
  m.xClose = x_close;
  m.xRead = x_read;
  m.xTruncate = x_truncate;
  m.xFileControl = x_file_control;
  if (version >= 3) {
    m.xFetch = x_fetch;
    m.xUnfetch = x_unfetch;
  }
  return m;
}

const sqlite3_io_methods g_methods[] = {methods_at(1), methods_at(2), methods_at(3)};

}  // namespace

std::size_t mapped_db_file_bytes() {
  return sizeof(MappedFile);
}

int open_mapped_db_file(sqlite3_vfs* base, sqlite3_filename name, sqlite3_file* file, int flags,
                        int* out_flags) {
  auto* real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(MappedFile));
  const int rc = base->xOpen(base, name, real, flags, out_flags);
  if (rc != SQLITE_OK || real->pMethods == nullptr) {
    file->pMethods = nullptr;
    return rc;
  }
  // Without a map (none could be made, or the wrapped file cannot fetch) the file still goes
  // through us, read by the wrapped VFS: an open file is never moved.
  const int version = std::clamp(real->pMethods->iVersion, 1, 3);
  MappedFile* f = new (file) MappedFile();
  f->wrapped.real = real;
  if (struct stat st{}; version == 3) {
    f->fd = descriptor_of(base, real, name, st);
    if (f->fd >= 0) f->map = acquire(f->fd, st);
  }
  f->wrapped.base.pMethods = &g_methods[version - 1];
  return rc;
}

void set_map_resident_budget(std::size_t bytes) {
  g_resident_budget.store(bytes, std::memory_order_relaxed);  // 0: the default again
}

std::size_t shared_maps_open() {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  return g_registry.size();
}

}  // namespace hearth::storage::detail
