// The checkpoint thread. PASSIVE checkpoints copy as much of the WAL into the database as
// readers allow and fsync; the WAL is then reused from its start by the next writer.
#include "storage/sql/wal_checkpointer.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>

#include "core/thread_name.h"

namespace hearth::storage {

void disable_auto_checkpoint(soci::session& sql) {
  sql << "PRAGMA wal_autocheckpoint = 0";
}

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const StoreUrl& url) {
  if (url.dialect != Dialect::kSqlite || url.memory) return nullptr;
  try {
    auto sql = std::make_unique<soci::session>(soci::sqlite3, url.connect);
    *sql << "PRAGMA busy_timeout = 10000";
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(sql)));
  } catch (...) {
    return nullptr;
  }
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<soci::session> sql)
    : sql_(std::move(sql)), thread_([this] {
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

void WalCheckpointer::note_commit() {
  if (commits_.fetch_add(1, std::memory_order_relaxed) % kCommitsPerWake != kCommitsPerWake - 1) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    due_ = true;
  }
  wake_.notify_one();
}

void WalCheckpointer::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || due_; });
    if (stop_) break;
    due_ = false;
    lock.unlock();
    try {
      int busy = 0, log_pages = 0, checkpointed = 0;
      *sql_ << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy), soci::into(log_pages),
          soci::into(checkpointed);
      // Under a steady stream of writes a PASSIVE checkpoint never finds the WAL idle, so it is
      // never restarted and grows without bound. Past the limit, RESTART waits (busy_timeout)
      // for a gap between writers so the next one writes from the WAL's start again: a short
      // pause for writers, a bounded file whose blocks are reused (TRUNCATE would free them and
      // make every later append allocate again).
      if (log_pages > kRestartAbovePages) {
        *sql_ << "PRAGMA wal_checkpoint(RESTART)", soci::into(busy), soci::into(log_pages),
            soci::into(checkpointed);
      }
    } catch (...) {  // busy or I/O trouble: try again on the next wake
    }
    lock.lock();
  }
}

}  // namespace hearth::storage
