// The resource store: FHIR resources kept as versioned JSON bodies, read by id and version,
// written (create, update, delete) one transaction each, listed by history and searched through
// the search index written with each version. The `resource` table holds each resource's
// current version (found by primary key, never by scanning history) and `resource_version`
// keeps every version, deletions included.
//
// Thread-safety: a ResourceStore is shared by all request workers; every method may be called
// concurrently and blocks its caller until the database answered (see StoreTraits in store.h
// for which calls are cheap enough for an event-loop thread), except the completion forms of
// write() and transact() on a group-committing store, which return at once. Implementations lease a
// database session per call (storage/sql/session_pool.h): search and history together hold at most
// 12 of SQLite's 16 sessions (6 of PostgreSQL's 8), so reads by id and writes always find one.
// Writes of one resource are serialised so versions are strictly increasing and never lost.
//
// Errors (as Status codes): kNotFound (no such resource/version), kGone (current version is a
// deletion; read() also hands back that deletion's metadata through `deleted_out`),
// kPreconditionFailed (expected_version mismatch), kConflict (create of an id that exists),
// kInvalidArgument (a history query without its type, a search binding more values than the
// engine allows), kUnavailable / kInternal (backend failures:
// connection lost, database unreachable or busy, the statement time limit, a cancelled
// search; the database's message is in the diagnostics). No method throws.
//
// Time: the store stamps last_updated itself from the Clock given to open_store (the system
// clock by default). Per resource, last_updated is strictly increasing even when the clock
// does not advance or steps back: max(now, previous + 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "storage/blob_marker.h"

namespace hearth::storage {

// One stored version of a resource.
struct ResourceVersion {
  std::string type;
  std::string id;
  std::int64_t version = 0;              // 1, 2, 3, ...
  std::int64_t last_updated_micros = 0;  // UTC micros since epoch
  bool deleted = false;                  // a deletion marker: body is empty
  std::string method;                    // "POST", "PUT", "PATCH" or "DELETE": how it was made
  std::string body;                      // FHIR JSON with id and meta.versionId/lastUpdated set
};

// What a write wants to store. The store assigns version and last_updated; `make_body`
// receives them and returns the final body (so meta.versionId/lastUpdated inside the body match
// the row exactly). It is called inside the write transaction; keep it cheap and pure.
struct WriteRequest {
  std::string type;
  std::string id;
  // Update only: the version the client saw (If-Match); nullopt = no precondition.
  std::optional<std::int64_t> expected_version;
  // Body builder: (version, last_updated_micros) -> body. Unused for deletes.
  std::function<std::string(std::int64_t version, std::int64_t last_updated_micros)> make_body;
  // The resource's search-index values (fhir::search::extract_index of the body), written in
  // the same transaction; they replace the previous version's. Unused for deletes (a deleted
  // resource has no index rows).
  fhir::search::IndexValues index;
  // How the version was made, as history reports it (ResourceVersion::method): empty for the
  // operation's own ("POST" create, "PUT" update, "DELETE"); "PATCH" for a patched update.
  std::string method;
  // The strings make_body's text names by marker (storage/blob_marker.h): written to the blob
  // directory before the row, or put back into the row when the store has none. Every body the
  // store returns has them in place.
  std::vector<Blob> blobs;
};

enum class WriteKind { kCreated, kUpdated, kDeleted, kNoChange };

struct WriteOutcome {
  WriteKind kind = WriteKind::kCreated;
  // The version now current. For kNoChange: the unchanged current (the deletion version), or
  // for a resource that never existed just type and id with version 0.
  ResourceVersion stored;
};

// History query. Results are newest first. Paging is by offset within a snapshot: `snapshot`
// bounds the result to versions recorded at or before the given sequence number, so later
// writes never shift pages a client is walking. A fresh query passes snapshot = nullopt and
// gets the current high-water mark back in HistoryPage::snapshot.
struct HistoryQuery {
  std::string type;                          // empty: system level
  std::string id;                            // empty: type (or system) level
  std::optional<std::int64_t> since_micros;  // _since: last_updated >= since
  std::optional<std::int64_t> at_micros;     // _at: versions current at that instant
  std::optional<std::int64_t> snapshot;
  std::int64_t offset = 0;
  std::int64_t count = 50;
};

struct HistoryPage {
  std::vector<ResourceVersion> entries;
  std::int64_t total = 0;     // number of versions matching (within the snapshot)
  std::int64_t snapshot = 0;  // pass back for the following pages
};

// One page of a search: the matching current resources in the query's order, `offset` and
// `count` applied.
struct SearchPage {
  std::vector<ResourceVersion> entries;
  // All matches; unset when the query asked for none, or for an estimate (_total=estimate, the
  // default) and there are more than its cap.
  std::optional<std::int64_t> total;
  // Opaque paging cursors (SearchQuery::cursor; keyset, stable under concurrent writes): the
  // page after this one when one follows, the page before it when one may precede it, and the
  // last page (whenever the query asked for entries). Empty when there is none.
  std::string next_cursor;
  std::string previous_cursor;
  std::string last_cursor;
};

// What _include / _revinclude add to a search page (fhir/search/search_query.h): the current
// resources that `from` reference through the forward directives and those that reference
// `from` through the reverse ones, each once, at most `limit` of them.
struct IncludeQuery {
  std::vector<std::pair<std::string, std::string>> from;   // (type, id)
  std::vector<fhir::search::IncludeDirective> directives;  // `iterate` plays no part here
  std::size_t limit = 0;
};

// One token parameter's exact value (`identifier=system|code`), the one-clause search that the
// conditional lookups of an ingest are (api/rest/conditional.h): ResourceReader::lookup_token.
struct TokenLookup {
  std::string_view type;    // the searched resource type
  std::string_view param;   // a token parameter of `type` whose rows are its own (no param_parts)
  std::string_view system;  // matched exactly, as a search's "system|code" does
  std::string_view code;    // matched exactly; not empty
  std::size_t limit = 0;    // at most this many resources
};

// `query` as a TokenLookup (at most `limit` resources) when it is exactly one such clause: one
// type, no compartment, one clause of a token parameter of the type's own rows (no
// param_parts), no chain or modifier, one value with a system and a code. nullopt otherwise.
// The lookup's views (type, param, system, code) point into `query`.
std::optional<TokenLookup> direct_token_lookup(const fhir::search::SearchQuery& query,
                                               std::size_t limit);

// Reading resources: what the store offers to everyone and a transaction body offers inside
// its transaction, so that the REST reads (read, vread, search) run on either.
class ResourceReader {
 public:
  virtual ~ResourceReader() = default;

