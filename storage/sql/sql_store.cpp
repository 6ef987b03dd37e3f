// The Store interactions, written once for both engines. Every call: lease a session, run
// the prepared statements, translate any exception into a Status before returning.
#include "storage/sql/sql_store.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "storage/sql/archive_rows.h"
#include "storage/sql/search_index.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/statements.h"

namespace hearth::storage {
namespace {

// Racing first writes of one id (PostgreSQL) and serialization failures are retried; more
// than a handful of losses in a row means something else is wrong.
constexpr int kWriteAttempts = 5;

// PostgreSQL: archivings run at once (each holds a write session for its transaction).
constexpr std::size_t kArchiveThreads = 4;

PreparedStatements& statements_of(PooledSession& session, Dialect dialect) {
  if (!session.statements) {
    session.statements = std::make_unique<PreparedStatements>(*session.sql, dialect);
  }
  return *session.statements;
}

std::string ref(std::string_view type, std::string_view id) {
  std::string out(type);
  out.push_back('/');
  out.append(id);
  return out;
}

ResourceVersion current_row(const PreparedStatements& ps) {
  ResourceVersion row;
  row.type = ps.type;
  row.id = ps.id;
  row.version = ps.cur_version;
  row.last_updated_micros = ps.cur_last_updated;
  row.deleted = ps.cur_deleted != 0;
  row.method = ps.cur_method;
  return row;
}

const char* method_of(int op) {
  static constexpr const char* kMethods[] = {"POST", "PUT", "DELETE"};
  return kMethods[op];
}

}  // namespace

// The exception being handled, as a Status; drops the session when its connection is gone
// (the next lease opens a fresh one), reporting kUnavailable.
Status fail_session(SessionPool::Lease& lease, std::string_view what) {
  const FailureKind kind = classify_current_exception();
  if (kind == FailureKind::kInterrupted) {
    // The session is fine (SQLite: the statement was reset; PostgreSQL: the error ended it).
    return Status(
        Code::kUnavailable,
        std::string(what) + (lease.cancelled() ? ": cancelled, the client went away"
                                               : ": took longer than the statement time limit"));
  }
  Status status = status_from_current_exception(what);
  bool connected = kind != FailureKind::kConnection;
  if (connected) {
    try {
      connected = lease->sql->is_connected();
    } catch (...) {
      connected = false;
    }
  }
  if (connected) return status;
  lease.discard();
  return Status(Code::kUnavailable, status.message());
}

SqlStore::SqlStore(std::unique_ptr<SessionPool> pool, const Clock& clock,
                   std::unique_ptr<Clock> owned_clock,
                   std::unique_ptr<WalCheckpointer> checkpointer)
    : pool_(std::move(pool)),
      owned_clock_(std::move(owned_clock)),
      clock_(clock),
      dialect_(pool_->url().dialect),
      checkpointer_(std::move(checkpointer)) {
  // As many archivings at once as leave half the sessions to requests (8 sessions: 4).
  if (dialect_ == Dialect::kPostgresql) {
    archive_pool_ = std::make_unique<detail::TaskPool>(kArchiveThreads);
  }
}

SqlStore::~SqlStore() {
  archive_pool_.reset();  // runs what was queued, then joins
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    stop_committer_ = true;
  }
  committer_wake_.notify_one();
  if (committer_.joinable()) committer_.join();  // after it ran what was queued
}

std::string_view SqlStore::engine() const {
  return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql";
}

StoreTraits SqlStore::traits() const {
  const bool sqlite = dialect_ == Dialect::kSqlite;
  return StoreTraits{.cheap_reads = sqlite, .group_commit = sqlite};
}

Result<ResourceVersion> SqlStore::read(std::string_view type, std::string_view id,
                                       ResourceVersion* deleted_out) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    PreparedStatements& ps = statements_of(**lease, dialect_);
    ps.type.assign(type);
    ps.id.assign(id);
    ps.read_current.execute(true);
    const bool found = ps.read_current.got_data();
    ps.finish(ps.read_current);
    if (!found) return Status(Code::kNotFound, ref(type, id) + " not found");
    ResourceVersion row = current_row(ps);
    if (row.deleted) {
      if (deleted_out != nullptr) *deleted_out = std::move(row);
      return Status(Code::kGone, ref(type, id) + " was deleted");
    }
    row.body = std::move(ps.cur_body);
    return row;
  } catch (...) {
    return fail_session(*lease, "read " + ref(type, id));
  }
}

