// Background WAL checkpoints for a SQLite file store. SQLite's automatic checkpoint runs
// inside the COMMIT that crosses the threshold, and with synchronous=NORMAL a checkpoint is
// where the fsyncs happen: left on the write path it costs about half the create throughput.
// The store's connections therefore run with wal_autocheckpoint=0 and this object, on its own
// thread and connection, runs PASSIVE checkpoints (never blocking readers or the writer) once a
// second, after every kCommitsPerWake commits or after the WAL grew by kPagesPerWake, whichever
// comes first, and syncs the database file after each that copied pages.
//
// A PASSIVE checkpoint copies the WAL into the database but never resets it: a writer starts
// the WAL over only when its transaction began after everything was copied, and under steady
// writes the next batch always begins before the checkpoint catches up, so the file grows
// without bound (1.7 GB in a 300k-resource load). A RESTART checkpoint from another
// connection does not help either: it waits for a moment with no writer, and the group
// commit's leader takes the lock again before the busy handler's next poll (it gave up after
// its 10 s timeout, having stalled writers all that time). So once the WAL passes
// restart_above_pages, the reset runs on the writer itself, between two of its transactions
// (after_commit): only the frames the last PASSIVE pass left are copied and synced (the thread
// synced the rest), readers still on the WAL get kRestartWaitMillis to finish, and the next
// transaction writes from the WAL's start.
// A store that stops writing gets the RESTART from the checkpoint thread instead.
//
// Ownership: owns its thread and connection; the destructor stops and joins the thread.
// Thread-safety: after_commit() may be called from any thread, with a connection that thread
// holds outside any transaction.
// Errors: a failed or busy checkpoint is retried later (the WAL just grows meanwhile); start()
// returns nullptr if the connection cannot be opened (open_store then fails: the store's
// sessions never checkpoint on their own).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/store_url.h"

namespace soci {
class session;
}
namespace sqlite_api {  // SOCI's namespace for <sqlite3.h> (sqlite_statement.h)
struct sqlite3;
}

namespace hearth::storage {

class WalCheckpointer {
 public:
  static constexpr unsigned kCommitsPerWake = 256;
  // ...or after the WAL grew by this many pages (16 MB with 4 KB pages): large transactions
  // fill it long before 256 commits.
  static constexpr int kPagesPerWake = 4096;
  // WAL size (pages) above which it is reset: 64 MB with 4 KB pages.
  static constexpr int kRestartAbovePages = 16384;
  // The store's journal_size_limit (session_pool.cpp): twice the reset threshold in bytes at the
  // default 4 KB pages. Under steady writes the WAL passes the threshold by a few commits before
  // the reset; a limit at the threshold itself cut the file back (an ftruncate, 13-40 ms on the
  // writer) and grew it again at every reset.
  static constexpr std::int64_t kJournalLimitBytes = 2 * std::int64_t{kRestartAbovePages} * 4096;
  // Before handing a reset to the writer, the thread makes up to this many more passes while
  // more than kHandOverPages were committed since its last pass began (a commit of 16 ORU^R01
  // writes about 1,200 pages, so fewer is rarely reached under load), unless the WAL is past
  // twice the limit.
  static constexpr int kCatchUpPasses = 4;
  static constexpr int kHandOverPages = 1024;
  // How long a reset waits for readers still reading from the WAL before it tries again later.
  static constexpr int kRestartWaitMillis = 100;
  // The store's sessions' busy timeout (session_pool.cpp), which a reset puts back.
  static constexpr int kSessionBusyMillis = 10000;

  static std::unique_ptr<WalCheckpointer> start(const StoreUrl& url,
                                                int restart_above_pages = kRestartAbovePages);
  ~WalCheckpointer();

  // Called by whoever committed, on the connection that committed (now outside a transaction):
  // counts the commit, and resets the WAL on `writer` when it is due.
  void after_commit(soci::session& writer);

  // WAL resets done so far (by writers and by the checkpoint thread), for tests and metrics.
  std::uint64_t restarts() const { return restarts_.load(std::memory_order_relaxed); }
  // Syncs of the database file the thread made after its PASSIVE passes, so that a writer's
  // reset finds little left to sync (for tests).
  std::uint64_t database_syncs() const { return database_syncs_.load(std::memory_order_relaxed); }

 private:
  WalCheckpointer(std::unique_ptr<soci::session> sql, int restart_above_pages);
  void run();
  void wake();
  // One PASSIVE checkpoint, then (with `sync`) a sync of the database file if it copied
  // anything; the WAL's size in pages, or -1.
  int pass(sqlite_api::sqlite3* db, bool sync);

  std::unique_ptr<soci::session> sql_;
  const int restart_above_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool due_ = false;
  std::atomic<unsigned> commits_{0};
  std::atomic<int> wal_pages_{0};      // after the last commit (SQLite's WAL hook)
  std::atomic<int> pages_at_wake_{0};  // wal_pages_ when the thread was last woken
  // Set by the thread when a PASSIVE pass left more than restart_above_pages in the WAL;
  // cleared by a successful reset. While set, the thread leaves the WAL to the writer.
  std::atomic<bool> restart_due_{false};
  // Steady-clock nanoseconds before which writers do not try again after a busy reset.
  std::atomic<std::int64_t> retry_after_ns_{0};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<std::uint64_t> database_syncs_{0};
  int copied_frames_ = 0;  // the thread's: frames in the database file after its last pass
  std::thread thread_;
};

// Sets the pragma the checkpointer relies on (no checkpoints inside commits).
void disable_auto_checkpoint(soci::session& sql);

}  // namespace hearth::storage
