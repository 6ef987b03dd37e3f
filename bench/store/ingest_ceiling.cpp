// The storage ceiling of an HL7 ingest: what SQLite alone spends to write the rows an ingest
// wrote. It takes a store kept by ingest_cost, creates a fresh store with the same schema, and
// writes the source's rows into it again with nothing of Hearth's in between (no parse, mapping,
// validation, extraction or binding: `INSERT OR IGNORE INTO t SELECT ...` per table, as the index's
// own inserts are OR IGNORE, which needs no statement journal), in commits
// that each carry `per_commit` messages' worth of every table, as the group commit's batches do
// under load, on one thread with the writer's settings (session_pool.cpp, Hearth's VFS). The
// writer thread's CPU per message is then the least a single SQLite writer can spend on this
// schema's rows, whatever the code before it does: 1 / that figure is the most messages a second
// the store can take.
//
//   HEARTH_COST_KEEP=1 build/bench/hl7/ingest_cost oru 3000 32     # prints "store kept: PATH"
//   build/bench/store/ingest_ceiling PATH [per_commit] [SQL]        # 17: ORU^R01 at 32 connections
//
// SQL, when given, runs on the fresh store before the copy: a schema change measured before it is
// made ("DROP INDEX idx_reference_target" prices that index).
//
// Every table with a `rid` (resources, index rows), `seq` (versions) or `id` (archived
// messages) key is copied, sliced by key into as many commits as the messages make; the
// full-text words go through idx_text's FTS5 index as the drain writes them (text_index.h). The
// WAL is reset past 64 MiB as the writer does (wal_checkpointer.h); that copy is timed apart,
// since in `hearth serve` most of it runs on the checkpointer's thread.
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/sql/words_tokenizer.h"
#include "storage/store.h"

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ingest_ceiling: %s\n", what.c_str());
  std::exit(1);
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) * 1e-3;
}

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string text = error != nullptr ? error : "?";
    sqlite3_free(error);
    die(sql + ": " + text);
  }
}

sqlite3_stmt* prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    die(sql + ": " + sqlite3_errmsg(db));
  }
  return st;
}

long long scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = prepare(db, sql);
  const long long value = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return value;
}

// One table copied slice by slice: its key column, the slice statement and what it cost.
struct Copy {
  std::string table, key;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* read = nullptr;  // the slice's rows read alone: the copy's own overhead
  long long rows = 0;
  long long top = 0;  // the largest key: the slices split 1..top
  double cpu_us = 0, read_us = 0;
};

