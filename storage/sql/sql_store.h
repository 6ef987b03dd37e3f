// The one Store implementation, over SOCI, for SQLite and PostgreSQL alike. What differs
// between the engines is data (SQL snippets in statements.h, the pool size) and how writes are
// committed: the logic of every interaction is written once, in the files of storage/sql/
// (resource rows here, archive_rows, search_runner, the write-transaction frame).
//
// Concurrency: each call leases a session from the pool. SQLite writes go through the group
// commit (group_commit.h): one writer runs every queued write in one transaction (plus BEGIN
// IMMEDIATE against other processes), so the single SQLite writer never meets SQLITE_BUSY
// inside the process. PostgreSQL writes are one transaction each (write_transaction.h) and lock
// the current row (SELECT ... FOR UPDATE); two racing first writes of one id meet on the
// primary key, and the loser is retried (update) or gets kConflict (create). PostgreSQL
// archivings run on the store's own small thread pool (task_pool.h), one transaction each.
//
// History snapshots are "seq <= max(seq) when the first page was read". On SQLite seq follows
// commit order (one writer), so a snapshot never changes. On PostgreSQL a BIGSERIAL value is
// taken at INSERT, and a transaction holding a lower seq may commit just after a snapshot was
// taken: under concurrent writes a later page can then include a version the first page's
// total did not count. Known limitation; a commit-ordered sequence would fix it.
//
// Ownership: owns its session pool, its WAL checkpointer, its threads (the group commit's
// committer, the PostgreSQL archive pool) and, when opened without one, its clock. Destruction
// runs every archiving still queued first.
// Thread-safety and errors: as Store (store.h).
#pragma once

#include <memory>
#include <string_view>

#include "core/clock.h"
#include "storage/blob_dir.h"
#include "storage/sql/group_commit.h"
#include "storage/sql/session_pool.h"
#include "storage/sql/task_pool.h"
#include "storage/sql/wal_checkpointer.h"
#include "storage/sql/write_transaction.h"
#include "storage/store.h"

namespace hearth::storage {

class SqlStore final : public Store {
 public:
  // `checkpointer` is required for a SQLite file (its sessions run without auto-checkpoint)
  // and null otherwise. `blobs`: the blob directory (--blob-dir), or null to keep every string
  // in the rows.
  SqlStore(std::unique_ptr<SessionPool> pool, const Clock& clock,
           std::unique_ptr<Clock> owned_clock, std::unique_ptr<WalCheckpointer> checkpointer,
           std::unique_ptr<BlobDir> blobs = nullptr);

  Result<ResourceVersion> read(std::string_view type, std::string_view id,
                               ResourceVersion* deleted_out) override;
  Result<ResourceVersion> vread(std::string_view type, std::string_view id,
                                std::int64_t version) override;
  // On a session of the point-read lane, as read() (an HL7 message's lookups before its
  // transaction, api/rest/entry_runner.h).
  Result<std::vector<ResourceVersion>> lookup_token(const TokenLookup& lookup) override;
  Result<std::vector<std::vector<ResourceVersion>>> lookup_tokens(
      std::span<const TokenLookup> lookups) override;
  Result<WriteOutcome> create(const WriteRequest& request) override;
  Result<WriteOutcome> update(const WriteRequest& request) override;
  Result<WriteOutcome> remove(const WriteRequest& request) override;
  Result<HistoryPage> history(const HistoryQuery& query) override;
  Result<SearchPage> search(const fhir::search::SearchQuery& query) override;
  Result<std::vector<ResourceVersion>> include(const IncludeQuery& query) override;
  // SQLite: one item of the group commit, in its own savepoint. PostgreSQL: one transaction
  // (write_transaction.h), run again from the start after a retryable failure or a lost race.
  Status transact(const TransactionBody& body) override;
  // SQLite: posted to the group commit, `done` called on its committer thread. PostgreSQL: the
  // blocking call above, `done` called before returning (the server keeps PostgreSQL writes on
  // its worker pool).
  void write(WriteOp op, WriteRequest request, WriteDone done) override;
  void transact(TransactionBody body, TransactionDone done) override;
  // SQLite: posted to the group commit. PostgreSQL: posted to archive_pool_.
  void archive(std::shared_ptr<const ArchiveRequest> request, ArchiveDone done) override;
  Result<ArchivedMessage> read_message(std::int64_t id) override;
  Result<std::vector<ArchivedMessage>> list_messages(const MessageFilter& filter) override;
  // SQLite: cheap reads and group commit; PostgreSQL: neither.
  StoreTraits traits() const override;
  std::string_view engine() const override;
  // SELECT MAX(version) FROM schema_version on a point-read session.
  Status check_ready() override;

 private:
  using Op = WriteOp;
  Result<WriteOutcome> write_now(Op op, const WriteRequest& request);
  // PostgreSQL: one archiving in its own transaction, on an archive_pool_ thread.
  Result<ArchiveOutcome> archive_now(const ArchiveRequest& request);

  // Destroyed in reverse order: the archive pool and the group commit run what is queued
  // while everything they use is still there.
  std::unique_ptr<SessionPool> pool_;
  std::unique_ptr<Clock> owned_clock_;
  const Clock& clock_;
  const Dialect dialect_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // SQLite file only
  std::unique_ptr<BlobDir> blobs_;                 // null: every string in the rows
  detail::WriteTransactions transactions_;
  std::unique_ptr<detail::GroupCommit> group_commit_;  // SQLite only
  std::unique_ptr<detail::TaskPool> archive_pool_;     // PostgreSQL only
};

}  // namespace hearth::storage
