// The group commit's queue, its leader and the batch: one transaction, a savepoint per write.
#include "storage/sql/group_commit.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/thread_name.h"
#include "storage/store_metrics.h"

namespace hearth::storage::detail {

GroupCommit::~GroupCommit() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_committer_ = true;
  }
  committer_wake_.notify_one();
  if (committer_.joinable()) committer_.join();  // after it ran what was queued
}

void GroupCommit::run(Item& item) {
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&item);
  if (gathering_) arrived_.notify_one();
  while (!item.done_) {
    if (batch_running_) {
      item.wake_.wait(lock);
      continue;
    }
    lead_batch(lock);
  }
}

void GroupCommit::post(std::unique_ptr<Item> item) {
  item->posted_ = true;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!committer_.joinable()) committer_ = std::thread([this] { committer_loop(); });
  queue_.push_back(item.release());
  ++posted_queued_;
  if (gathering_) arrived_.notify_one();
  if (!batch_running_) committer_wake_.notify_one();
}

void GroupCommit::lead_batch(std::unique_lock<std::mutex>& lock) {
  batch_running_ = true;
  // Writers whose last batch just ended are on their way back: a commit costs about the same
  // for one write as for many (its pages are shared), so wait briefly for as many as came last
  // time. A lone writer (last batch of one) never waits.
  if (queue_.size() < last_batch_size_) {
    gathering_ = true;
    arrived_.wait_for(lock, kGatherWait, [this] { return queue_.size() >= last_batch_size_; });
    gathering_ = false;
  }
  std::vector<Item*> batch;
  batch.swap(queue_);
  last_batch_size_ = batch.size();
  posted_queued_ = 0;
  lock.unlock();
  store_metrics().batch_writes.observe(batch.size());
  run_batch(batch);
  std::vector<Item*> finished_posted;
  for (Item* w : batch) {
    if (w->posted_) finished_posted.push_back(w);
  }
  lock.lock();
  // Once the lock is released a blocking writer may return and destroy its item: each is
  // notified under the lock, then touched no more.
  for (Item* w : batch) {
    if (w->posted_) continue;
    w->done_ = true;
    w->wake_.notify_one();
  }
  batch_running_ = false;
  // One thread leads the next batch: the first blocking writer queued, else the committer.
  auto next = std::find_if(queue_.begin(), queue_.end(), [](Item* w) { return !w->posted_; });
  if (next != queue_.end()) {
    (*next)->wake_.notify_one();
  } else if (posted_queued_ > 0) {
    committer_wake_.notify_one();
  }
  lock.unlock();
  for (Item* w : finished_posted) {
    std::unique_ptr<Item> owned(w);
    owned->complete();
  }
  lock.lock();
}

void GroupCommit::committer_loop() {
  set_thread_name("hearth-commit");
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    committer_wake_.wait(
        lock, [this] { return stop_committer_ || (posted_queued_ > 0 && !batch_running_); });
    if (posted_queued_ > 0 && !batch_running_) {
      lead_batch(lock);
      continue;
    }
    if (stop_committer_ && posted_queued_ == 0) return;
  }
}

void GroupCommit::run_batch(const std::vector<Item*>& batch) {
  Result<SessionPool::Lease> lease = transactions_.pool().acquire(Lane::kWrite);
  if (!lease.is_ok()) {
    for (Item* w : batch) w->fail(lease.status());
    return;
  }
  std::vector<Item*> pending = batch;
  for (;;) {  // again, without a write that failed part-way outside a savepoint
    PreparedStatements* open = nullptr;
    try {
      PreparedStatements& ps = transactions_.begin(*lease, "");
      open = &ps;
      bool any_changed = false;
      auto broken = pending.end();
      bool keep_broken = false;  // run `broken` again (RunAgain) rather than fail it
      const std::int64_t now = clock_.now_micros();
      for (auto it = pending.begin(); it != pending.end(); ++it) {
        Item* w = *it;
        const bool isolated = !w->atomic() && !w->fails_before_writing();
        if (isolated) {
          ps.flush_index();  // what a rollback to the savepoint keeps
          ps.savepoint.execute(true);
        }
        ps.tenant = w->tenant_;
        try {
          if (w->apply(ps, now)) {
            any_changed = true;
          } else if (isolated) {
            ps.discard_index();
            ps.rollback_to_savepoint.execute(true);
          }
          if (isolated) ps.release_savepoint.execute(true);
        } catch (const RunAgain&) {
          if (isolated) throw std::logic_error("RunAgain from a write in a savepoint");
          broken = it;
          keep_broken = true;
          break;
        } catch (...) {
          const FailureKind kind = classify_current_exception();
          // Past the batch's time limit SQLite rolled back the whole transaction: every write
          // of the batch fails (kUnavailable), none is half-committed.
          if (kind == FailureKind::kInterrupted) throw;
          w->fail_current(kind);
          if (isolated) {
            ps.discard_index();
            ps.rollback_to_savepoint.execute(true);
            ps.release_savepoint.execute(true);
          } else if (!ps.in_transaction()) {
            // SQLite rolled the whole transaction back (disk full, I/O error): fail the batch.
            throw std::runtime_error("the write transaction was rolled back");
          } else if (!w->atomic()) {
            broken = it;  // part of it may be written, and only a rollback takes that back
            break;
          }
        }
      }
      if (broken != pending.end()) {
        open = nullptr;
        ps.discard_index();
        ps.rollback.execute(true);
        if (!keep_broken) pending.erase(broken);
        continue;
      }
      transactions_.end(*lease, ps, any_changed);
      return;
    } catch (...) {
      Status status = fail_session(*lease, "write batch of " + std::to_string(pending.size()));
      roll_back_quietly(open);
      for (Item* w : pending) w->fail(status);
      return;
    }
  }
}

}  // namespace hearth::storage::detail