  // The current (not deleted) resources of `lookup.type` with a `lookup.param` row of exactly
  // (system, code), in id order, at most `lookup.limit` (when more match, which ones is not
  // said): the matches search() gives for that one clause, without planning a search.
  // kNotImplemented where the reader has no such path (the caller searches instead); otherwise
  // errors as search().
  virtual Result<std::vector<ResourceVersion>> lookup_token(const TokenLookup& lookup) {
    (void)lookup;
    return Status(Code::kNotImplemented, "no direct token lookup");
  }

  // lookup_token's answer to each of `lookups`, in their order: an HL7 message's identity
  // lookups (one per resource it maps) made together, where the reader can answer several with
  // one statement (one per type and parameter on SQLite). Here, lookup_token for each in turn; the
  // first error (kNotImplemented included) is the answer.
  virtual Result<std::vector<std::vector<ResourceVersion>>> lookup_tokens(
      std::span<const TokenLookup> lookups) {
    std::vector<std::vector<ResourceVersion>> out;
    out.reserve(lookups.size());
    for (const TokenLookup& lookup : lookups) {
      HEARTH_ASSIGN_OR_RETURN(std::vector<ResourceVersion> found, lookup_token(lookup));
      out.push_back(std::move(found));
    }
    return out;
  }

  // The current version. kNotFound if never existed; kGone if its current version is a
  // deletion (the deleted version is returned through `deleted_out` when non-null).
  virtual Result<ResourceVersion> read(std::string_view type, std::string_view id,
                                       ResourceVersion* deleted_out = nullptr) = 0;

  // A specific version. kNotFound if absent; a deletion marker version yields kGone.
  virtual Result<ResourceVersion> vread(std::string_view type, std::string_view id,
                                        std::int64_t version) = 0;

  // Current (not deleted) resources of query.resource_type matching every clause of `query`
  // (fhir/search/search_query.h), through the search index written with each version. The
  // calling thread's CancelToken (core/cancel.h) stops it with kUnavailable.
  virtual Result<SearchPage> search(const fhir::search::SearchQuery& query) = 0;

