// The checkpoint thread and the writers' WAL resets (see the header for why resets run on the
// writer). Checkpoints go through sqlite3_wal_checkpoint_v2, which says whether a RESTART got
// its moment (SQLITE_BUSY when readers or a writer held on past the busy timeout).
#include "storage/sql/wal_checkpointer.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "core/thread_name.h"
#include "storage/sql/sqlite_statement.h"

namespace hearth::storage {
namespace {

using sqlite_api::sqlite3;

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One checkpoint of `mode`; the WAL's size in pages after it, or -1 when it did not complete
// (busy, or an I/O error: either way it is tried again later).
// `copied`, when given, receives how many frames are now in the database file.
int checkpoint(sqlite3* db, int mode, int* copied = nullptr) {
  int log_pages = -1;
  int backfilled = -1;
  const int rc = sqlite_api::sqlite3_wal_checkpoint_v2(db, nullptr, mode, &log_pages, &backfilled);
  if (copied != nullptr) *copied = backfilled;
  return rc == SQLITE_OK ? log_pages : -1;
}

// Writes the database file's dirty pages to disk (fdatasync through the connection's VFS).
// SQLite syncs the file after a PASSIVE pass only when the pass reached the WAL's end as it is
// by then; under steady writes commits came in meanwhile, so it never does, and the writer's
// next reset (a RESTART, which must sync the file before the WAL starts over) waited for every
// page copied since the last reset. Synced here, on the checkpoint thread, the reset waits
// only for the pages it copies itself.
bool sync_database(sqlite3* db) {
  sqlite_api::sqlite3_file* file = nullptr;
  if (sqlite_api::sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr) {
    return false;
  }
  return file->pMethods->xSync(file, SQLITE_SYNC_NORMAL) == SQLITE_OK;
}

// SQLite's WAL hook, called after every commit of the connection with the WAL's size in pages.
int record_wal_pages(void* pages, sqlite3* /*db*/, const char* /*schema*/, int wal_pages) {
  static_cast<std::atomic<int>*>(pages)->store(wal_pages, std::memory_order_relaxed);
  return SQLITE_OK;
}

}  // namespace

void disable_auto_checkpoint(soci::session& sql) {
  sql << "PRAGMA wal_autocheckpoint = 0";
}

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const StoreUrl& url,
                                                        int restart_above_pages) {
  if (url.dialect != Dialect::kSqlite || url.memory) return nullptr;
  try {
    auto sql = std::make_unique<soci::session>(soci::sqlite3, url.connect);
    *sql << "PRAGMA busy_timeout = " + std::to_string(kSessionBusyMillis);
    // A connection opens the file on its first statement, and only then knows it is in WAL
    // mode: before that sqlite3_wal_checkpoint_v2 does nothing.
    std::string journal_mode;
    *sql << "PRAGMA journal_mode", soci::into(journal_mode);
    return std::unique_ptr<WalCheckpointer>(
        new WalCheckpointer(std::move(sql), restart_above_pages));
  } catch (...) {
    return nullptr;
  }
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<soci::session> sql, int restart_above_pages)
    : sql_(std::move(sql)), restart_above_pages_(restart_above_pages), thread_([this] {
        set_thread_name("hearth-checkpt");
        run();
      }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WalCheckpointer::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    due_ = true;
  }
  wake_.notify_one();
}

void WalCheckpointer::after_commit(soci::session& writer) {
  sqlite3* db = detail::sqlite_connection(writer);
  // Set on every commit rather than when the session opens: it costs two stores, and the
  // sessions are the pool's, made before this object.
  sqlite_api::sqlite3_wal_hook(db, &record_wal_pages, &wal_pages_);
  const int pages = wal_pages_.load(std::memory_order_relaxed);
  int at_wake = pages_at_wake_.load(std::memory_order_relaxed);
  if (pages < at_wake) pages_at_wake_.store(at_wake = pages, std::memory_order_relaxed);  // reset
  const bool many_commits =
      commits_.fetch_add(1, std::memory_order_relaxed) % kCommitsPerWake == kCommitsPerWake - 1;
  if (many_commits || pages - at_wake >= kPagesPerWake) {
    pages_at_wake_.store(pages, std::memory_order_relaxed);
    wake();
  }
  if (!restart_due_.load(std::memory_order_acquire)) return;
  const std::int64_t now = steady_ns();
  if (now < retry_after_ns_.load(std::memory_order_relaxed)) return;
  sqlite_api::sqlite3_busy_timeout(db, kRestartWaitMillis);
  const int log_pages = checkpoint(db, SQLITE_CHECKPOINT_RESTART);
  sqlite_api::sqlite3_busy_timeout(db, kSessionBusyMillis);
  if (log_pages < 0) {  // readers held on: the writers go on, and one tries again in a second
    retry_after_ns_.store(now + 1'000'000'000, std::memory_order_relaxed);
    return;
  }
  restart_due_.store(false, std::memory_order_release);
  restarts_.fetch_add(1, std::memory_order_relaxed);
}

int WalCheckpointer::pass(sqlite3* db, bool sync) {
  int copied = 0;
  const int log_pages = checkpoint(db, SQLITE_CHECKPOINT_PASSIVE, &copied);
  // `copied` counts from the WAL's start, which a reset moves: any change is new copies. A pass
  // that reached the WAL's end has synced the file already (SQLite does); the sync then finds
  // nothing to write.
  if (sync && copied > 0 && copied != copied_frames_ && sync_database(db)) {
    database_syncs_.fetch_add(1, std::memory_order_relaxed);
  }
  copied_frames_ = copied;
  return log_pages;
}

void WalCheckpointer::run() {
  sqlite3* db = detail::sqlite_connection(*sql_);
  unsigned seen_commits = commits_.load(std::memory_order_relaxed);
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || due_; });
    if (stop_) break;
    due_ = false;
    lock.unlock();
    const unsigned commits = commits_.load(std::memory_order_relaxed);
    const bool idle = commits == seen_commits;
    seen_commits = commits;
    if (!restart_due_.load(std::memory_order_acquire)) {
      // A WAL already twice past the limit (the thread woke late, or writes outrun it) goes to
      // the writer at once, with no sync or catch-up here to delay the reset further.
      const auto far_past = [this](int pages) { return pages > 2 * restart_above_pages_; };
      int log_pages = pass(db, !far_past(wal_pages_.load(std::memory_order_relaxed)));
      // Past the limit the reset is handed to the writer, which then copies and syncs what was
      // committed since this pass began. Passes that copy just that come first while it is
      // large (the first took a while, the next ones less), so the writer's share stays small.
      for (int i = 0;
           i < kCatchUpPasses && log_pages > restart_above_pages_ && !far_past(log_pages) &&
           wal_pages_.load(std::memory_order_relaxed) - copied_frames_ > kHandOverPages;
           ++i) {
        log_pages = pass(db, true);
      }
      if (log_pages > restart_above_pages_) restart_due_.store(true, std::memory_order_release);
    } else if (idle && checkpoint(db, SQLITE_CHECKPOINT_RESTART) >= 0) {
      // No writer committed for a whole wake: none will reset the WAL, and none is in the way.
      restart_due_.store(false, std::memory_order_release);
      restarts_.fetch_add(1, std::memory_order_relaxed);
    }
    lock.lock();
  }
}

}  // namespace hearth::storage
