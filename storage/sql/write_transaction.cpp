// The write-transaction frame: BEGIN, COMMIT or ROLLBACK on a leased session.
#include "storage/sql/write_transaction.h"

#include <chrono>

#include "storage/store_metrics.h"

namespace hearth::storage::detail {

void roll_back_quietly(PreparedStatements* open) {
  if (open == nullptr) return;
  store_metrics().rollbacks.add();
  open->discard_index();
  try {
    open->rollback.execute(true);
  } catch (...) {
  }
}

PreparedStatements& WriteTransactions::begin(SessionPool::Lease& lease, std::string_view tenant) {
  PreparedStatements& ps = statements_of(*lease, pool_.url().dialect, tenant);
  ps.discard_index();  // what a transaction that never ended left (its rollback took it back)
  ps.begin_write.execute(true);
  return ps;
}

void WriteTransactions::end(SessionPool::Lease& lease, PreparedStatements& ps, bool commit) {
  if (commit) ps.flush_index();  // inside the lease's limits, as the writes it defers
  lease.clear_limits();
  if (!commit) {
    ps.discard_index();
    ps.rollback.execute(true);
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  pool_.commit_starting();
  try {
    ps.commit.execute(true);
  } catch (...) {
    pool_.commit_ended();
    throw;
  }
  store_metrics().commit_micros.observe(
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count()));
  pool_.commit_ended();
  if (checkpointer_ != nullptr) checkpointer_->after_commit(*lease->sql);
}

}  // namespace hearth::storage::detail
