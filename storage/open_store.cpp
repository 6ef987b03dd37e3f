// open_store / migrate_store: URL -> session pool -> schema migration -> SqlStore.
#include <memory>

#include "storage/sql/schema.h"
#include "storage/sql/session_pool.h"
#include "storage/sql/sql_store.h"
#include "storage/sql/wal_checkpointer.h"
#include "storage/store.h"
#include "storage/store_url.h"

namespace hearth::storage {
namespace {

// SQLite: enough connections for every request worker to read at once (the writer is one at
// a time anyway). PostgreSQL: a modest pool per replica; many replicas share one server.
constexpr std::size_t kSqliteSessions = 16;
constexpr std::size_t kPostgresqlSessions = 8;

Result<std::unique_ptr<SessionPool>> open_migrated(std::string_view url, int* version) {
  Result<StoreUrl> parsed = parse_store_url(url);
  if (!parsed.is_ok()) return std::move(parsed).take_status();
  const Dialect dialect = parsed->dialect;
  Result<std::unique_ptr<SessionPool>> pool = SessionPool::open(
      *parsed, dialect == Dialect::kSqlite ? kSqliteSessions : kPostgresqlSessions);
  if (!pool.is_ok()) return pool;
  {
    Result<SessionPool::Lease> lease = (*pool)->acquire(Lane::kWrite);
    if (!lease.is_ok()) return std::move(lease).take_status();
    Result<int> migrated = migrate_schema(*(*lease)->sql, dialect);
    if (!migrated.is_ok()) return std::move(migrated).take_status();
    if (version != nullptr) *version = *migrated;
  }
  return pool;
}

Result<std::unique_ptr<Store>> open_with(std::string_view url, const Clock& clock,
                                         std::unique_ptr<Clock> owned_clock,
                                         const StoreOptions& options) {
  Result<std::unique_ptr<SessionPool>> pool = open_migrated(url, nullptr);
  if (!pool.is_ok()) return std::move(pool).take_status();
  HEARTH_RETURN_IF_ERROR((*pool)->set_statement_timeout(options.statement_timeout));
  const StoreUrl& parsed = (*pool)->url();
  std::unique_ptr<WalCheckpointer> checkpointer;
  if (parsed.dialect == Dialect::kSqlite && !parsed.memory) {
    checkpointer = WalCheckpointer::start(parsed);
    if (!checkpointer) {
      return Status(Code::kUnavailable, "cannot open the checkpoint connection to " + parsed.path);
    }
  }
  std::unique_ptr<BlobDir> blobs;
  if (!options.blob_dir.empty()) {
    HEARTH_ASSIGN_OR_RETURN(blobs, BlobDir::open(options.blob_dir));
  }
  return std::unique_ptr<Store>(
      std::make_unique<SqlStore>(std::move(pool).value(), clock, std::move(owned_clock),
                                 std::move(checkpointer), std::move(blobs)));
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(std::string_view url, const StoreOptions& options) {
  std::unique_ptr<Clock> clock = make_system_clock();
  const Clock& ref = *clock;
  return open_with(url, ref, std::move(clock), options);
}

Result<std::unique_ptr<Store>> open_store(std::string_view url, const Clock& clock,
                                          const StoreOptions& options) {
  return open_with(url, clock, nullptr, options);
}

Result<int> migrate_store(std::string_view url) {
  int version = 0;
  Result<std::unique_ptr<SessionPool>> pool = open_migrated(url, &version);
  if (!pool.is_ok()) return std::move(pool).take_status();
  return version;
}

}  // namespace hearth::storage
