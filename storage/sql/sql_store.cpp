// The Store interactions, written once for both engines: reads lease a session, run the
// prepared statements and translate any exception into a Status before returning; writes
// decide their rows in write_rows() and leave the transaction to the group commit (SQLite) or
// the write-transaction helper (PostgreSQL).
#include "storage/sql/sql_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "core/tenant_scope.h"
#include "storage/blob_marker.h"
#include "storage/sql/archive_rows.h"
#include "storage/sql/read_snapshot.h"
#include "storage/sql/schema.h"
#include "storage/sql/search_index.h"
#include "storage/sql/search_runner.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/statements.h"
#include "storage/sql/token_lookup.h"

namespace hearth::storage {
namespace {

// PostgreSQL: archivings run at once (each holds a write session for its transaction).
constexpr std::size_t kArchiveThreads = 4;

std::string ref(std::string_view type, std::string_view id) {
  std::string out(type);
  out.push_back('/');
  out.append(id);
  return out;
}

// Puts back the strings a body names by marker (blob_marker.h). Errors: kInternal when the body
// names one and the store has no blob directory, or the directory lacks the file.
Status restore_blobs(const BlobDir* blobs, std::string& body) {
  if (!has_blob_markers(body)) return Status::ok();
  if (blobs == nullptr) {
    return Status(Code::kInternal,
                  "a stored resource keeps a document in a blob directory; start with --blob-dir");
  }
  HEARTH_ASSIGN_OR_RETURN(
      body, attach_blobs(body, [blobs](std::string_view name) { return blobs->get(name); }));
  return Status::ok();
}

Status restore_blobs(const BlobDir* blobs, std::vector<ResourceVersion>& rows) {
  for (ResourceVersion& row : rows) HEARTH_RETURN_IF_ERROR(restore_blobs(blobs, row.body));
  return Status::ok();
}

Status restore_blobs(const BlobDir* blobs, ResourceVersion& row) {
  return restore_blobs(blobs, row.body);
}
Status restore_blobs(const BlobDir* blobs, SearchPage& page) {
  return restore_blobs(blobs, page.entries);
}
Status restore_blobs(const BlobDir* blobs, HistoryPage& page) {
  return restore_blobs(blobs, page.entries);
}

// `result` with its bodies' blobs in place.
template <class T>
Result<T> with_blobs(const BlobDir* blobs, Result<T> result) {
  if (result.is_ok()) HEARTH_RETURN_IF_ERROR(restore_blobs(blobs, *result));
  return result;
}

Result<std::vector<std::vector<ResourceVersion>>> each_with_blobs(
    const BlobDir* blobs, std::vector<std::vector<ResourceVersion>> found) {
  for (std::vector<ResourceVersion>& versions : found) {
    HEARTH_RETURN_IF_ERROR(restore_blobs(blobs, versions));
  }
  return found;
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

// read() on a session the caller holds; SOCI errors propagate.
Result<ResourceVersion> read_row(PreparedStatements& ps, std::string_view type, std::string_view id,
                                 ResourceVersion* deleted_out) {
  ps.type.assign(type);
  ps.id.assign(id);
  const bool found = ps.read_current_row();
  if (!found) return Status(Code::kNotFound, ref(type, id) + " not found");
  ResourceVersion row = current_row(ps);
  if (row.deleted) {
    if (deleted_out != nullptr) *deleted_out = std::move(row);
    return Status(Code::kGone, ref(type, id) + " was deleted");
  }
  row.body = std::move(ps.cur_body);
  return row;
}

// vread() on a session the caller holds; SOCI errors propagate.
Result<ResourceVersion> vread_row(PreparedStatements& ps, std::string_view type,
                                  std::string_view id, std::int64_t version) {
  const std::string what = ref(type, id) + "/_history/" + std::to_string(version);
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
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<SessionPool> pool, const Clock& clock,
                   std::unique_ptr<Clock> owned_clock,
                   std::unique_ptr<WalCheckpointer> checkpointer, std::unique_ptr<BlobDir> blobs)
    : pool_(std::move(pool)),
      owned_clock_(std::move(owned_clock)),
      clock_(clock),
      dialect_(pool_->url().dialect),
      checkpointer_(std::move(checkpointer)),
      blobs_(std::move(blobs)),
      transactions_(*pool_, checkpointer_.get()) {
  if (dialect_ == Dialect::kSqlite) {
    group_commit_ = std::make_unique<detail::GroupCommit>(transactions_, clock_);
  } else {
    // As many archivings at once as leave half the sessions to requests (8 sessions: 4).
    archive_pool_ = std::make_unique<detail::TaskPool>(kArchiveThreads);
  }
}

std::string_view SqlStore::engine() const {
  return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql";
}

StoreTraits SqlStore::traits() const {
  const bool sqlite = dialect_ == Dialect::kSqlite;
  return StoreTraits{
      .cheap_reads = sqlite, .group_commit = sqlite, .concurrent_searches = pool_->max_queries()};
}

Status SqlStore::check_ready() {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  // A probe reads the schema as it is now, not the point reads' shared snapshot: another
  // process may have just migrated the file.
  if (dialect_ == Dialect::kSqlite) detail::end_read_snapshot(**lease);
  int version = 0;
  try {
    soci::indicator ind = soci::i_ok;
    *(*lease)->sql << "SELECT MAX(version) FROM schema_version", soci::into(version, ind);
    if (ind != soci::i_ok) version = 0;
  } catch (...) {
    return fail_session(*lease, "readiness check");
  }
  const int latest = latest_schema_version(dialect_);
  if (version != latest) {
    return Status(Code::kPreconditionFailed, "store schema version " + std::to_string(version) +
                                                 ", this binary writes version " +
                                                 std::to_string(latest));
  }
  return Status::ok();
}

Result<ResourceVersion> SqlStore::read(std::string_view type, std::string_view id,
                                       ResourceVersion* deleted_out) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return with_blobs(
        blobs_.get(),
        read_row(statements_of(**lease, dialect_, TenantScope::current()), type, id, deleted_out));
  } catch (...) {
    return fail_session(*lease, "read " + ref(type, id));
  }
}

Result<ResourceVersion> SqlStore::vread(std::string_view type, std::string_view id,
                                        std::int64_t version) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return with_blobs(
        blobs_.get(),
        vread_row(statements_of(**lease, dialect_, TenantScope::current()), type, id, version));
  } catch (...) {
    return fail_session(*lease, "vread " + ref(type, id) + "/_history/" + std::to_string(version));
  }
}

