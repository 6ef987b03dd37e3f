// Executing Bundle entries (bundle_entries.h) against the store: a transaction's entries all in
// one store transaction, a batch's each in its own (https://hl7.org/fhir/R4/http.html#trules).
//
// In a transaction, entries run in the specification's order (DELETE, POST, PUT and PATCH, then
// GET and HEAD) whatever their order in the Bundle; every POST gets its id before anything runs,
// so each entry's fullUrl (urn:uuid:, urn:oid:, or a URL) maps to its Type/id up front and every
// reference to it is rewritten (reference_rewrite.h). What only the store can answer, conditional
// creates, updates and deletes and conditional references, is resolved inside the transaction;
// when a Bundle has none of these, everything but the writes themselves (rewriting, stamping,
// index extraction) is done before the transaction, so the store's single writer is held only
// for the rows. When it has some, the index values are still extracted before, each reference to
// an entry's fullUrl as a stand-in that the transaction binds to what its lookups found
// (early_index.h; a conditional create that matches wasted its extraction). A plan may also make
// its lookups before the transaction (resolve_first: an HL7 message on SQLite) and prepare from
// them; the transaction makes them again, and writes what was prepared only when it finds the same.
//
// Every entry is authorised as the request it stands for (smart_scopes.h authorize, with the
// grant of the request carrying the Bundle): a transaction with one entry refused is refused
// whole (kForbidden naming the entry), a batch answers 403 for that entry alone. An entry its
// patient/ scopes reach is held to the patient's compartment (compartment_access.h): what a
// write replaces or deletes must be in it, what it stores must stay in it, a GET entry reads
// and searches only inside it; a conditional create is refused.
//
// A plain REST conditional request (POST with If-None-Exist, PUT or DELETE Type?criteria) runs as
// a transaction of one entry: one code path for both.
//
// Both runners are completion-based (the store's completion forms, storage/resource_store.h):
// planning runs on the calling thread, `done` wherever the store completes the transaction (on
// SQLite its committer thread; a batch's following entries are then planned there too).
//
// Thread-safety: reentrant; the store, clock and id generator must be thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "api/rest/bundle_entries.h"
#include "api/rest/rest_limits.h"
#include "core/clock.h"
#include "core/status.h"
#include "storage/resource_store.h"

namespace hearth::api {

// One entry's answer.
struct EntryResult {
  int status = 0;
  // A write's new version, a conditional create's match, or the last version of a conditional
  // delete: location, etag, lastModified, and (body) the resource.
  std::optional<storage::ResourceVersion> version;
  // A new version was stored: false for a conditional create's match and for an update that
  // changed nothing (`version` is then the one already stored).
  bool wrote = false;
  // GET / HEAD: the whole answer of the read or search the entry asked for.
  std::optional<Response> response;
  // Conditional delete: how many resources it deleted.
  std::size_t deleted = 0;
  // Batch only: the entry's failure (status is then its HTTP status).
  Status error;
};

struct EntryContext {
  storage::ResourceStore& store;
  Clock& clock;
  IdGenerator& ids;
  const RestLimits& limits;
  const Request& request;  // the HTTP request carrying the Bundle (base URL, Prefer)
};

// The entries of one run and what they point into, kept alive until the run's `done` returned.
struct EntryWork {
  explicit EntryWork(const EntryContext& context) : ctx(context) {}
  EntryContext ctx;
  std::shared_ptr<const void> keep;  // the decoded document the entries' resources live in
  std::vector<BundleEntry> entries;
  // The run's own state (its plan: stamped bodies, index values), released with the work where
  // the answer is built rather than on the store's committer thread, which serves every write.
  std::shared_ptr<void> state;
};

using EntriesDone = std::function<void(Result<std::vector<EntryResult>>)>;

// Runs every entry in one store transaction. Errors: the first failing entry's, its expression
// naming the entry ("Bundle.entry[3]") and its diagnostics starting with it; nothing persists.
// Codes: kInvalidArgument (a reference to a fullUrl no entry has, two entries writing one
// resource), kNotFound (a conditional reference matching nothing), kPreconditionFailed (a
// conditional matching several, a stale ifMatch), kConflict, kUnprocessable, and the store's.
void run_transaction(std::shared_ptr<EntryWork> work, EntriesDone done);

// A transaction's entries, planned (ids, the fullUrl map; what needs no store prepared) and ready
// to run inside a store transaction its caller opens: an HL7 message's mapped resources run in
// the transaction that archives the message (api/hl7/ingest.h). run() may be called more than
// once (PostgreSQL runs a transaction again after a retryable failure); each run starts from the
// plan. Valid while the EntryWork it was planned from lives.
class PlannedTransaction {
 public:
  virtual ~PlannedTransaction() = default;
  // Runs every entry on `tx`; errors as run_transaction's (the caller rolls back). With
  // `meta_source` non-empty, every resource written carries it as meta.source (indexed as
  // _source): the runner then prepares every write inside the transaction.
  virtual Status run(storage::StoreTransaction& tx, std::string_view meta_source = {}) = 0;
  // Each entry's answer, in the Bundle's order, after a successful run().
  virtual std::vector<EntryResult>& results() = 0;
};

// Plans `work`'s entries as a transaction. Errors: what is known before the store, as
// run_transaction's (a reference to a fullUrl no entry has, two entries writing one resource).
// `at_run`: every write is rendered with the meta_source run() is given (known only then).
// `resolve_first` (with lookups to make): the lookups are made now, on the store as it is, and
// the writes prepared from them; run() makes them again and, when it finds the same, only writes
// (a single-writer store's writer then holds no preparation). Only for a store whose reads are
// cheap (storage::StoreTraits): the lookups run on the calling thread.
Result<std::shared_ptr<PlannedTransaction>> plan_transaction(EntryWork& work, bool at_run = false,
                                                             bool resolve_first = false);

// Runs each entry on its own, one after the other (its own store transaction for a write); a
// failing entry gets its error in EntryResult::error and the others still run. Never an error.
void run_batch(std::shared_ptr<EntryWork> work, EntriesDone done);

}  // namespace hearth::api
