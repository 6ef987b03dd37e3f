// Opening the canonical clinical store: one database holding the resource store
// (resource_store.h) and the message archive (message_archive.h), and the traits a server needs
// to decide, once at start, where each kind of call may run.
//
// Callers that need only resources take ResourceStore&, those that need only messages take
// MessageArchive&; the Store returned by open_store is both (one database, one session pool, and
// on SQLite one group commit shared by resource writes and archivings).
//
// Ownership: the Store owns its sessions and threads; destroying it completes every archiving
// still queued, then closes the database. Thread-safety and errors: as the two interfaces.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "storage/message_archive.h"
#include "storage/resource_store.h"

namespace hearth::storage {

// What a store is like, fixed when it is opened; a server reads it once to decide where calls
// run. Nothing below the server asks "may I run inline?" per call.
struct StoreTraits {
  // read() and vread() never wait on a network round trip or on a writer: they are answered
  // from an embedded file in microseconds (SQLite: WAL readers never wait for the writer), so a
  // server may call them on its event-loop threads instead of handing them to a worker, which
  // would cost more than the read itself. False on PostgreSQL: every read is a round trip.
  bool cheap_reads = false;
  // Writes of concurrent callers (resource writes and archivings alike) are committed together
  // by one writer (SQLite's group commit): a blocking write waits for the batch it joined, so
  // the number of threads writing at once is what bounds a batch, and an archiving is queued to
  // the committer thread. False on PostgreSQL: every write is its own transaction.
  bool group_commit = false;
  // How many searches (history, message lists: statements of unbounded cost) the store runs
  // at once; more wait for one of them to end (session_pool.h, the kQuery lane). 0: no bound.
  std::size_t concurrent_searches = 0;
};

class Store : public ResourceStore, public MessageArchive {
 public:
  ~Store() override = default;

  // Fixed for the store's life.
  virtual StoreTraits traits() const = 0;

  // Readiness, for GET /readyz: the database answers a query within the statement timeout and
  // its schema is the version this binary writes. Errors: kUnavailable when the database
  // cannot be reached or does not answer (the reason, without the URL's password);
  // kPreconditionFailed when its schema version differs from latest_schema_version (another
  // replica migrated it further, or someone rolled it back).
  virtual Status check_ready() = 0;
};

// Limits every store call obeys.
struct StoreOptions {
  // The statements of one store call (one transaction for a write; SQLite: all of the call's
  // statements together, PostgreSQL: each statement) must finish within this; past it the
  // call fails with kUnavailable and a write is rolled back whole. 0: no limit. A search also
  // stops, with kUnavailable, once the calling thread's CancelToken (core/cancel.h) is
  // cancelled (SQLite). Migrations at open run without a limit.
  std::chrono::milliseconds statement_timeout{10'000};
  // --blob-dir: where large `data` strings are kept (storage/blob_dir.h); empty: in the rows.
  // A store written with a directory must be opened with it: a body naming a missing blob reads
  // as kInternal.
  std::string blob_dir = {};
};

// Opens (creating and migrating when needed) the store named by `url`:
//   sqlite:PATH          an embedded SQLite file (WAL), directories created as needed
//   sqlite::memory:      an in-memory database (tests); every open is a new, empty database
//   postgresql://user:pass@host:port/db   (also postgres://; any libpq URI parameters)
// Errors: kInvalidArgument for an unknown scheme, kUnavailable when the database cannot be
// opened or reached, kInternal when a migration fails or the database's schema is newer than
// this binary knows (it is then left untouched).
Result<std::unique_ptr<Store>> open_store(std::string_view url, const StoreOptions& options = {});

// As above, with last_updated taken from `clock`, which must outlive the returned store.
Result<std::unique_ptr<Store>> open_store(std::string_view url, const Clock& clock,
                                          const StoreOptions& options = {});

// Applies pending migrations and returns the schema version now in place (hearth migrate).
Result<int> migrate_store(std::string_view url);

}  // namespace hearth::storage
