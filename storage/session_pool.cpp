// Session pool. Connections are set up here, once: SQLite gets its pragmas (WAL, synchronous,
// busy timeout) per connection, so no store call ever does per-call setup.
#include "storage/session_pool.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <system_error>

#include "storage/sql_error.h"
#include "storage/sql_statements.h"
#include "storage/wal_checkpointer.h"

namespace hearth::storage {
namespace {

// synchronous (StoreUrl::sync_every_commit): in WAL mode a commit appends to the -wal file
// with write(). With NORMAL the file is fsynced only at checkpoints: a killed process (kill -9,
// crash) loses nothing committed, because written pages live in the OS page cache, which
// outlives the process, and the next open replays the WAL; an OS crash or power cut can drop
// the last commits (the database stays consistent). FULL adds an fsync per commit, which the
// group commit shares among every write of a batch.
void configure_sqlite(soci::session& sql, bool memory, bool sync_every_commit) {
  sql << "PRAGMA busy_timeout = 10000";
  if (!memory) {
    sql << "PRAGMA journal_mode = WAL";
    sql << (sync_every_commit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    disable_auto_checkpoint(sql);  // checkpoints run off the write path (wal_checkpointer.h)
    // A WAL that grew past this while readers held it back is cut back to it when reset.
    sql << "PRAGMA journal_size_limit = 67108864";
  }
  sql << "PRAGMA temp_store = MEMORY";
  // Reads through a shared memory map instead of read() into each connection's small page
  // cache: one copy of hot pages for all sessions, no syscall per page.
  sql << "PRAGMA mmap_size = 268435456";
}

}  // namespace

PooledSession::PooledSession() = default;
PooledSession::~PooledSession() = default;  // statements are destroyed before the session

SessionPool::Lease::~Lease() {
  if (pool_ != nullptr && session_ != nullptr) pool_->give_back(std::move(session_), discard_);
}

SessionPool::SessionPool(StoreUrl url, std::size_t max_sessions)
    : url_(std::move(url)), max_sessions_(max_sessions) {}

SessionPool::~SessionPool() = default;

Result<std::unique_ptr<SessionPool>> SessionPool::open(const StoreUrl& url,
                                                       std::size_t max_sessions) {
  if (url.dialect == Dialect::kSqlite && !url.memory) {
    std::filesystem::path parent = std::filesystem::path(url.path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Status(Code::kUnavailable,
                    "cannot create directory " + parent.string() + ": " + ec.message());
    }
  }
  if (url.memory) max_sessions = 1;  // every connection to :memory: is a separate database
  std::unique_ptr<SessionPool> pool(new SessionPool(url, max_sessions == 0 ? 1 : max_sessions));
  Result<std::unique_ptr<PooledSession>> first = pool->connect();
  if (!first.is_ok()) return std::move(first).take_status();
  pool->idle_.push_back(std::move(first).value());
  pool->open_count_ = 1;
  return pool;
}

Result<std::unique_ptr<PooledSession>> SessionPool::connect() {
  auto session = std::make_unique<PooledSession>();
  try {
    if (url_.dialect == Dialect::kSqlite) {
      session->sql = std::make_unique<soci::session>(soci::sqlite3, url_.connect);
      configure_sqlite(*session->sql, url_.memory, url_.sync_every_commit);
    } else {
      session->sql = std::make_unique<soci::session>(soci::postgresql, url_.connect);
      // NOTICEs ("relation already exists, skipping") would go to stderr via libpq.
      *session->sql << "SET client_min_messages = warning";
    }
  } catch (...) {
    Status status = status_from_current_exception("opening the database");
    // Whatever went wrong while connecting, the database is not usable from here.
    return Status(Code::kUnavailable, status.message());
  }
  return session;
}

Result<SessionPool::Lease> SessionPool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto ready = [&] { return !idle_.empty() || open_count_ < max_sessions_; };
  if (!ready() && !returned_.wait_for(lock, wait, ready)) {
    return Status(Code::kUnavailable, "no database session became free in time");
  }
  if (!idle_.empty()) {
    std::unique_ptr<PooledSession> session = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(session));
  }
  ++open_count_;
  lock.unlock();  // connecting may take a network round trip: not under the lock
  Result<std::unique_ptr<PooledSession>> fresh = connect();
  if (!fresh.is_ok()) {
    lock.lock();
    --open_count_;
    returned_.notify_one();
    return std::move(fresh).take_status();
  }
  return Lease(this, std::move(fresh).value());
}

void SessionPool::give_back(std::unique_ptr<PooledSession> session, bool discard) {
  if (url_.memory) discard = false;  // the one connection IS the database
  if (discard) session.reset();      // close outside the lock
  std::lock_guard<std::mutex> lock(mutex_);
  if (discard) {
    --open_count_;
  } else {
    idle_.push_back(std::move(session));
  }
  returned_.notify_one();
}

}  // namespace hearth::storage
