// Session pool. Connections are set up here, once: SQLite gets its pragmas (WAL, synchronous,
// busy timeout) and its progress handler per connection, PostgreSQL its statement_timeout, so
// no store call ever does per-call setup.
#include "storage/sql/session_pool.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>
#include <sys/socket.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>

#include "storage/sql/hearth_vfs.h"
#include "storage/sql/read_snapshot.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/sqlite_statement.h"
#include "storage/sql/statements.h"
#include "storage/sql/wal_checkpointer.h"
#include "storage/sql/words_tokenizer.h"

namespace hearth::storage {
namespace {

// synchronous (StoreUrl::sync_every_commit): in WAL mode a commit appends to the -wal file
// with write(). With NORMAL the file is fsynced only at checkpoints: a killed process (kill -9,
// crash) loses nothing committed, because written pages live in the OS page cache, which
// outlives the process, and the next open replays the WAL; an OS crash or power cut can drop
// the last commits (the database stays consistent). FULL adds an fsync per commit, which the
// group commit shares among every write of a batch.
void configure_sqlite(soci::session& sql, bool memory, bool sync_every_commit) {
  sql << "PRAGMA busy_timeout = " + std::to_string(WalCheckpointer::kSessionBusyMillis);
  if (!memory) {
    sql << "PRAGMA journal_mode = WAL";
    sql << (sync_every_commit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    disable_auto_checkpoint(sql);  // checkpoints run off the write path (wal_checkpointer.h)
    // A WAL that grew past this while readers held it back is cut back to it when reset.
    sql << "PRAGMA journal_size_limit = " + std::to_string(WalCheckpointer::kJournalLimitBytes);
  }
  sql << "PRAGMA temp_store = MEMORY";
  if (!memory) {
    // Pages come from the process's one map of the store (shared_map_file.h), used in place.
    // SQLite's own map (one per connection, each page faulted in 16 times and counted in RSS
    // 16 times, capped at 2 GiB) is never made: the VFS answers the size itself.
    sql << "PRAGMA mmap_size = " + std::to_string(detail::kMmapWholeStore);
  }
}

// The page cache of the session SQLite writes go through (the group commit's: one writer at a
// time). Every commit touches the pages of the resource tables and of each index table a
// resource has rows in; with SQLite's default 2 MiB they are read back from the OS page cache
// (a pread each) on every batch. Reads keep the default: 16 sessions with large caches would
// multiply the memory without helping point reads, which the OS cache serves.
constexpr int kWriterCacheKiB = 65536;

// SQLite's process-wide settings, made once before its first connection: connections run in
// multi-thread mode (no per-connection mutex around every call: a session is used by one thread
// at a time, the lease's holder) and without memory statistics (a global mutex on every
// allocation). Too late when something else initialised SQLite first (SQLITE_MISUSE): the
// defaults are then kept, which only costs speed.
void configure_sqlite_library() {
  static const bool done = [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // After the configuration: finding the default VFS initializes the library.
    detail::register_hearth_vfs();
    return true;
  }();
  (void)done;
}

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// SQLite calls this every kProgressSteps virtual-machine steps of a running statement; a
// non-zero answer aborts the statement with SQLITE_INTERRUPT. One clock read per few thousand
// steps costs nothing measurable.
constexpr int kProgressSteps = 4000;
int sqlite_progress(void* data) {
  const auto* session = static_cast<const PooledSession*>(data);
  const CancelToken* token = session->cancel.load(std::memory_order_relaxed);
  if (token != nullptr && token->cancelled()) return 1;
  const std::int64_t deadline = session->deadline_ns.load(std::memory_order_relaxed);
  return deadline != 0 && steady_now_ns() > deadline ? 1 : 0;
}

void set_pg_timeout(soci::session& sql, std::chrono::milliseconds timeout) {
  sql << ("SET statement_timeout = " + std::to_string(timeout.count()));
}

PGconn* pg_connection(soci::session& sql) {
  return static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
}

// Room for point reads and writes that searches may never take.
std::size_t query_limit(std::size_t max_sessions) {
  if (max_sessions <= 2) return 1;
  return max_sessions - std::max<std::size_t>(2, max_sessions / 4);
}

}  // namespace

PooledSession::PooledSession() = default;
PooledSession::~PooledSession() = default;  // statements are destroyed before the session

SessionPool::Lease::~Lease() {
  if (pool_ != nullptr && session_ != nullptr) {
    pool_->give_back(std::move(session_), lane_, discard_);
  }
}

void SessionPool::Lease::clear_limits() {
  session_->deadline_ns.store(0, std::memory_order_relaxed);
  session_->cancel.store(nullptr, std::memory_order_relaxed);
}

bool SessionPool::Lease::cancelled() const {
  const CancelToken* token = session_->cancel.load(std::memory_order_relaxed);
  return token != nullptr && token->cancelled();
}

bool SessionPool::Lease::hang_cut() const {
  std::lock_guard<std::mutex> lock(pool_->mutex_);
  return session_->hang_cut;
}

SessionPool::SessionPool(StoreUrl url, std::size_t max_sessions)
    : url_(std::move(url)), max_sessions_(max_sessions), max_queries_(query_limit(max_sessions)) {}

SessionPool::~SessionPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_changed_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

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
  if (url.dialect == Dialect::kSqlite) configure_sqlite_library();
  if (url.memory) max_sessions = 1;  // every connection to :memory: is a separate database
  std::unique_ptr<SessionPool> pool(new SessionPool(url, max_sessions == 0 ? 1 : max_sessions));
  Result<std::unique_ptr<PooledSession>> first = pool->connect();
  if (!first.is_ok()) return std::move(first).take_status();
  pool->idle_.push_back(std::move(first).value());
  pool->open_count_ = 1;
  return pool;
}

Status SessionPool::set_statement_timeout(std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(mutex_);
  timeout_ = timeout;
  if (url_.dialect != Dialect::kPostgresql) return Status::ok();
  try {
    for (auto& session : idle_) set_pg_timeout(*session->sql, timeout);
  } catch (...) {
    Status status = status_from_current_exception("setting statement_timeout");
    return Status(Code::kUnavailable, status.message());
  }
  if (timeout.count() > 0 && !watchdog_.joinable()) {
    watchdog_ = std::thread([this] { watchdog_loop(); });
  }
  return Status::ok();
}

Result<std::unique_ptr<PooledSession>> SessionPool::connect() {
  auto session = std::make_unique<PooledSession>();
  try {
    if (url_.dialect == Dialect::kSqlite) {
      session->sql = std::make_unique<soci::session>(soci::sqlite3, url_.connect);
      configure_sqlite(*session->sql, url_.memory, url_.sync_every_commit);
      detail::register_words_tokenizer(*session->sql);  // before anything opens idx_text
      sqlite3_progress_handler(detail::sqlite_connection(*session->sql), kProgressSteps,
                               &sqlite_progress, session.get());
    } else {
      session->sql = std::make_unique<soci::session>(soci::postgresql, url_.connect);
      // NOTICEs ("relation already exists, skipping") would go to stderr via libpq.
      *session->sql << "SET client_min_messages = warning";
      if (timeout_.count() > 0) set_pg_timeout(*session->sql, timeout_);
    }
  } catch (...) {
    Status status = status_from_current_exception("opening the database");
    // Whatever went wrong while connecting, the database is not usable from here.
    return Status(Code::kUnavailable, status.message());
  }
  return session;
}

Result<SessionPool::Lease> SessionPool::acquire(Lane lane) {
  const std::chrono::milliseconds wait =
      timeout_.count() > 0 ? timeout_ : std::chrono::milliseconds(30'000);
  std::unique_lock<std::mutex> lock(mutex_);
  auto ready = [&] {
    return (lane != Lane::kQuery || query_count_ < max_queries_) &&
           (!idle_.empty() || open_count_ < max_sessions_);
  };
  // A search waiting for a session looks at its cancel token now and then: a search whose
  // client left gives up its place instead of waiting for the timeout.
  const CancelToken* token = lane == Lane::kQuery ? CancelScope::current() : nullptr;
  const Status cancelled(Code::kUnavailable, "cancelled, the client went away");
  if (token != nullptr && token->cancelled()) return cancelled;
  const auto until = std::chrono::steady_clock::now() + wait;
  while (!ready()) {
    if (token != nullptr && token->cancelled()) return cancelled;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) {
      return Status(Code::kUnavailable, lane == Lane::kQuery
                                            ? "no database session for a search became free in time"
                                            : "no database session became free in time");
    }
    returned_.wait_until(lock, std::min(until, now + std::chrono::milliseconds(100)));
  }
  if (lane == Lane::kQuery) ++query_count_;
  std::unique_ptr<PooledSession> session;
  bool make_writer = false;
  const bool sqlite_file = url_.dialect == Dialect::kSqlite && !url_.memory;
  // A read does not take the writer session while another may still be opened: the writer's
  // page cache (kWriterCacheKiB) would fill with whatever the read scans (a Bulk Data export
  // reading every body grew the process by the whole 64 MB).
  const bool only_writer_idle =
      sqlite_file && lane != Lane::kWrite && open_count_ < max_sessions_ &&
      std::all_of(idle_.begin(), idle_.end(), [](const auto& s) { return s->writer; });
  if (!idle_.empty() && !only_writer_idle) {
    // Writes go to the writer session (SQLite file stores), everything else elsewhere when it can.
    std::size_t pick = idle_.size() - 1;
    for (std::size_t i = idle_.size(); sqlite_file && i-- > 0;) {
      if (idle_[i]->writer == (lane == Lane::kWrite)) {
        pick = i;
        break;
      }
    }
    session = std::move(idle_[pick]);
    idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(pick));
  } else {
    ++open_count_;
    lock.unlock();  // connecting may take a network round trip: not under the lock
    Result<std::unique_ptr<PooledSession>> fresh = connect();
    lock.lock();
    if (!fresh.is_ok()) {
      --open_count_;
      if (lane == Lane::kQuery) --query_count_;
      returned_.notify_all();
      return std::move(fresh).take_status();
    }
    session = std::move(fresh).value();
  }
  if (sqlite_file && lane == Lane::kWrite && !session->writer && !has_writer_) {
    session->writer = make_writer = has_writer_ = true;
  }
  session->deadline_ns.store(
      timeout_.count() > 0 ? steady_now_ns() + std::chrono::nanoseconds(timeout_).count() : 0,
      std::memory_order_relaxed);
  session->cancel.store(token, std::memory_order_relaxed);
  session->hang_cut = false;
  if (url_.dialect != Dialect::kPostgresql) {
    lock.unlock();
    if (sqlite_file) {
      if (lane == Lane::kKey && !session->writer) {
        detail::enter_read_snapshot(*session, commit_state_.load(std::memory_order_acquire),
                                    steady_now_ns());
      } else {
        detail::end_read_snapshot(*session);
      }
    }
    if (make_writer) {
      try {
        *session->sql << ("PRAGMA cache_size = -" + std::to_string(kWriterCacheKiB));
        // The writer's pages stay in its own cache, a miss copied from the shared map: with
        // SQLite's fetches on, each page it asks for is first looked up in the WAL, on the one
        // thread every commit waits for (ORU^R01 ingest, 32 in flight, three runs side by
        // side: 8-10% more CPU per message with them).
        *session->sql << "PRAGMA mmap_size = 0";
      } catch (...) {
        // The default cache only costs speed.
      }
    }
    return Lease(this, std::move(session), lane);
  }
  leased_.push_back(session.get());
  lock.unlock();
  PGconn* connection = pg_connection(*session->sql);
  Lease lease(this, std::move(session), lane);
  if (token != nullptr) {
    // PQcancel connects to the server: on a thread of its own, never the canceller's (an I/O
    // thread). The session is retired after a cancellation (see give_back), so a late cancel
    // request can never hit another call's statement.
    std::shared_ptr<PGcancel> cancel(PQgetCancel(connection), PQfreeCancel);
    const bool hooked = cancel != nullptr && token->set_hook([cancel] {
      std::thread([cancel] {
        char error[256];
        PQcancel(cancel.get(), error, sizeof error);
      }).detach();
    });
    if (!hooked && token->cancelled()) return cancelled;
  }
  return lease;
}