Result<std::vector<ResourceVersion>> SqlStore::lookup_token(const TokenLookup& lookup) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return with_blobs(blobs_.get(),
                      Result<std::vector<ResourceVersion>>(detail::run_token_lookup(
                          statements_of(**lease, dialect_, TenantScope::current()), lookup)));
  } catch (...) {
    return fail_session(*lease, "token lookup in " + std::string(lookup.type));
  }
}

Result<std::vector<std::vector<ResourceVersion>>> SqlStore::lookup_tokens(
    std::span<const TokenLookup> lookups) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return each_with_blobs(blobs_.get(),
                           detail::run_token_lookups(
                               statements_of(**lease, dialect_, TenantScope::current()), lookups));
  } catch (...) {
    return fail_session(*lease, "token lookups");
  }
}

Result<WriteOutcome> SqlStore::create(const WriteRequest& request) {
  return write_now(Op::kCreate, request);
}
Result<WriteOutcome> SqlStore::update(const WriteRequest& request) {
  return write_now(Op::kUpdate, request);
}
Result<WriteOutcome> SqlStore::remove(const WriteRequest& request) {
  return write_now(Op::kRemove, request);
}

namespace {

// The body of a write transaction, after BEGIN: decide, stamp, store. Returns without
// writing for a conflict, a failed precondition or kNoChange (the caller rolls back). Sets
// `*raced` (and returns kConflict) when another transaction inserted the row after our lookup
// found none: PostgreSQL only, where the lookup cannot lock a row that does not exist yet.
Result<WriteOutcome> write_rows(int op, const WriteRequest& request, PreparedStatements& ps,
                                const Clock& clock, const BlobDir* blobs, bool* raced) {
  constexpr int kCreate = 0, kUpdate = 1, kRemove = 2;
  ps.type = request.type;
  ps.id = request.id;
  const bool found = ps.lock_current_row();
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
  next.method = request.method.empty() ? method_of(op) : request.method;
  ps.body.clear();
  if (!next.deleted) {
    ps.body = request.make_body(next.version, next.last_updated_micros);
    // The blobs go to their files before the row that names them commits; without a directory
    // they stay in the row.
    if (blobs == nullptr) {
      if (!request.blobs.empty()) ps.body = attach_blobs(ps.body, request.blobs);
    } else {
      for (const Blob& blob : request.blobs) HEARTH_RETURN_IF_ERROR(blobs->put(blob));
    }
  }
  ps.version = next.version;
  ps.last_updated = next.last_updated_micros;
  ps.deleted = next.deleted ? 1 : 0;
  ps.method = next.method;
  // The version row first: its seq is what the current row points at. A new resource's index
  // rows go in with it on PostgreSQL (one round trip).
  bool indexed = false;
  if (found) {
    ps.insert_version_row();
    ps.update_current_row();
  } else {
    if (!ps.insert_first_version(next.deleted ? nullptr : &request.index, &indexed)) {
      *raced = true;
      return Status(Code::kConflict, name + " already exists");
    }
  }
  // The search index follows the current version: old rows out, the new body's rows in.
  detail::IndexWriter& index = ps.index();
  if (found && !current.deleted) index.remove(request.type, request.id);
  if (!next.deleted && !indexed) {
    // A new resource's key is the seq of its first version (insert_current: rid = seq).
    index.insert(request.type, request.id, request.index,
                 found ? std::nullopt : std::optional<std::int64_t>(ps.seq));
  }
  next.body.swap(ps.body);
  if (!request.blobs.empty() && blobs != nullptr)
    next.body = attach_blobs(next.body, request.blobs);
  WriteKind kind = op == kRemove                                ? WriteKind::kDeleted
                   : op == kUpdate && found && !current.deleted ? WriteKind::kUpdated
                                                                : WriteKind::kCreated;
  return WriteOutcome{kind, std::move(next)};
}

// One resource write queued for the group commit: run() (the caller's request, borrowed) or
// post() (the request and `done` owned; done called in complete()).
struct ResourceWrite final : detail::GroupCommit::Item {
  ResourceWrite(int op, const WriteRequest& request, const Clock& clock, const BlobDir* blobs)
      : op(op), request(request), clock(clock), blobs(blobs) {}
  ResourceWrite(int op, WriteRequest owned_request, WriteDone done, const Clock& clock,
                const BlobDir* blobs)
      : op(op),
        owned(std::move(owned_request)),
        request(owned),
        clock(clock),
        blobs(blobs),
        done(std::move(done)) {}
  bool apply(PreparedStatements& ps, std::int64_t) override {
    bool raced = false;  // cannot happen: the batch is SQLite's only writer
    result = write_rows(op, request, ps, clock, blobs, &raced);
    return result->is_ok() && (*result)->kind != WriteKind::kNoChange;
  }
  void fail_current(FailureKind kind) override {
    const std::string what = ref(request.type, request.id);
    result = kind == FailureKind::kUnique && op == 0
                 ? Status(Code::kConflict, what + " already exists")
                 : status_from_current_exception("write " + what);
  }
  void fail(const Status& status) override { result = status; }
  // write_rows decides (conflict, precondition, no change) before its first statement.
  bool fails_before_writing() const override { return true; }
  void complete() override { done(std::move(*result)); }

