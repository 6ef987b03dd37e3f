// Background WAL checkpoints for a SQLite file store. SQLite's automatic checkpoint runs
// inside the COMMIT that crosses the threshold, and with synchronous=NORMAL a checkpoint is
// where the fsyncs happen: left on the write path it costs about half the create throughput.
// The store's connections therefore run with wal_autocheckpoint=0 and this object, on its own
// thread and connection, checkpoints (PASSIVE: never blocks readers or the writer; RESTART
// once the WAL passes kRestartAbovePages, so it stays bounded under steady writes) once a
// second or after every kCommitsPerWake commits, whichever comes first.
//
// Ownership: owns its thread and connection; the destructor stops and joins the thread.
// Thread-safety: note_commit() may be called from any thread.
// Errors: a failed checkpoint is retried on the next wake (the WAL just grows meanwhile);
// start() returns nullptr if the connection cannot be opened (open_store then fails: the
// store's sessions never checkpoint on their own).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/store_url.h"

namespace soci {
class session;
}

namespace hearth::storage {

class WalCheckpointer {
 public:
  static constexpr unsigned kCommitsPerWake = 256;
  // WAL size (pages) above which a RESTART checkpoint resets it: 64 MB with 4 KB pages.
  static constexpr int kRestartAbovePages = 16384;

  static std::unique_ptr<WalCheckpointer> start(const StoreUrl& url);
  ~WalCheckpointer();

  void note_commit();

 private:
  explicit WalCheckpointer(std::unique_ptr<soci::session> sql);
  void run();

  std::unique_ptr<soci::session> sql_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool due_ = false;
  std::atomic<unsigned> commits_{0};
  std::thread thread_;
};

// Sets the pragma the checkpointer relies on (no checkpoints inside commits).
void disable_auto_checkpoint(soci::session& sql);

}  // namespace hearth::storage