void SessionPool::give_back(std::unique_ptr<PooledSession> session, Lane lane, bool discard) {
  session->deadline_ns.store(0, std::memory_order_relaxed);
  const CancelToken* token = session->cancel.exchange(nullptr, std::memory_order_relaxed);
  bool retire = false;
  if (token != nullptr && url_.dialect == Dialect::kPostgresql) {
    token->clear_hook();
    retire = token->cancelled();  // a cancel request may still be on its way to this session
  }
  if (url_.memory) discard = false;  // the one connection IS the database
  std::vector<std::unique_ptr<PooledSession>> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (lane == Lane::kQuery) --query_count_;
    if (discard || session->hang_cut || retire) {
      // The writer may be among the sessions dropped below: the next write marks a new one.
      if (session->writer) has_writer_ = false;
      for (const auto& idle : idle_) {
        if (idle->writer && (discard || session->hang_cut)) has_writer_ = false;
      }
    }
    if (url_.dialect == Dialect::kPostgresql) std::erase(leased_, session.get());
    // A snapshot that a commit made stale while the lease was out would otherwise wait idle,
    // holding back checkpoints.
    if (detail::holds_snapshot_before(*session, commit_state_.load(std::memory_order_acquire))) {
      detail::end_read_snapshot(*session);
    }
    if (discard || session->hang_cut) {
      // Its siblings talk to the same server and are likely broken too: reconnect them lazily.
      dropped.swap(idle_);
      dropped.push_back(std::move(session));
      open_count_ -= dropped.size();
    } else if (retire) {
      dropped.push_back(std::move(session));
      --open_count_;
    } else {
      idle_.push_back(std::move(session));
    }
  }
  returned_.notify_all();
  // `dropped` closes its connections here, outside the lock.
}

void SessionPool::commit_starting() {
  if (url_.dialect != Dialect::kSqlite || url_.memory) return;  // no snapshots kept
  commit_state_.fetch_add(detail::kCommitStep + 1, std::memory_order_acq_rel);
}

void SessionPool::commit_ended() {
  if (url_.dialect != Dialect::kSqlite || url_.memory) return;
  commit_state_.fetch_add(detail::kCommitStep - 1, std::memory_order_acq_rel);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& idle : idle_) detail::end_read_snapshot(*idle);
}

void SessionPool::watchdog_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    stop_changed_.wait_for(lock, std::chrono::milliseconds(500));
    const std::int64_t now = steady_now_ns();
    const std::int64_t grace = std::chrono::nanoseconds(timeout_ + kHangGrace).count();
    for (PooledSession* session : leased_) {
      const std::int64_t deadline = session->deadline_ns.load(std::memory_order_relaxed);
      if (deadline == 0 || session->hang_cut || now < deadline + grace) continue;
      // The owner is blocked in libpq on a server that does not answer: cut the socket so
      // its call fails (a connection error) and the session is dropped.
      const int fd = PQsocket(pg_connection(*session->sql));
      if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
      session->hang_cut = true;
    }
  }
}

}  // namespace hearth::storage
