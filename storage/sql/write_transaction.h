// Internal to storage/: the frame of every write transaction, written once. begin()/end() open
// and close a transaction on a leased session (COMMIT noted for the WAL checkpointer, the
// lease's time limit lifted before it); run() is one write in its own transaction on a fresh
// kWrite lease, rolled back on any failure and retried from BEGIN when the failure says another
// attempt may succeed (PostgreSQL: serialization failures, deadlocks, a lost race to insert a
// row). The SQLite group commit (group_commit.h) uses the same frame for its batches.
//
// Thread-safety: run(), begin() and end() may be called from many threads, each on its own lease.
// Errors: run() returns the body's result, or the failure as a Status (fail_session: kUnavailable
// for connection loss, busy, time limit or cancellation; kInternal otherwise).
#pragma once

#include <optional>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "core/tenant_scope.h"
#include "storage/sql/session_pool.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/statements.h"
#include "storage/sql/wal_checkpointer.h"

namespace hearth::storage::detail {

// What a transaction body decided: its result, whether to COMMIT (else ROLLBACK), and whether
// to run the whole transaction again afterwards (it lost a race it can win on a second try).
template <typename T>
struct Attempt {
  Result<T> result;
  bool commit = false;
  bool again = false;
};

// Rolls back a write transaction that failed part-way (nullptr: it never began), ignoring a
// second failure: the engine may have rolled back already, or the connection is gone.
void roll_back_quietly(PreparedStatements* open);

class WriteTransactions {
 public:
  // More than a handful of lost races or serialization failures in a row means something else
  // is wrong: the last failure is returned.
  static constexpr int kAttempts = 5;

  // `checkpointer`: SQLite file stores only (null otherwise); both must outlive this.
  WriteTransactions(SessionPool& pool, WalCheckpointer* checkpointer)
      : pool_(pool), checkpointer_(checkpointer) {}

  SessionPool& pool() { return pool_; }

  // BEGIN (SQLite: IMMEDIATE) on `lease`, its statements prepared on first use and bound to
  // `tenant`. Throws SOCI errors.
  PreparedStatements& begin(SessionPool::Lease& lease, std::string_view tenant);
  // COMMIT or ROLLBACK, after lifting the lease's limits: all the work is done, and a COMMIT is
  // never the statement a time limit aborts. Throws SOCI errors.
  void end(SessionPool::Lease& lease, PreparedStatements& ps, bool commit);

  // body(PreparedStatements&) -> Attempt<T> runs inside the transaction, in the calling
  // thread's tenant (core/tenant_scope.h), and may throw SOCI
  // errors. On a failure, translate(kind, status) -> std::optional<Status> gives the status to
  // return, or nullopt to try again (the failure's own status once attempts run out). `what`
  // names the operation in failures ("update Patient/1").
  template <typename T, typename Body, typename Translate>
  Result<T> run(std::string_view what, Body&& body, Translate&& translate);

 private:
  SessionPool& pool_;
  WalCheckpointer* checkpointer_;
};

template <typename T, typename Body, typename Translate>
Result<T> WriteTransactions::run(std::string_view what, Body&& body, Translate&& translate) {
  for (int attempt = 1;; ++attempt) {
    Result<SessionPool::Lease> lease = pool_.acquire(Lane::kWrite);
    if (!lease.is_ok()) return std::move(lease).take_status();
    PreparedStatements* open = nullptr;
    try {
      PreparedStatements& ps = begin(*lease, TenantScope::current());
      open = &ps;
      Attempt<T> done = body(ps);
      end(*lease, ps, done.commit);
      open = nullptr;
      if (done.again && attempt < kAttempts) continue;
      return std::move(done.result);
    } catch (...) {
      const FailureKind kind = classify_current_exception();
      Status status = fail_session(*lease, what);
      roll_back_quietly(open);
      std::optional<Status> final = translate(kind, status);
      if (final) return *std::move(final);
      if (attempt >= kAttempts) return status;
    }
  }
}

}  // namespace hearth::storage::detail