Result<ResourceVersion> SqlStore::vread(std::string_view type, std::string_view id,
                                        std::int64_t version) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  const std::string what = ref(type, id) + "/_history/" + std::to_string(version);
  try {
    PreparedStatements& ps = statements_of(**lease, dialect_);
    ps.type.assign(type);
    ps.id.assign(id);
    ps.version = version;
    ps.read_version.execute(true);
    const bool found = ps.read_version.got_data();
    ps.finish(ps.read_version);
    if (!found) return Status(Code::kNotFound, what + " not found");
    ps.cur_version = version;
    ResourceVersion row = current_row(ps);
    if (row.deleted) return Status(Code::kGone, what + " is a deletion");
    row.body = std::move(ps.cur_body);
    return row;
  } catch (...) {
    return fail_session(*lease, "vread " + what);
  }
}

Result<WriteOutcome> SqlStore::create(const WriteRequest& request) {
  return write(Op::kCreate, request);
}
Result<WriteOutcome> SqlStore::update(const WriteRequest& request) {
  return write(Op::kUpdate, request);
}
Result<WriteOutcome> SqlStore::remove(const WriteRequest& request) {
  return write(Op::kRemove, request);
}

namespace {

// Rolls back a write transaction that failed part-way (nullptr: it never began), ignoring a
// second failure: the engine may have rolled back already, or the connection is gone.
void roll_back_quietly(PreparedStatements* open) {
  if (open == nullptr) return;
  try {
    open->rollback.execute(true);
  } catch (...) {
  }
}

// The body of a write transaction, after BEGIN: decide, stamp, store. Returns without
// writing for a conflict, a failed precondition or kNoChange (the caller rolls back). Sets
// `*raced` (and returns kConflict) when another transaction inserted the row after our lookup
// found none: PostgreSQL only, where the lookup cannot lock a row that does not exist yet.
Result<WriteOutcome> write_rows(int op, const WriteRequest& request, PreparedStatements& ps,
                                const Clock& clock, bool* raced) {
  constexpr int kCreate = 0, kUpdate = 1, kRemove = 2;
  ps.type = request.type;
  ps.id = request.id;
  ps.lock_current.execute(true);
  const bool found = ps.lock_current.got_data();
  ps.finish(ps.lock_current);
  ResourceVersion current;
  if (found) {
    current = current_row(ps);
  } else {
    current.type = request.type;
    current.id = request.id;
  }
  const std::string name = ref(request.type, request.id);
  if (op != kCreate && request.expected_version &&
      (!found || current.version != *request.expected_version)) {
    return Status(Code::kPreconditionFailed,
                  found ? name + " is at version " + std::to_string(current.version) + ", not " +
                              std::to_string(*request.expected_version)
                        : name + " does not exist (expected version " +
                              std::to_string(*request.expected_version) + ")");
  }
  if (op == kCreate && found) return Status(Code::kConflict, name + " already exists");
  if (op == kRemove && (!found || current.deleted)) {
    return WriteOutcome{WriteKind::kNoChange, std::move(current)};
  }
  ResourceVersion next;
  next.type = request.type;
  next.id = request.id;
  next.version = found ? current.version + 1 : 1;
  const std::int64_t now = clock.now_micros();
  next.last_updated_micros = found ? std::max(now, current.last_updated_micros + 1) : now;
  next.deleted = op == kRemove;
  next.method = method_of(op);
  ps.body.clear();
  if (!next.deleted) ps.body = request.make_body(next.version, next.last_updated_micros);
  ps.version = next.version;
  ps.last_updated = next.last_updated_micros;
  ps.deleted = next.deleted ? 1 : 0;
  ps.method = next.method;
  // The version row first: its seq is what the current row points at.
  ps.insert_version.execute(true);
  ps.finish(ps.insert_version);
  if (found) {
    ps.update_current.execute(true);
  } else {
    ps.insert_current.execute(true);
    if (ps.insert_current.get_affected_rows() == 0) {
      *raced = true;
      return Status(Code::kConflict, name + " already exists");
    }
  }
  // The search index follows the current version: old rows out, the new body's rows in.
  detail::IndexWriter& index = ps.index();
  if (found && !current.deleted) index.remove(request.type, request.id);
  if (!next.deleted) index.insert(request.type, request.id, request.index);
  next.body.swap(ps.body);
  WriteKind kind = op == kRemove                                ? WriteKind::kDeleted
                   : op == kUpdate && found && !current.deleted ? WriteKind::kUpdated
                                                                : WriteKind::kCreated;
  return WriteOutcome{kind, std::move(next)};
}

}  // namespace

