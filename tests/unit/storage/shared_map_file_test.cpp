// The store file read through the process's shared map (storage/sql/shared_map_file.h): all
// connections of the process to one file share one map, released with the last of them; a
// connection reading through it (pages used in place, and copied) sees what another connection
// wrote and checkpointed into the file, as the file grows past the size first seen and after a
// VACUUM shrank it; a connection's mmap_size is the VFS's, not SQLite's 2 GiB cap; the map's
// resident pages stay under the budget; opening and closing connections keeps others' locks.
#include "storage/sql/shared_map_file.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>

#include "sqlite_db.h"
#include "storage/sql/hearth_vfs.h"

namespace hearth::storage::detail {
namespace {

using testing::Db;
using testing::TempDb;

// Adds `rows` rows (n = first .. first + rows - 1, 2 KB each) and moves every page into the
// store file, where readers then find them through the map.
void add_and_checkpoint(Db& writer, long long first, int rows) {
  writer.exec("WITH RECURSIVE s(i) AS (SELECT " + std::to_string(first) +
              " UNION ALL SELECT i + 1 FROM s WHERE i < " + std::to_string(first + rows - 1) +
              ") INSERT INTO t (n, v) SELECT i, randomblob(2000) FROM s");
  writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// What `reader` finds, checked against a connection that reads with plain pread() calls.
void check_same(Db& reader, Db& plain) {
  CHECK(reader.count() == plain.count());
  CHECK(reader.value("SELECT COALESCE(SUM(n), 0) FROM t") ==
        plain.value("SELECT COALESCE(SUM(n), 0) FROM t"));
  CHECK(reader.value("SELECT COALESCE(SUM(length(v)), 0) FROM t") ==
        plain.value("SELECT COALESCE(SUM(length(v)), 0) FROM t"));
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("shared map: one map per store file; reads follow the file as it grows and shrinks") {
  REQUIRE(register_hearth_vfs());
  const TempDb temp("shmap");
  const std::string& path = temp.path;
  const std::size_t maps_before = shared_maps_open();
  {
    Db writer(path, nullptr);
    writer.exec("PRAGMA journal_mode = WAL");
    writer.exec("PRAGMA wal_autocheckpoint = 0");
    writer.exec("PRAGMA mmap_size = " + std::to_string(kMmapWholeStore));
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, v BLOB)");
    writer.exec("CREATE INDEX t_n ON t (n)");
    Db reader(path, nullptr);
    reader.exec("PRAGMA mmap_size = " + std::to_string(kMmapWholeStore));
    CHECK(reader.value("PRAGMA mmap_size") == kMmapWholeStore);  // SQLite's VFS stops at 2 GiB
    Db copier(path, nullptr);  // mmap_size 0: pages are copied out of the map by xRead
    Db plain(path, "unix");
    CHECK(shared_maps_open() == maps_before + 1);  // three connections, one map

    long long next = 1;
    for (int round = 0; round < 4; ++round) {  // each round grows the file past what was seen
      check_same(reader, plain);
      check_same(copier, plain);
      add_and_checkpoint(writer, next, 500);
      next += 500;
    }
    check_same(reader, plain);
    check_same(copier, plain);
    const auto grown = std::filesystem::file_size(path);

    writer.exec("DELETE FROM t WHERE n % 10 <> 0");
    writer.exec("VACUUM");
    writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    REQUIRE(std::filesystem::file_size(path) < grown / 2);  // the file was cut
    check_same(reader, plain);
    check_same(copier, plain);
    CHECK(reader.count() == 200);

    add_and_checkpoint(writer, next, 800);  // and grows again over the pages cut
    check_same(reader, plain);
    check_same(copier, plain);
    CHECK(reader.count() == 1000);
  }
  CHECK(shared_maps_open() == maps_before);  // released with the last connection
}

// The resident bytes of this process's maps of `path` (/proc/self/smaps: Rss of each mapping
// whose file is `path`).
std::size_t mapped_rss(const std::string& path) {
  const std::string canonical = std::filesystem::canonical(path).string();
  std::ifstream smaps("/proc/self/smaps");
  std::size_t kib = 0;
  bool ours = false;
  for (std::string line; std::getline(smaps, line);) {
    const bool header = !line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
                        line.find('-') != std::string::npos && line.find(':') > line.find('-');
    if (header) {
      ours = line.size() >= canonical.size() &&
             line.compare(line.size() - canonical.size(), canonical.size(), canonical) == 0;
    } else if (ours && line.rfind("Rss:", 0) == 0) {
      kib += std::stoul(line.substr(4));
    }
  }
  return kib << 10;
}

TEST_CASE("shared map: pages read stay mapped up to the resident budget, then are unmapped") {
  REQUIRE(register_hearth_vfs());
  const TempDb temp("shrss");
  const std::string& path = temp.path;
  {
    Db writer(path, nullptr);
    writer.exec("PRAGMA journal_mode = WAL");
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, v BLOB)");
    add_and_checkpoint(writer, 1, 12'000);  // about 25 MB
    const auto file = std::filesystem::file_size(path);
    REQUIRE(file > (20u << 20));
    Db reader(path, nullptr);
    reader.exec("PRAGMA mmap_size = " + std::to_string(kMmapWholeStore));
    const std::string scan = "SELECT SUM(length(v)) FROM t";

    set_map_resident_budget(std::size_t{1} << 40);  // never reached: the scan stays mapped
    CHECK(reader.value(scan) == 12'000 * 2000);
    CHECK(mapped_rss(path) > file / 2);  // the pages came from the map, in place

    set_map_resident_budget(std::size_t{1} << 20);  // below the program's own code: always past
    CHECK(reader.value(scan) == 12'000 * 2000);
    CHECK(mapped_rss(path) < (8u << 20));  // at most ~1,024 pages since the last trim
    set_map_resident_budget(0);
  }
}

// Whether another process finds a lock on the store: a child asks the kernel (F_GETLK) whether
// a write lock over the whole file would conflict. Not through SQLite: a forked child inherits
// SQLite's record of its parent's locks and would answer from it.
bool locked_for_other_processes(const std::string& path) {
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    const bool locked = fd >= 0 && ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::_exit(locked ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Closing any descriptor of a file drops all the process's POSIX locks on it: opening and
// closing store connections must never do that to a lock another connection holds.
TEST_CASE("shared map: opening and closing connections keeps the locks others hold") {
  REQUIRE(register_hearth_vfs());
  const TempDb temp("shlock");
  const std::string& path = temp.path;
  {
    Db holder(path, "unix");
    holder.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, v BLOB)");
    holder.exec("BEGIN EXCLUSIVE");
    REQUIRE(locked_for_other_processes(path));
    {
      Db first(path, nullptr);   // makes the map
      Db second(path, nullptr);  // shares it
      CHECK(locked_for_other_processes(path));
    }  // the map goes with the last of them
    CHECK(locked_for_other_processes(path));
    holder.exec("COMMIT");
    CHECK_FALSE(locked_for_other_processes(path));
  }
}

}  // namespace
}  // namespace hearth::storage::detail
