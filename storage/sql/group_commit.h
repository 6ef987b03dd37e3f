// Internal to storage/: SQLite's group commit. SQLite has one writer at a time, and in WAL mode
// a commit costs a write of every page it touched. Concurrent writes therefore queue; whoever
// finds no batch running becomes the leader and runs every queued write in one transaction,
// each inside its own savepoint (a failing write rolls back alone; writes that fail only before
// writing need none, see Item), then one COMMIT. Nobody gets
// an answer before that commit: an acknowledged write is committed. Resource writes and message
// archivings share the queue (and so the commits).
//
// Before it starts, a leader that finds fewer writes queued than its previous batch held waits up
// to kGatherWait for them (writers answered by that batch come back with their next write).
// A blocking write (run()) leads a batch itself or waits for the one that takes it; each waiter
// sleeps on its own condition, woken when its write is done or, for the first blocking write
// still queued, when the batch before it ended and someone must lead the next (never a herd of
// waiters whose writes are still queued). A posted
// write (post(): an archiving, whose caller does not wait) has no thread waiting to lead: the
// committer thread, started on first use, leads whenever one is queued and no batch runs, and
// calls the write's complete() after the batch.
//
// Ownership: posted items are owned by the queue until complete() has returned. The destructor
// runs every write still queued, completes it, then joins the committer.
// Thread-safety: run() and post() may be called from any thread.
// Errors: each write's outcome is its own (Item); a batch that fails as a whole (no session, a
// time limit, a failed COMMIT, SQLite rolling the transaction back) fails every write in it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/tenant_scope.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/statements.h"
#include "storage/sql/write_transaction.h"

namespace hearth::storage::detail {

class GroupCommit {
 public:
  // One write of a batch, run by whichever thread leads it. Its outcome is kept in the item
  // (a derived class) and read after run() returns or in complete().
  class Item {
   public:
    virtual ~Item() = default;
    // Runs the write in the batch's transaction; true when it changed the database (false: its
    // savepoint is rolled back). SOCI errors propagate. `now_micros` is the batch's clock.
    virtual bool apply(PreparedStatements& ps, std::int64_t now_micros) = 0;
    // Records the exception being handled, classified as `kind`, as this write's failure.
    virtual void fail_current(FailureKind kind) = 0;
    // Records `status` as this write's outcome: the batch failed as a whole.
    virtual void fail(const Status& status) = 0;
    // True for a write of one statement, atomic by itself: it needs no savepoint.
    virtual bool atomic() const { return false; }
    // True when apply() changes nothing unless it succeeds, except when the engine fails under
    // it (I/O, a constraint): it runs without a savepoint (which costs a copy of every page the
    // write touches), and such a failure rolls the whole batch back, which then runs again
    // without it (each other write is applied anew, so apply() must be safe to repeat). Such a
    // write may also throw RunAgain after writing part of itself: see there.
    virtual bool fails_before_writing() const { return false; }
    // Posted items only: called once after the batch, without the queue's lock; must not
    // block. The item is deleted afterwards.
    virtual void complete() {}

   private:
    friend class GroupCommit;
    // The tenant of the thread that made the item (core/tenant_scope.h): its statements are
    // bound to it whichever thread runs the batch.
    const std::string tenant_{TenantScope::current()};
    bool posted_ = false;
    bool done_ = false;             // blocking items: the batch that ran it has ended
    std::condition_variable wake_;  // blocking items: done_, or lead the next batch
  };

  // Thrown by apply() of a write without a savepoint (fails_before_writing()) that wrote part
  // of itself and then found it must not keep it (an HL7 message whose mapping failed keeps its
  // archive row as 'error', not the mapping's writes). The batch is rolled back and runs again
  // with the write still in it: its apply() has recorded why and must not throw it again.
  struct RunAgain {};

  GroupCommit(WriteTransactions& transactions, const Clock& clock)
      : transactions_(transactions), clock_(clock) {}
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `item` and returns once the batch that ran it has committed (or failed).
  void run(Item& item);
  // Queues `item` and returns at once; the committer thread runs it and calls complete().
  void post(std::unique_ptr<Item> item);

 private:
  // Called with `lock` held and no batch running; runs every queued write, hands out the
  // results and returns with `lock` held again.
  void lead_batch(std::unique_lock<std::mutex>& lock);
  void run_batch(const std::vector<Item*>& batch);
  void committer_loop();

  // How long a leader waits for the writers of the previous batch to queue again (see
  // lead_batch): measured with bench/store/create_cost, 32 writers of a 2 KB Patient, a quarter
  // less CPU and 1.6x the creates/s; a lone writer never waits.
  static constexpr std::chrono::microseconds kGatherWait{200};

  WriteTransactions& transactions_;
  const Clock& clock_;
  std::mutex mutex_;
  std::vector<Item*> queue_;
  bool batch_running_ = false;
  std::size_t last_batch_size_ = 0;
  bool gathering_ = false;  // a leader waits in lead_batch for `arrived_`
  std::condition_variable arrived_;
  std::size_t posted_queued_ = 0;  // posted items in queue_
  bool stop_committer_ = false;
  std::condition_variable committer_wake_;
  std::thread committer_;
};

}  // namespace hearth::storage::detail
