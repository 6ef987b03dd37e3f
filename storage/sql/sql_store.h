// The one Store implementation, over SOCI, for SQLite and PostgreSQL alike. What differs
// between the engines is data (SQL snippets in statements.h, the pool size, the write
// lock): the logic of every interaction is written once here.
//
// Concurrency: each call leases a session from the pool. SQLite writes are additionally
// serialised by a mutex held for the whole transaction (plus BEGIN IMMEDIATE against other
// processes), so the single SQLite writer never meets SQLITE_BUSY inside the process.
// PostgreSQL writes lock the current row (SELECT ... FOR UPDATE); two racing first writes of
// one id meet on the primary key, and the loser is retried (update) or gets kConflict (create).
//
// History snapshots are "seq <= max(seq) when the first page was read". On SQLite seq follows
// commit order (one writer), so a snapshot never changes. On PostgreSQL a BIGSERIAL value is
// taken at INSERT, and a transaction holding a lower seq may commit just after a snapshot was
// taken: under concurrent writes a later page can then include a version the first page's
// total did not count. Known limitation; a commit-ordered sequence would fix it.
//
// Ownership: owns its session pool, its WAL checkpointer and, when opened without one, its
// clock.
// Thread-safety and errors: as Store (store.h).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "storage/sql/session_pool.h"
#include "storage/sql/task_pool.h"
#include "storage/sql/wal_checkpointer.h"
#include "storage/store.h"

namespace hearth::storage {

struct PreparedStatements;

// The exception being handled (call inside a catch block), as a Status; drops the leased
// session when its connection is gone (the next lease opens a fresh one), reporting
// kUnavailable.
Status fail_session(SessionPool::Lease& lease, std::string_view what);

class SqlStore final : public Store {
 public:
  // `checkpointer` is required for a SQLite file (its sessions run without auto-checkpoint)
  // and null otherwise.
  SqlStore(std::unique_ptr<SessionPool> pool, const Clock& clock,
           std::unique_ptr<Clock> owned_clock, std::unique_ptr<WalCheckpointer> checkpointer);

  Result<ResourceVersion> read(std::string_view type, std::string_view id,
                               ResourceVersion* deleted_out) override;
  Result<ResourceVersion> vread(std::string_view type, std::string_view id,
                                std::int64_t version) override;
  Result<WriteOutcome> create(const WriteRequest& request) override;
  Result<WriteOutcome> update(const WriteRequest& request) override;
  Result<WriteOutcome> remove(const WriteRequest& request) override;
  Result<HistoryPage> history(const HistoryQuery& query) override;
  Result<SearchPage> search(const fhir::search::SearchQuery& query) override;  // search_runner.cpp
  ~SqlStore() override;
  // SQLite: queued for the group commit and run by the committer thread (or by a blocking
  // writer leading a batch). PostgreSQL: posted to archive_pool_, one transaction each.
  void archive(std::shared_ptr<const ArchiveRequest> request, ArchiveDone done) override;
  Result<ArchivedMessage> read_message(std::int64_t id) override;
  Result<std::vector<ArchivedMessage>> list_messages(const MessageFilter& filter) override;
  // SQLite: cheap reads and group commit; PostgreSQL: neither.
  StoreTraits traits() const override;
  std::string_view engine() const override;

 private:
  enum class Op { kCreate, kUpdate, kRemove, kArchive };
  Result<WriteOutcome> write(Op op, const WriteRequest& request);
  // The frame of every write transaction: BEGIN on a leased session, and COMMIT (noting it for
  // the checkpointer) or ROLLBACK. Both throw SOCI errors; callers translate them.
  PreparedStatements& begin_write(SessionPool::Lease& lease);
  void end_write(SessionPool::Lease& lease, PreparedStatements& ps, bool commit);

  // SQLite group commit (sql_store.cpp): SQLite has one writer at a time, and in WAL
  // mode a commit costs a write of every page it touched. Concurrent writers therefore queue;
  // whoever finds no batch running becomes the leader and runs every queued write in one
  // transaction, each inside its own savepoint (a failing write rolls back alone), then one
  // COMMIT. Nobody gets an answer before that commit: an acknowledged write is committed.
  // Resource writes and message archivings share the queue (and so the commits).
  // Archivings have no thread waiting to lead: the
  // committer thread (started on first use) leads whenever one is queued and no batch runs.
  struct PendingWrite;
  Result<WriteOutcome> write_grouped(Op op, const WriteRequest& request);
  // PostgreSQL: one archiving in its own transaction, on an archive_pool_ thread.
  Result<ArchiveOutcome> archive_now(const ArchiveRequest& request);
  void enqueue_and_wait(PendingWrite& me);
  // Called with `lock` held and no batch running; runs every queued write, hands out the
  // results and returns with `lock` held again.
  void lead_batch(std::unique_lock<std::mutex>& lock);
  void run_batch(const std::vector<PendingWrite*>& batch);
  void committer_loop();

  std::unique_ptr<SessionPool> pool_;
  std::unique_ptr<Clock> owned_clock_;
  const Clock& clock_;
  const Dialect dialect_;
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::vector<PendingWrite*> queue_;
  bool batch_running_ = false;
  std::size_t async_queued_ = 0;  // asynchronous writes in queue_
  bool stop_committer_ = false;
  std::condition_variable committer_wake_;
  std::thread committer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // SQLite file only
  // PostgreSQL archivings; declared last so it is destroyed (drained) first.
  std::unique_ptr<detail::TaskPool> archive_pool_;
};

}  // namespace hearth::storage