PreparedStatements& SqlStore::begin_write(SessionPool::Lease& lease) {
  PreparedStatements& ps = statements_of(*lease, dialect_);
  ps.begin_write.execute(true);
  return ps;
}

void SqlStore::end_write(SessionPool::Lease& lease, PreparedStatements& ps, bool commit) {
  // All the work is done: a COMMIT is never the statement a time limit aborts.
  lease.clear_limits();
  (commit ? ps.commit : ps.rollback).execute(true);
  if (commit && checkpointer_) checkpointer_->note_commit();
}

Result<WriteOutcome> SqlStore::write(Op op, const WriteRequest& request) {
  const int op_index = static_cast<int>(op);
  const std::string what = std::string(op == Op::kCreate   ? "create "
                                       : op == Op::kUpdate ? "update "
                                                           : "delete ") +
                           ref(request.type, request.id);
  if (op != Op::kRemove && !request.make_body) {
    return Status(Code::kInternal, what + ": WriteRequest.make_body is not set");
  }
  if (dialect_ == Dialect::kSqlite) return write_grouped(op, request);
  for (int attempt = 1;; ++attempt) {
    Result<SessionPool::Lease> lease = pool_->acquire(Lane::kWrite);
    if (!lease.is_ok()) return std::move(lease).take_status();
    PreparedStatements* open = nullptr;
    try {
      PreparedStatements& ps = begin_write(*lease);
      open = &ps;
      bool raced = false;
      Result<WriteOutcome> outcome = write_rows(op_index, request, ps, clock_, &raced);
      end_write(*lease, ps, outcome.is_ok() && outcome->kind != WriteKind::kNoChange);
      open = nullptr;
      // Lost a race to create the row: a create conflicts; an update or delete tries again
      // and now finds (and locks) the row.
      if (raced && op != Op::kCreate && attempt < kWriteAttempts) continue;
      return outcome;
    } catch (...) {
      const FailureKind kind = classify_current_exception();
      Status status = fail_session(*lease, what);
      roll_back_quietly(open);
      if (kind == FailureKind::kUnique && op == Op::kCreate) {
        return Status(Code::kConflict, ref(request.type, request.id) + " already exists");
      }
      const bool retry = kind == FailureKind::kRetryable || kind == FailureKind::kUnique;
      if (!retry || attempt >= kWriteAttempts) return status;
    }
  }
}

struct SqlStore::PendingWrite {
  Op op;
  const WriteRequest* request = nullptr;    // resource writes
  const ArchiveRequest* archive = nullptr;  // kArchive
  // Set by the batch that ran it (the one matching `op`); `done` after both are final.
  std::optional<Result<WriteOutcome>> result;
  std::optional<Result<ArchiveOutcome>> archive_result;
  bool done = false;
  // Asynchronous archivings only: heap-allocated, owned by the queue, deleted after `on_done`.
  std::shared_ptr<const ArchiveRequest> archive_owner;
  ArchiveDone on_done;
};

void SqlStore::lead_batch(std::unique_lock<std::mutex>& lock) {
  batch_running_ = true;
  std::vector<PendingWrite*> batch;
  batch.swap(queue_);
  async_queued_ = 0;
  lock.unlock();
  run_batch(batch);
  std::vector<PendingWrite*> finished_async;
  for (PendingWrite* w : batch) {
    if (w->on_done) finished_async.push_back(w);
  }
  lock.lock();
  // From here a blocking writer may return and destroy its PendingWrite: touch them no more.
  for (PendingWrite* w : batch) {
    if (!w->on_done) w->done = true;
  }
  batch_running_ = false;
  queue_changed_.notify_all();
  if (async_queued_ > 0) committer_wake_.notify_one();
  lock.unlock();
  for (PendingWrite* w : finished_async) {
    std::unique_ptr<PendingWrite> owned(w);
    owned->on_done(std::move(*owned->archive_result));
  }
  lock.lock();
}

