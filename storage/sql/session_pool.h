// A bounded pool of database sessions, each with its own cache of prepared statements.
// Callers lease a session for one store call and give it back; a session whose connection
// failed is discarded on return and replaced by a fresh one on a later lease (and, since its
// siblings talk to the same server, the idle ones are dropped with it: after a database
// restart the next leases reconnect instead of failing once per stale session).
//
// SQLite: each session is one connection to the same file (WAL lets readers run beside the
// one writer); an in-memory database is a single connection, so the pool holds exactly one.
// PostgreSQL: each session is one server connection.
//
// SQLite file stores: point reads (Lane::kKey) share read transactions until the next commit
// (read_snapshot.h); a lease for any other lane starts outside a transaction.
//
// Lanes keep slow reads from taking what writes need: a kQuery lease (search, history,
// message lists: statements of unbounded cost) is granted only while fewer than
// max_queries() are out, so at least max_sessions - max_queries sessions stay for point reads
// and writes (the SQLite group commit, the HL7 archive) whatever the searches do. On a SQLite
// file store, writes take the one writer session (a large page cache); reads take it only when
// no other session is idle and none more may be opened.
//
// Time limits (set_statement_timeout): every lease gets a deadline of now + timeout. SQLite
// checks it from a progress handler and aborts the running statement past it (the call fails
// with FailureKind::kInterrupted); PostgreSQL gets `SET statement_timeout` on every session,
// and a watchdog shuts down the socket of a lease still out timeout + kHangGrace after its
// deadline (a database that stopped answering), so no worker waits forever. A kQuery lease
// also takes the calling thread's CancelToken (core/cancel.h): once the token is cancelled,
// SQLite aborts the running statement, PostgreSQL gets a cancel request (PQcancel, and the
// session is then retired rather than reused), and a search still waiting for a session
// gives up.
//
// Ownership: the pool owns every session; a Lease borrows one and must not outlive the pool.
// Thread-safety: acquire() and Lease destruction may be called from any thread; a leased
// session is used by one thread at a time.
// Errors: kUnavailable when a connection cannot be opened or no session frees up in time
// (the statement timeout, or 30 s without one).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/cancel.h"
#include "core/status.h"
#include "storage/store_url.h"

namespace soci {
class session;
}

namespace hearth::storage {

struct PreparedStatements;  // statements.h

struct PooledSession {
  PooledSession();
  ~PooledSession();
  std::unique_ptr<soci::session> sql;
  std::unique_ptr<PreparedStatements> statements;  // built lazily by the store
  // The current lease's limits, read by the SQLite progress handler on the leasing thread and
  // by the PostgreSQL watchdog: steady-clock nanoseconds (0: none) and the cancel token.
  std::atomic<std::int64_t> deadline_ns{0};
  std::atomic<const CancelToken*> cancel{nullptr};
  bool hang_cut = false;  // the watchdog shut its socket down (guarded by the pool's mutex)
  // SQLite file stores: the session writes take, with a page cache of kWriterCacheKiB (guarded
  // by the pool's mutex while idle).
  bool writer = false;
  // SQLite file stores: a read transaction kept open for point reads (read_snapshot.h), the
  // commit epoch it began at and when (steady-clock nanoseconds). Guarded like `writer`.
  bool snapshot = false;
  std::uint64_t snapshot_epoch = 0;
  std::int64_t snapshot_began_ns = 0;
};

// What a lease is for; see the lanes above.
enum class Lane { kQuery, kKey, kWrite };

class SessionPool {
 public:
  class Lease {
   public:
    Lease(SessionPool* pool, std::unique_ptr<PooledSession> session, Lane lane)
        : pool_(pool), session_(std::move(session)), lane_(lane) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    PooledSession& operator*() const { return *session_; }
    PooledSession* operator->() const { return session_.get(); }
    // The connection is unusable (e.g. the server went away): drop it instead of returning it.
    void discard() { discard_ = true; }
    // Lifts the deadline and the cancel token: for a write that did all its work, so its
    // COMMIT is never the statement that gets aborted.
    void clear_limits();
    // Why a statement of this lease was aborted (FailureKind::kInterrupted), for the message.
    bool cancelled() const;
    // The watchdog shut this lease's connection down: its statement ran past the time limit
    // and the database did not stop it (PostgreSQL busy planning, or not answering).
    bool hang_cut() const;

   private:
    SessionPool* pool_;
    std::unique_ptr<PooledSession> session_;
    Lane lane_;
    bool discard_ = false;
  };

  // Opens the first session eagerly so a bad URL or unreachable server fails here. For a
  // SQLite file, creates the parent directories first. No statement timeout until
  // set_statement_timeout (migrations run without one).
  static Result<std::unique_ptr<SessionPool>> open(const StoreUrl& url, std::size_t max_sessions);

  ~SessionPool();

  // Borrows a session for `lane`: an idle one, a new one while below max_sessions, or waits
  // (up to the statement timeout, 30 s without one) for one to come back.
  Result<Lease> acquire(Lane lane);

  // From now on every lease gets a deadline of `timeout` (0: none); PostgreSQL sessions get
  // `SET statement_timeout` (idle ones at once, new ones when they connect). Errors:
  // kUnavailable when an idle PostgreSQL session refuses the SET.
  Status set_statement_timeout(std::chrono::milliseconds timeout);
  std::chrono::milliseconds statement_timeout() const { return timeout_; }

  // Bracket every COMMIT of this process: commit_starting() just before it, commit_ended() once
  // it returned or threw, before the writer answers anyone. While a commit is in flight point
  // reads keep no snapshot (a fresh one may or may not hold it); afterwards they begin new
  // ones, and idle sessions end theirs (read_snapshot.h).
  void commit_starting();
  void commit_ended();

  const StoreUrl& url() const { return url_; }
  std::size_t max_queries() const { return max_queries_; }

  // How long past its deadline a PostgreSQL lease may stay out before the watchdog cuts it.
  static constexpr std::chrono::seconds kHangGrace{5};

 private:
  SessionPool(StoreUrl url, std::size_t max_sessions);
  Result<std::unique_ptr<PooledSession>> connect();
  void give_back(std::unique_ptr<PooledSession> session, Lane lane, bool discard);
  void watchdog_loop();

  const StoreUrl url_;
  const std::size_t max_sessions_;
  const std::size_t max_queries_;
  std::chrono::milliseconds timeout_{0};  // set before concurrent use
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PooledSession>> idle_;
  std::vector<PooledSession*> leased_;  // PostgreSQL: for the watchdog
  std::size_t open_count_ = 0;          // idle + leased
  std::size_t query_count_ = 0;         // kQuery leases out
  bool has_writer_ = false;             // a session is marked PooledSession::writer
  // (commits started and ended) << 16 | commits in flight: see read_snapshot.h.
  std::atomic<std::uint64_t> commit_state_{0};
  bool stop_ = false;
  std::condition_variable stop_changed_;
  std::thread watchdog_;  // PostgreSQL with a timeout only
};

}  // namespace hearth::storage
