// Store throughput, single-threaded, through the public Store API: creates/s and reads/s of
// 2 KB bodies on a SQLite file (and PostgreSQL when HEARTH_TEST_PG_URL is set), printed beside
// the same read done with raw sqlite3 prepared statements as the ceiling.
//
//   build/bench/store/store_bench [creates] [reads]
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/store.h"

namespace {

using hearth::storage::Store;
using hearth::storage::WriteRequest;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Process CPU seconds: on a shared, loaded machine wall time says more about the neighbours.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string id_of(int i) {
  return "bench-" + std::to_string(i);
}

// Returns reads/s; exits on any failure.
void run(const char* name, const std::string& url, int creates, int reads) {
  auto clock = hearth::make_system_clock();
  auto opened = hearth::storage::open_store(url, *clock);
  if (!opened.is_ok()) {
    std::fprintf(stderr, "%s: %s\n", name, opened.status().message().c_str());
    std::exit(1);
  }
  Store& store = **opened;
  const std::string filler(2000, 'x');
  WriteRequest request;
  request.type = "Patient";
  auto start = Clock::now();
  double cpu = cpu_seconds();
  for (int i = 0; i < creates; ++i) {
    request.id = id_of(i);
    request.make_body = [&](std::int64_t v, std::int64_t lu) {
      return "{\"resourceType\":\"Patient\",\"id\":\"" + request.id +
             "\",\"meta\":{\"versionId\":\"" + std::to_string(v) +
             "\",\"lastUpdated\":" + std::to_string(lu) + "},\"text\":\"" + filler + "\"}";
    };
    if (!store.create(request).is_ok()) {
      std::fprintf(stderr, "%s: create failed\n", name);
      std::exit(1);
    }
  }
  const double create_rate = creates / seconds_since(start);
  const double create_cpu_us = (cpu_seconds() - cpu) * 1e6 / creates;

  std::mt19937 rng(42);
  std::vector<std::string> ids(reads);
  for (auto& id : ids) id = id_of(static_cast<int>(rng() % creates));
  std::size_t bytes = 0;
  start = Clock::now();
  cpu = cpu_seconds();
  for (const auto& id : ids) {
    auto r = store.read("Patient", id);
    if (!r.is_ok()) {
      std::fprintf(stderr, "%s: read failed\n", name);
      std::exit(1);
    }
    bytes += r->body.size();
  }
  const double read_secs = seconds_since(start);
  const double read_cpu_us = (cpu_seconds() - cpu) * 1e6 / reads;
  std::printf(
      "%-11s creates/s %9.0f   reads/s %9.0f   (%.2f us/read wall; cpu %.1f us/create, "
      "%.2f us/read; %zu B/body)\n",
      name, create_rate, reads / read_secs, read_secs * 1e6 / reads, create_cpu_us, read_cpu_us,
      bytes / reads);
}

// The ceiling: the same point read with a raw sqlite3 prepared statement.
void raw_sqlite_reads(const std::string& path, int creates, int reads) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT version, last_updated, deleted, method, body FROM resource"
                     " WHERE res_type = ?1 AND res_id = ?2",
                     -1, &st, nullptr);
  std::mt19937 rng(42);
  std::vector<std::string> ids(reads);
  for (auto& id : ids) id = id_of(static_cast<int>(rng() % creates));
  std::size_t bytes = 0;
  auto start = Clock::now();
  const double cpu = cpu_seconds();
  for (const auto& id : ids) {
    sqlite3_bind_text(st, 1, "Patient", 7, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
      std::string body(reinterpret_cast<const char*>(sqlite3_column_text(st, 4)),
                       sqlite3_column_bytes(st, 4));
      bytes += body.size();
    }
    sqlite3_reset(st);
  }
  const double secs = seconds_since(start);
  std::printf(
      "%-11s                     reads/s %9.0f   (%.2f us/read wall; cpu %.2f us/read)"
      "  [reference, same pragmas as sqlite3 defaults]\n",
      "raw-sqlite3", reads / secs, secs * 1e6 / reads, (cpu_seconds() - cpu) * 1e6 / reads);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// The ceiling for creates: the same transaction (lookup, two inserts) with raw sqlite3 on a
// database with the store's schema and pragmas.
void raw_sqlite_creates(const std::string& path, int creates) {
  {
    auto clock = hearth::make_system_clock();
    if (!hearth::storage::open_store("sqlite:" + path, *clock).is_ok()) std::exit(1);
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  sqlite3_stmt *begin, *commit, *lookup, *ins_cur, *ins_ver;
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);
  sqlite3_prepare_v2(db, "SELECT version FROM resource WHERE res_type=?1 AND res_id=?2", -1,
                     &lookup, nullptr);
  const char* cols =
      "(res_type, res_id, version, last_updated, deleted, method, body) VALUES"
      " (?1, ?2, 1, ?3, 0, 'POST', ?4)";
  sqlite3_prepare_v2(db, (std::string("INSERT INTO resource ") + cols).c_str(), -1, &ins_cur,
                     nullptr);
  sqlite3_prepare_v2(db, (std::string("INSERT INTO resource_version ") + cols).c_str(), -1,
                     &ins_ver, nullptr);
  const std::string body(2100, 'x');
  auto start = Clock::now();
  for (int i = 0; i < creates; ++i) {
    const std::string id = id_of(i);
    sqlite3_step(begin);
    sqlite3_reset(begin);
    sqlite3_bind_text(lookup, 1, "Patient", 7, SQLITE_STATIC);
    sqlite3_bind_text(lookup, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    sqlite3_step(lookup);
    sqlite3_reset(lookup);
    for (sqlite3_stmt* st : {ins_cur, ins_ver}) {
      sqlite3_bind_text(st, 1, "Patient", 7, SQLITE_STATIC);
      sqlite3_bind_text(st, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      sqlite3_bind_int64(st, 3, i);
      sqlite3_bind_text(st, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      sqlite3_step(st);
      sqlite3_reset(st);
    }
    sqlite3_step(commit);
    sqlite3_reset(commit);
  }
  const double secs = seconds_since(start);
  std::printf("%-11s creates/s %9.0f                                    [reference]\n",
              "raw-sqlite3", creates / secs);
  for (sqlite3_stmt* st : {begin, commit, lookup, ins_cur, ins_ver}) sqlite3_finalize(st);
  sqlite3_close(db);
}

}  // namespace

int main(int argc, char** argv) {
  const int creates = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int reads = argc > 2 ? std::atoi(argv[2]) : 200000;
  const auto dir =
      std::filesystem::temp_directory_path() / ("hearth-store-bench-" + std::to_string(::getpid()));
  const std::string path = (dir / "bench.sqlite").string();
  run("sqlite", "sqlite:" + path, creates, reads);
  raw_sqlite_reads(path, creates, reads);
  raw_sqlite_creates((dir / "raw.sqlite").string(), creates);
  std::filesystem::remove_all(dir);
  if (const char* pg = std::getenv("HEARTH_TEST_PG_URL")) {
    // A fresh database is the caller's business: ids collide with an earlier run's.
    run("postgresql", pg, creates / 10, reads / 10);
  }
  return 0;
}