void SqlStore::enqueue_and_wait(PendingWrite& me) {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  queue_.push_back(&me);
  while (!me.done) {
    if (batch_running_) {
      queue_changed_.wait(lock);
      continue;
    }
    lead_batch(lock);
  }
}

void SqlStore::committer_loop() {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  for (;;) {
    committer_wake_.wait(
        lock, [this] { return stop_committer_ || (async_queued_ > 0 && !batch_running_); });
    if (async_queued_ > 0 && !batch_running_) {
      lead_batch(lock);
      continue;
    }
    if (stop_committer_ && async_queued_ == 0) return;
  }
}

void SqlStore::archive(std::shared_ptr<const ArchiveRequest> request, ArchiveDone done) {
  if (dialect_ != Dialect::kSqlite) {
    archive_pool_->post([this, request = std::move(request), done = std::move(done)] {
      done(archive_now(*request));
    });
    return;
  }
  auto pending = std::make_unique<PendingWrite>();
  pending->op = Op::kArchive;
  pending->archive = request.get();
  pending->archive_owner = std::move(request);
  pending->on_done = std::move(done);
  std::lock_guard<std::mutex> lock(queue_mutex_);
  if (!committer_.joinable()) committer_ = std::thread([this] { committer_loop(); });
  queue_.push_back(pending.release());
  ++async_queued_;
  if (!batch_running_) committer_wake_.notify_one();
}

Result<WriteOutcome> SqlStore::write_grouped(Op op, const WriteRequest& request) {
  PendingWrite me{op, &request, nullptr, std::nullopt, std::nullopt, false, nullptr, nullptr};
  enqueue_and_wait(me);
  return std::move(*me.result);
}

void SqlStore::run_batch(const std::vector<PendingWrite*>& batch) {
  auto fail_all = [&](const Status& status) {
    for (PendingWrite* w : batch) {
      if (w->op == Op::kArchive) {
        w->archive_result = status;
      } else {
        w->result = status;
      }
    }
  };
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kWrite);
  if (!lease.is_ok()) return fail_all(lease.status());
  PreparedStatements* open = nullptr;
  // Outcomes are handed out only after COMMIT: kept aside until then.
  std::vector<std::optional<Result<WriteOutcome>>> outcomes(batch.size());
  std::vector<std::optional<Result<ArchiveOutcome>>> archived(batch.size());
  try {
    PreparedStatements& ps = begin_write(*lease);
    open = &ps;
    bool any_changed = false;
    const std::int64_t now = clock_.now_micros();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const PendingWrite& w = *batch[i];
      // An archiving writes one row with one INSERT, atomic on its own: no savepoint needed.
      const bool isolated = w.op != Op::kArchive;
      if (isolated) ps.savepoint.execute(true);
      try {
        bool changed = false;
        if (w.op == Op::kArchive) {
          Result<ArchiveOutcome> outcome = detail::archive_rows(ps, *w.archive, now);
          changed = outcome.is_ok() && !outcome->duplicate;
          archived[i] = std::move(outcome);
        } else {
          bool raced = false;  // cannot happen: this batch is SQLite's only writer
          Result<WriteOutcome> outcome =
              write_rows(static_cast<int>(w.op), *w.request, ps, clock_, &raced);
          changed = outcome.is_ok() && outcome->kind != WriteKind::kNoChange;
          outcomes[i] = std::move(outcome);
        }
        if (changed) {
          any_changed = true;
        } else if (isolated) {
          ps.rollback_to_savepoint.execute(true);
        }
        if (isolated) ps.release_savepoint.execute(true);
      } catch (...) {
        const FailureKind kind = classify_current_exception();
        // Past the batch's time limit SQLite rolled back the whole transaction: every write
        // of the batch fails (kUnavailable), none is half-committed.
        if (kind == FailureKind::kInterrupted) throw;
        if (w.op == Op::kArchive) {
          archived[i] = status_from_current_exception("archive message " + w.archive->control_id);
        } else {
          const std::string what = ref(w.request->type, w.request->id);
          outcomes[i] = kind == FailureKind::kUnique && w.op == Op::kCreate
                            ? Status(Code::kConflict, what + " already exists")
                            : status_from_current_exception("write " + what);
        }
        if (isolated) {
          ps.rollback_to_savepoint.execute(true);
          ps.release_savepoint.execute(true);
        } else if (!ps.in_transaction()) {
          // SQLite rolled the whole transaction back (disk full, I/O error): fail the batch.
          throw std::runtime_error("the write transaction was rolled back");
        }
      }
    }
    end_write(*lease, ps, any_changed);
    open = nullptr;
  } catch (...) {
    Status status = fail_session(*lease, "write batch of " + std::to_string(batch.size()));
    roll_back_quietly(open);
    return fail_all(status);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i]->op == Op::kArchive) {
      batch[i]->archive_result = std::move(*archived[i]);
    } else {
      batch[i]->result = std::move(*outcomes[i]);
    }
  }
}