  const int op;
  WriteRequest owned;
  const WriteRequest& request;
  const Clock& clock;
  const BlobDir* blobs;
  WriteDone done;
  std::optional<Result<WriteOutcome>> result;
};

// The StoreTransaction a transaction body sees: every call on the session of the transaction
// that runs the body. `raced` as for write_rows (PostgreSQL: the whole body runs again).
class SqlTransaction final : public StoreTransaction {
 public:
  // `lock_rows`: lock() takes row locks (PostgreSQL); SQLite's writer is alone anyway.
  SqlTransaction(PreparedStatements& ps, const Clock& clock, const BlobDir* blobs, bool* raced,
                 bool lock_rows)
      : ps_(ps), clock_(clock), blobs_(blobs), raced_(raced), lock_rows_(lock_rows) {}
  Result<ResourceVersion> read(std::string_view type, std::string_view id,
                               ResourceVersion* deleted_out) override {
    return with_blobs(blobs_, read_row(ps_, type, id, deleted_out));
  }
  Result<ResourceVersion> vread(std::string_view type, std::string_view id,
                                std::int64_t version) override {
    return with_blobs(blobs_, vread_row(ps_, type, id, version));
  }
  Result<SearchPage> search(const fhir::search::SearchQuery& query) override {
    return with_blobs(blobs_, detail::run_search_in(ps_, query, clock_.now_micros()));
  }
  Result<std::vector<ResourceVersion>> include(const IncludeQuery& query) override {
    return with_blobs(blobs_, detail::run_include_in(ps_, query));
  }
  Result<std::vector<ResourceVersion>> lookup_token(const TokenLookup& lookup) override {
    return with_blobs(blobs_,
                      Result<std::vector<ResourceVersion>>(detail::run_token_lookup(ps_, lookup)));
  }
  Result<std::vector<std::vector<ResourceVersion>>> lookup_tokens(
      std::span<const TokenLookup> lookups) override {
    return each_with_blobs(blobs_, detail::run_token_lookups(ps_, lookups));
  }
  Status lock(std::vector<std::pair<std::string, std::string>> type_ids) override {
    if (!lock_rows_) return Status::ok();
    std::sort(type_ids.begin(), type_ids.end());
    type_ids.erase(std::unique(type_ids.begin(), type_ids.end()), type_ids.end());
    for (auto& [type, id] : type_ids) {
      ps_.type = std::move(type);
      ps_.id = std::move(id);
      ps_.lock_current_row();
    }
    return Status::ok();
  }
  Result<bool> lock_criteria(std::string_view key) override {
    if (!lock_rows_) return false;
    // The two-key form: its key space is apart from the archive's and the migrations' locks.
    const std::string text(key);
    ps_.sql << "SELECT pg_advisory_xact_lock(" << kCriteriaLockSpace << ", hashtext(:key))",
        soci::use(text);
    return true;
  }
  Result<WriteOutcome> create(const WriteRequest& request) override { return write(0, request); }
  Result<WriteOutcome> update(const WriteRequest& request) override { return write(1, request); }
  Result<WriteOutcome> remove(const WriteRequest& request) override { return write(2, request); }