// The key a table is sliced by, or "" for a table left out (the schema's version, the
// parameter ids the fresh store already has, the phonetic dictionary, FTS5's own tables).
std::string key_of(sqlite3* db, const std::string& table) {
  if (table.rfind("idx_text", 0) == 0 || table.rfind("sqlite_", 0) == 0) return "";
  std::string key;
  sqlite3_stmt* st = prepare(db, "SELECT name FROM pragma_table_info(?1, 'src')");
  sqlite3_bind_text(st, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::string column = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (column == "rid") key = "rid";
    if (key.empty() && (column == "seq" || (column == "id" && table == "hl7_message"))) {
      key = column;
    }
  }
  sqlite3_finalize(st);
  return key;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: ingest_ceiling SOURCE.db [messages per commit] [SQL]");
  const std::string source = argv[1];
  const int per_commit = argc > 2 ? std::atoi(argv[2]) : 17;
  if (!std::filesystem::exists(source) || per_commit < 1) die("no store at " + source);

  // The fresh store: made by the store itself (its schema, its VFS registered as the default).
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("hearth-ingest-ceiling-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string target = (dir / "ceiling.db").string();
  {
    auto store = hearth::storage::open_store("sqlite:" + target);
    if (!store.is_ok()) die("cannot create " + target + ": " + store.status().message());
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(target.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, nullptr) !=
      SQLITE_OK) {
    die("cannot open " + target);
  }
  if (!hearth::storage::detail::register_words_tokenizer(db)) die("this SQLite has no FTS5");
  exec(db,
       "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
       " PRAGMA mmap_size = 0; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0");
  if (argc > 3) exec(db, argv[3]);
  exec(db, "ATTACH DATABASE 'file:" + source + "?mode=ro' AS src");

  const long long messages = scalar(db, "SELECT COUNT(*) FROM src.hl7_message");
  const long long max_id = scalar(db, "SELECT MAX(id) FROM src.hl7_message");
  const long long max_rid = scalar(db, "SELECT MAX(seq) FROM src.resource_version");
  if (messages == 0) die(source + " holds no messages");

  // Each table's rows staged in memory by key first, so that a slice's read is a range scan
  // whatever the table's own order (idx_token_date is keyed by parameter first).
  std::vector<Copy> copies;
  sqlite3_stmt* tables = prepare(db,
                                 "SELECT name FROM src.sqlite_schema WHERE type = 'table'"
                                 " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name");
  while (sqlite3_step(tables) == SQLITE_ROW) {
    const std::string table = reinterpret_cast<const char*>(sqlite3_column_text(tables, 0));
    const std::string key = key_of(db, table);
    if (key.empty()) continue;
    copies.push_back(Copy{table, key});
  }
  sqlite3_finalize(tables);
  copies.push_back(Copy{"idx_text", "rid"});  // the full-text words, through FTS5
  for (Copy& c : copies) {
    const std::string from = c.table == "idx_text"
                                 ? "SELECT rid, words FROM src.idx_text_words UNION ALL"
                                   " SELECT rid, words FROM src.idx_text_pending"
                                 : "SELECT * FROM src.\"" + c.table + "\"";
    exec(db, "CREATE TEMP TABLE \"stage_" + c.table + "\" AS " + from + " ORDER BY " + c.key);
    exec(db, "CREATE INDEX temp.\"stage_" + c.table + "_key\" ON \"stage_" + c.table + "\" (" +
                 c.key + ")");
    const std::string slice =
        " FROM temp.\"stage_" + c.table + "\" WHERE " + c.key + " >= ?1 AND " + c.key + " < ?2";
    c.insert =
        prepare(db, c.table == "idx_text"
                        ? "INSERT INTO main.idx_text_words (rid, words) SELECT rid, words" + slice
                        : "INSERT OR IGNORE INTO main.\"" + c.table + "\" SELECT *" + slice);
    c.read = prepare(db, "SELECT *" + slice);
    c.rows = scalar(db, "SELECT COUNT(*) FROM temp.\"stage_" + c.table + "\"");
    c.top = c.key == "id" ? max_id : max_rid;
  }
  // FTS5 takes the same staged words in a statement of its own (external content: the drain
  // writes idx_text_words and then the index, text_index.h).
  Copy fts = copies.back();
  fts.table = "idx_text (FTS5)";
  fts.insert = prepare(db,
                       "INSERT INTO main.idx_text (rowid, words) SELECT rid, words FROM"
                       " temp.stage_idx_text WHERE rid >= ?1 AND rid < ?2");
  fts.read = prepare(db, "SELECT * FROM temp.stage_idx_text WHERE rid >= ?1 AND rid < ?2");
  copies.push_back(fts);

  // The WAL's size in pages after each commit, as the writer's checkpointer reads it.
  static int wal_pages = 0;
  sqlite3_wal_hook(
      db,
      [](void*, sqlite3*, const char*, int pages) {
        wal_pages = pages;
        return SQLITE_OK;
      },
      nullptr);
  sqlite3_stmt* begin = prepare(db, "BEGIN IMMEDIATE");
  sqlite3_stmt* commit = prepare(db, "COMMIT");
  const long long commits = (messages + per_commit - 1) / per_commit;
  // Steps `st` (bound to commit k's slice of `c`'s keys when given) to its end; returns its CPU.
  const auto step = [commits](sqlite3_stmt* st, const Copy* c = nullptr, long long k = 0) {
    if (c != nullptr) {
      sqlite3_bind_int64(st, 1, k * c->top / commits + 1);
      sqlite3_bind_int64(st, 2, (k + 1) * c->top / commits + 1);
    }
    const double start = thread_cpu_us();
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) die(sqlite3_errmsg(sqlite3_db_handle(st)));
    const double cpu = thread_cpu_us() - start;
    sqlite3_reset(st);
    return cpu;
  };
  // Reading the staged rows is part of each copy but not of a writer's work: timed alone first.
  for (long long k = 0; k < commits; ++k) {
    for (Copy& c : copies) c.read_us += step(c.read, &c, k);
  }
  double commit_us = 0, reset_us = 0;
  int resets = 0;
  for (long long k = 0; k < commits; ++k) {
    step(begin);
    for (Copy& c : copies) c.cpu_us += step(c.insert, &c, k);
    commit_us += step(commit);
    if (wal_pages * 4096LL > (64LL << 20)) {
      const double start = thread_cpu_us();
      exec(db, "PRAGMA wal_checkpoint(RESTART)");
      wal_pages = 0;
      reset_us += thread_cpu_us() - start;
      ++resets;
    }
  }

  const double n = static_cast<double>(messages);
  const long long resources = scalar(db, "SELECT COUNT(*) FROM main.resource");
  std::printf(
      "ingest ceiling: %lld messages, %lld resources from %s; %d messages a commit, "
      "%lld commits; SQLite alone, one writer thread\n",
      messages, resources, source.c_str(), per_commit, commits);
  std::printf("  %-22s %9s %12s %14s\n", "table", "rows/msg", "us cpu/msg", "of it reading");
  double writer_us = commit_us;
  for (const Copy& c : copies) {
    std::printf("  %-22s %9.1f %12.1f %14.1f\n", c.table.c_str(), static_cast<double>(c.rows) / n,
                c.cpu_us / n, c.read_us / n);
    writer_us += c.cpu_us - c.read_us;
  }
  std::printf("  %-22s %9s %12.1f\n", "commit", "", commit_us / n);
  std::printf(
      "writer, reading left out: %.1f us cpu/msg -> at most %.0f messages/s, %.0f resources/s\n",
      writer_us / n, 1e6 * n / writer_us, 1e6 * static_cast<double>(resources) / writer_us);
  std::printf(
      "WAL resets past 64 MiB (hearth's checkpointer copies most of this): %d, "
      "%.1f us cpu/msg\n",
      resets, reset_us / n);
  for (Copy& c : copies) {
    sqlite3_finalize(c.insert);
    sqlite3_finalize(c.read);
  }
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
  return 0;
}