Result<ArchiveOutcome> SqlStore::archive_now(const ArchiveRequest& request) {
  const std::string what = "archive message " + request.control_id;
  for (int attempt = 1;; ++attempt) {
    Result<SessionPool::Lease> lease = pool_->acquire(Lane::kWrite);
    if (!lease.is_ok()) return std::move(lease).take_status();
    PreparedStatements* open = nullptr;
    try {
      PreparedStatements& ps = begin_write(*lease);
      open = &ps;
      Result<ArchiveOutcome> outcome = detail::archive_rows(ps, request, clock_.now_micros());
      end_write(*lease, ps, outcome.is_ok() && !outcome->duplicate);
      return outcome;
    } catch (...) {
      const FailureKind kind = classify_current_exception();
      Status status = fail_session(*lease, what);
      roll_back_quietly(open);
      if (kind != FailureKind::kRetryable || attempt >= kWriteAttempts) return status;
    }
  }
}

Result<ArchivedMessage> SqlStore::read_message(std::int64_t id) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return detail::read_message_row(*(*lease)->sql, dialect_, id);
  } catch (...) {
    return fail_session(*lease, "read message " + std::to_string(id));
  }
}

Result<std::vector<ArchivedMessage>> SqlStore::list_messages(const MessageFilter& filter) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return detail::list_message_rows(*(*lease)->sql, dialect_, filter);
  } catch (...) {
    return fail_session(*lease, "list messages");
  }
}

Result<HistoryPage> SqlStore::history(const HistoryQuery& query) {
  if (!query.id.empty() && query.type.empty()) {
    return Status(Code::kInvalidArgument, "instance history needs a resource type");
  }
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    PreparedStatements& ps = statements_of(**lease, dialect_);
    HistoryPage page;
    if (query.snapshot) {
      page.snapshot = *query.snapshot;
    } else {
      ps.read_max_seq.execute(true);
      ps.finish(ps.read_max_seq);
      page.snapshot = ps.max_seq;
    }
    int shape = 0;
    if (!query.type.empty()) shape |= kHistoryType;
    if (!query.id.empty()) shape |= kHistoryInstance;
    if (query.since_micros) shape |= kHistorySince;
    if (query.at_micros) shape |= kHistoryAt;
    HistoryStatements& h = ps.history(shape);
    h.type = query.type;
    h.id = query.id;
    h.snapshot = page.snapshot;
    h.since = query.since_micros.value_or(0);
    h.at = query.at_micros.value_or(0);
    h.limit = std::max<std::int64_t>(query.count, 0);
    h.offset = std::max<std::int64_t>(query.offset, 0);
    h.count.execute(true);
    ps.finish(h.count);
    page.total = h.total;
    if (h.limit > 0 && h.offset < page.total) {
      h.page.execute(false);
      while (h.page.fetch()) {
        ResourceVersion& row = page.entries.emplace_back();
        row.type = h.row_type;
        row.id = h.row_id;
        row.version = h.row_version;
        row.last_updated_micros = h.row_last_updated;
        row.deleted = h.row_deleted != 0;
        row.method = h.row_method;
        row.body = std::move(h.row_body);
      }
      ps.finish(h.page);
    }
    return page;
  } catch (...) {
    return fail_session(*lease, "history");
  }
}

}  // namespace hearth::storage
