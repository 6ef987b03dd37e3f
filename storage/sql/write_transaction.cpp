// The write-transaction frame: BEGIN, COMMIT or ROLLBACK on a leased session.
#include "storage/sql/write_transaction.h"

namespace hearth::storage::detail {

void roll_back_quietly(PreparedStatements* open) {
  if (open == nullptr) return;
  try {
    open->rollback.execute(true);
  } catch (...) {
  }
}

PreparedStatements& WriteTransactions::begin(SessionPool::Lease& lease) {
  PreparedStatements& ps = statements_of(*lease, pool_.url().dialect);
  ps.begin_write.execute(true);
  return ps;
}

void WriteTransactions::end(SessionPool::Lease& lease, PreparedStatements& ps, bool commit) {
  lease.clear_limits();
  (commit ? ps.commit : ps.rollback).execute(true);
  if (commit && checkpointer_ != nullptr) checkpointer_->note_commit();
}

}  // namespace hearth::storage::detail