 private:
  static constexpr int kCriteriaLockSpace = 0x48656172;  // any constant: "Hear"
  Result<WriteOutcome> write(int op, const WriteRequest& request) {
    if (op != 2 && !request.make_body) {
      return Status(Code::kInternal, "WriteRequest.make_body is not set");
    }
    return write_rows(op, request, ps_, clock_, blobs_, raced_);
  }
  PreparedStatements& ps_;
  const Clock& clock_;
  const BlobDir* blobs_;
  bool* raced_;
  const bool lock_rows_;
};

// A transaction body queued for the group commit: it runs in its own savepoint, so an error
// rolls back all of its writes and nothing else of the batch.
// Blocking (run()): `done` unset. Posted: `done` called in complete().
struct TransactionRun final : detail::GroupCommit::Item {
  TransactionRun(TransactionBody body, const Clock& clock, const BlobDir* blobs,
                 TransactionDone done = {})
      : body(std::move(body)), clock(clock), blobs(blobs), done(std::move(done)) {}
  bool apply(PreparedStatements& ps, std::int64_t) override {
    bool raced = false;  // cannot happen: the batch is SQLite's only writer
    SqlTransaction transaction(ps, clock, blobs, &raced, false);
    result = body(transaction);
    return result.is_ok();
  }
  void fail_current(FailureKind) override { result = status_from_current_exception("transaction"); }
  void fail(const Status& status) override { result = status; }
  void complete() override { done(std::move(result)); }