  // The resources `query` includes, ordered by type and id (the first `limit` of them). A
  // reference is followed by its type and id (relative, or absolute: its last two segments).
  // Errors as search().
  virtual Result<std::vector<ResourceVersion>> include(const IncludeQuery& query) = 0;
};

// What one multi-resource write (a FHIR transaction Bundle, a mapped HL7 message) may do inside
// a single store transaction, handed to the body passed to ResourceStore::transact(). Reads and
// searches see the transaction's own earlier writes. Valid only while that body runs, and only
// on the thread running it. Errors as for the ResourceStore methods of the same name; a
// database failure (an exception inside) is reported by transact() itself, after rolling back.
class StoreTransaction : public ResourceReader {
 public:
  // Locks the current rows of these resources (those that exist) for the rest of the
  // transaction, in one fixed order whatever the order given, so that two transactions writing
  // the same resources wait for each other instead of deadlocking. A body that knows what it will
  // update or delete calls this first. A no-op where transactions run one at a time (SQLite).
  virtual Status lock(std::vector<std::pair<std::string, std::string>> type_ids) = 0;
  // Serialises the transactions that resolve the same conditional criteria (`key`: the type and
  // its criteria in one canonical text, e.g. a conditional create's If-None-Exist) until this
  // one ends, so that of two racing conditional creates the second searches only after the
  // first committed, and finds its resource instead of creating a twin. Call it before the
  // search. PostgreSQL: a transaction-scoped advisory lock on a hash of `key` (a hash collision
  // only serialises more): true, and a search made before the call must be made again under
  // the lock. False where transactions run one at a time (SQLite): no lock is needed, and a
  // search made earlier in this transaction stands.
  virtual Result<bool> lock_criteria(std::string_view key) = 0;
  virtual Result<WriteOutcome> create(const WriteRequest& request) = 0;
  virtual Result<WriteOutcome> update(const WriteRequest& request) = 0;
  virtual Result<WriteOutcome> remove(const WriteRequest& request) = 0;
};

// The body of a transaction: returns ok to commit everything it wrote, an error to roll all of
// it back (that error is what transact() returns). It may run more than once (PostgreSQL runs
// it again from the start after a serialization failure, a deadlock or a lost race to create a
// row), so it must start from a clean state each time and have no effect outside the store
// other than on its own results.
using TransactionBody = std::function<Status(StoreTransaction&)>;

// The completion-based writes (ResourceStore::write, ResourceStore::transact with a done).
enum class WriteOp { kCreate, kUpdate, kRemove };
using WriteDone = std::function<void(Result<WriteOutcome>)>;
using TransactionDone = std::function<void(Status)>;

class ResourceStore : public ResourceReader {
 public:
  // Creates a new resource with the given (server-assigned) id: version 1. kConflict if the id
  // exists already (even deleted).
  virtual Result<WriteOutcome> create(const WriteRequest& request) = 0;

  // Updates (or creates, when absent or deleted: update-as-create) the resource. With
  // expected_version set, the current version must equal it (kPreconditionFailed otherwise;
  // a missing resource with an expected_version is kPreconditionFailed too).
  virtual Result<WriteOutcome> update(const WriteRequest& request) = 0;

  // Records a deletion as a new version. Deleting a missing or already-deleted resource is
  // kNoChange (FHIR: 200/204 either way). expected_version as for update.
  virtual Result<WriteOutcome> remove(const WriteRequest& request) = 0;

  // kInvalidArgument for an instance history without a type.
  virtual Result<HistoryPage> history(const HistoryQuery& query) = 0;

  // Runs `body` in one database transaction: all of its writes commit together, or none does.
  // Returns the body's status, or kUnavailable / kInternal when the database fails (nothing of
  // the body's work persists then either). Concurrent transactions never interleave partially:
  // SQLite runs them one at a time (inside the group commit, in a savepoint of their own);
  // PostgreSQL locks every row a transaction writes until it commits.
  virtual Status transact(const TransactionBody& body) = 0;

  // The completion-based forms of create/update/remove (`op`) and transact(): the same
  // semantics and errors, delivered to `done`, called exactly once, after the write committed
  // (or failed). Where the store group-commits its writes (StoreTraits::group_commit, SQLite)
  // the call queues the write and returns at once, and `done` runs on the store's committer
  // thread: it must not block (post the rest of the work elsewhere) and must not throw.
  // Elsewhere (PostgreSQL) the call blocks as the synchronous form does and calls `done` on the
  // calling thread before returning: callers that must not block use those only on a
  // group-committing store. The request, the body and `done` are owned by the store until
  // `done` has returned.
  virtual void write(WriteOp op, WriteRequest request, WriteDone done) = 0;
  virtual void transact(TransactionBody body, TransactionDone done) = 0;

  // Engine name for logs and the CapabilityStatement: "sqlite" or "postgresql".
  virtual std::string_view engine() const = 0;
};

}  // namespace hearth::storage
