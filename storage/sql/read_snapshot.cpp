// Shared read transactions for point reads (see the header for when one is reused).
#include "storage/sql/read_snapshot.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/sql/session_pool.h"
#include "storage/sql/sqlite_statement.h"

namespace hearth::storage::detail {
namespace {

using sqlite_api::sqlite3;

sqlite3* connection_of(const PooledSession& session) {
  return sqlite_connection(*session.sql);
}

bool in_transaction(const PooledSession& session) {
  return sqlite_api::sqlite3_get_autocommit(connection_of(session)) == 0;
}

}  // namespace

void enter_read_snapshot(PooledSession& session, std::uint64_t state, std::int64_t now_ns) {
  if (state % kCommitStep != 0) {  // a commit in flight
    end_read_snapshot(session);
    return;
  }
  const std::uint64_t epoch = state;
  const std::int64_t max_age = std::chrono::nanoseconds(kMaxSnapshotAge).count();
  if (session.snapshot && session.snapshot_epoch == epoch &&
      now_ns - session.snapshot_began_ns <= max_age && in_transaction(session)) {
    return;
  }
  end_read_snapshot(session);
  // A deferred BEGIN takes its snapshot at the read that follows: after every commit counted
  // in `state`, all of which had returned (none was in flight).
  if (sqlite_api::sqlite3_exec(connection_of(session), "BEGIN", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    return;
  }
  session.snapshot = true;
  session.snapshot_epoch = epoch;
  session.snapshot_began_ns = now_ns;
}

void end_read_snapshot(PooledSession& session) noexcept {
  if (!session.snapshot) return;
  session.snapshot = false;
  sqlite3* db = connection_of(session);
  if (sqlite_api::sqlite3_get_autocommit(db) != 0) return;  // SQLite ended it already
  if (sqlite_api::sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite_api::sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

bool holds_snapshot_before(const PooledSession& session, std::uint64_t state) {
  return session.snapshot && session.snapshot_epoch != state;
}

}  // namespace hearth::storage::detail