  const TransactionBody body;
  const Clock& clock;
  const BlobDir* blobs;
  TransactionDone done;
  Status result = Status::ok();
};

// One archiving posted to the group commit; `done` runs after the batch. It runs without a
// savepoint: it writes nothing before its checks pass, and an effect that fails after writing
// has the batch rolled back and run again, this time storing the row as 'error' without running
// the effect (detail::EffectUndo).
struct Archiving final : detail::GroupCommit::Item {
  Archiving(std::shared_ptr<const ArchiveRequest> request, ArchiveDone done, const Clock& clock,
            const BlobDir* blobs)
      : request(std::move(request)), done(std::move(done)), clock(clock), blobs(blobs) {}
  bool apply(PreparedStatements& ps, std::int64_t now_micros) override {
    bool raced = false;  // cannot happen: the batch is SQLite's only writer
    SqlTransaction effect_tx(ps, clock, blobs, &raced, false);
    Status effect_failed;
    result = detail::archive_rows(
        ps, *request, now_micros, effect_tx, raced,
        {.by_caller = true,
         .failed = &effect_failed,
         .known_failure = known_effect_failure ? &*known_effect_failure : nullptr});
    if (!effect_failed.is_ok()) {
      known_effect_failure = std::move(effect_failed);
      throw detail::GroupCommit::RunAgain();
    }
    return result->is_ok() && !(*result)->duplicate;
  }
  void fail_current(FailureKind) override {
    result = status_from_current_exception("archive message " + request->control_id);
  }
  void fail(const Status& status) override { result = status; }
  // Without an effect, one INSERT: atomic on its own.
  bool atomic() const override { return !request->effect; }
  bool fails_before_writing() const override { return true; }
  void complete() override { done(std::move(*result)); }

  std::shared_ptr<const ArchiveRequest> request;
  ArchiveDone done;
  const Clock& clock;
  const BlobDir* blobs;
  std::optional<Result<ArchiveOutcome>> result;
  // What the effect returned in a run the batch rolled back.
  std::optional<Status> known_effect_failure;
};

}  // namespace

void SqlStore::write(WriteOp op, WriteRequest request, WriteDone done) {
  if (!group_commit_ || (op != Op::kRemove && !request.make_body)) {
    done(write_now(op, request));
    return;
  }
  group_commit_->post(std::make_unique<ResourceWrite>(static_cast<int>(op), std::move(request),
                                                      std::move(done), clock_, blobs_.get()));
}

void SqlStore::transact(TransactionBody body, TransactionDone done) {
  if (!group_commit_) {
    done(transact(body));
    return;
  }
  group_commit_->post(
      std::make_unique<TransactionRun>(std::move(body), clock_, blobs_.get(), std::move(done)));
}

Result<WriteOutcome> SqlStore::write_now(Op op, const WriteRequest& request) {
  const int op_index = static_cast<int>(op);
  const std::string what = std::string(op == Op::kCreate   ? "create "
                                       : op == Op::kUpdate ? "update "
                                                           : "delete ") +
                           ref(request.type, request.id);
  if (op != Op::kRemove && !request.make_body) {
    return Status(Code::kInternal, what + ": WriteRequest.make_body is not set");
  }
  if (group_commit_) {
    ResourceWrite item(op_index, request, clock_, blobs_.get());
    group_commit_->run(item);
    return std::move(*item.result);
  }
  return transactions_.run<WriteOutcome>(
      what,
      [&](PreparedStatements& ps) {
        bool raced = false;
        Result<WriteOutcome> outcome =
            write_rows(op_index, request, ps, clock_, blobs_.get(), &raced);
        const bool commit = outcome.is_ok() && outcome->kind != WriteKind::kNoChange;
        // Lost a race to create the row: a create conflicts; an update or delete tries again
        // and now finds (and locks) the row.
        return detail::Attempt<WriteOutcome>{std::move(outcome), commit,
                                             raced && op != Op::kCreate};
      },
      [&](FailureKind kind, const Status& status) -> std::optional<Status> {
        if (kind == FailureKind::kUnique && op == Op::kCreate) {
          return Status(Code::kConflict, ref(request.type, request.id) + " already exists");
        }
        if (kind == FailureKind::kRetryable || kind == FailureKind::kUnique) return std::nullopt;
        return status;
      });
}

