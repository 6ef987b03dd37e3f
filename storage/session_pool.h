// A bounded pool of database sessions, each with its own cache of prepared statements.
// Callers lease a session for one store call and give it back; a session whose connection
// failed is discarded on return and replaced by a fresh one on a later lease.
//
// SQLite: each session is one connection to the same file (WAL lets readers run beside the
// one writer); an in-memory database is a single connection, so the pool holds exactly one.
// PostgreSQL: each session is one server connection.
//
// Ownership: the pool owns every session; a Lease borrows one and must not outlive the pool.
// Thread-safety: acquire() and Lease destruction may be called from any thread; a leased
// session is used by one thread at a time.
// Errors: kUnavailable when a connection cannot be opened or no session frees up in time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.h"
#include "storage/store_url.h"

namespace soci {
class session;
}

namespace hearth::storage {

struct PreparedStatements;  // sql_statements.h

struct PooledSession {
  PooledSession();
  ~PooledSession();
  std::unique_ptr<soci::session> sql;
  std::unique_ptr<PreparedStatements> statements;  // built lazily by the store
};

class SessionPool {
 public:
  class Lease {
   public:
    Lease(SessionPool* pool, std::unique_ptr<PooledSession> session)
        : pool_(pool), session_(std::move(session)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    PooledSession& operator*() const { return *session_; }
    PooledSession* operator->() const { return session_.get(); }
    // The connection is unusable (e.g. the server went away): drop it instead of returning it.
    void discard() { discard_ = true; }

   private:
    SessionPool* pool_;
    std::unique_ptr<PooledSession> session_;
    bool discard_ = false;
  };

  // Opens the first session eagerly so a bad URL or unreachable server fails here. For a
  // SQLite file, creates the parent directories first.
  static Result<std::unique_ptr<SessionPool>> open(const StoreUrl& url, std::size_t max_sessions);

  ~SessionPool();

  // Borrows a session: an idle one, a new one while below max_sessions, or waits (up to
  // `wait`) for one to come back.
  Result<Lease> acquire(std::chrono::milliseconds wait = std::chrono::seconds(30));

  const StoreUrl& url() const { return url_; }

 private:
  SessionPool(StoreUrl url, std::size_t max_sessions);
  Result<std::unique_ptr<PooledSession>> connect();
  void give_back(std::unique_ptr<PooledSession> session, bool discard);

  const StoreUrl url_;
  const std::size_t max_sessions_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PooledSession>> idle_;
  std::size_t open_count_ = 0;  // idle + leased
};

}  // namespace hearth::storage