Status SqlStore::transact(const TransactionBody& body) {
  if (group_commit_) {
    TransactionRun item(body, clock_, blobs_.get());
    group_commit_->run(item);
    return item.result;
  }
  Result<bool> done = transactions_.run<bool>(
      "transaction",
      [&](PreparedStatements& ps) {
        bool raced = false;
        SqlTransaction transaction(ps, clock_, blobs_.get(), &raced, true);
        Status status = body(transaction);
        const bool ok = status.is_ok();
        return detail::Attempt<bool>{ok ? Result<bool>(true) : Result<bool>(std::move(status)), ok,
                                     raced};
      },
      [](FailureKind kind, const Status& status) -> std::optional<Status> {
        if (kind == FailureKind::kRetryable || kind == FailureKind::kUnique) return std::nullopt;
        return status;
      });
  return done.is_ok() ? Status::ok() : done.status();
}

void SqlStore::archive(std::shared_ptr<const ArchiveRequest> request, ArchiveDone done) {
  if (group_commit_) {
    group_commit_->post(
        std::make_unique<Archiving>(std::move(request), std::move(done), clock_, blobs_.get()));
    return;
  }
  // The caller's tenant, on the pool's thread.
  archive_pool_->post([this, request = std::move(request), done = std::move(done),
                       tenant = std::string(TenantScope::current())] {
    const TenantScope scope(tenant);
    done(archive_now(*request));
  });
}

Result<ArchiveOutcome> SqlStore::archive_now(const ArchiveRequest& request) {
  return transactions_.run<ArchiveOutcome>(
      "archive message " + request.control_id,
      [&](PreparedStatements& ps) {
        bool raced = false;
        SqlTransaction effect_tx(ps, clock_, blobs_.get(), &raced,
                                 dialect_ == Dialect::kPostgresql);
        Result<ArchiveOutcome> outcome =
            detail::archive_rows(ps, request, clock_.now_micros(), effect_tx, raced);
        const bool commit = outcome.is_ok() && !outcome->duplicate;
        return detail::Attempt<ArchiveOutcome>{std::move(outcome), commit, raced};
      },
      [](FailureKind kind, const Status& status) -> std::optional<Status> {
        if (kind == FailureKind::kRetryable) return std::nullopt;
        return status;
      });
}

Result<ArchivedMessage> SqlStore::read_message(std::int64_t id) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kKey);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return detail::read_message_row(*(*lease)->sql, dialect_, TenantScope::current(), id);
  } catch (...) {
    return fail_session(*lease, "read message " + std::to_string(id));
  }
}

Result<std::vector<ArchivedMessage>> SqlStore::list_messages(const MessageFilter& filter) {
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    return detail::list_message_rows(*(*lease)->sql, dialect_, TenantScope::current(), filter);
  } catch (...) {
    return fail_session(*lease, "list messages");
  }
}

Result<SearchPage> SqlStore::search(const fhir::search::SearchQuery& query) {
  return with_blobs(blobs_.get(), detail::run_search(*pool_, query, clock_.now_micros()));
}

Result<std::vector<ResourceVersion>> SqlStore::include(const IncludeQuery& query) {
  return with_blobs(blobs_.get(), detail::run_include(*pool_, query));
}

Result<HistoryPage> SqlStore::history(const HistoryQuery& query) {
  if (!query.id.empty() && query.type.empty()) {
    return Status(Code::kInvalidArgument, "instance history needs a resource type");
  }
  Result<SessionPool::Lease> lease = pool_->acquire(Lane::kQuery);
  if (!lease.is_ok()) return std::move(lease).take_status();
  try {
    PreparedStatements& ps = statements_of(**lease, dialect_, TenantScope::current());
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
    HEARTH_RETURN_IF_ERROR(restore_blobs(blobs_.get(), page));
    return page;
  } catch (...) {
    return fail_session(*lease, "history");
  }
}

}  // namespace hearth::storage
