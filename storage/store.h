// The canonical clinical store behind one interface. Resources are kept as versioned FHIR JSON
// bodies: the `resource` table holds each resource's current version (found by primary key,
// never by scanning history) and `resource_version` keeps every version, deletions included.
//
// Thread-safety: a Store is shared by all request workers; every method may be called
// concurrently. Implementations lease a database session from a pool per call (SQLite: up to
// 16 connections to the file, one writer at a time; in memory: one connection; PostgreSQL:
// up to 8 connections). Writes of one resource are serialised so versions are strictly
// increasing and never lost.
//
// Errors (as Status codes): kNotFound (no such resource/version), kGone (current version is a
// deletion; read() also hands back that deletion's metadata through `deleted_out`),
// kPreconditionFailed (expected_version mismatch),
// kConflict (create of an id that exists), kUnavailable / kInternal (backend failures).
// No method throws: backend exceptions are caught and returned as kUnavailable (connection
// lost or database unreachable/busy) or kInternal, with the database's message in the
// diagnostics.
//
// Time: the store stamps last_updated itself from the Clock given to open_store (the system
// clock by default). Per resource, last_updated is strictly increasing even when the clock
// does not advance or steps back: max(now, previous + 1).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"

namespace hearth::storage {

// One stored version of a resource.
struct ResourceVersion {
  std::string type;
  std::string id;
  std::int64_t version = 0;              // 1, 2, 3, ...
  std::int64_t last_updated_micros = 0;  // UTC micros since epoch
  bool deleted = false;                  // a deletion marker: body is empty
  std::string method;                    // "POST", "PUT" or "DELETE": how it was made
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
  std::optional<std::int64_t> total;  // all matches; unset when the query asked for none
};

// --- Inbound message archive (HL7 v2 today). The store sees plain values: sender,
// control id and type are extracted by the caller (storage does not parse HL7).

enum class MessageStatus { kAccepted, kRejected, kError };
// "accepted", "rejected", "error" (the `status` column).
std::string_view message_status_text(MessageStatus status);
std::optional<MessageStatus> parse_message_status(std::string_view text);

// One archived message, as stored.
struct ArchivedMessage {
  std::int64_t id = 0;
  std::int64_t received_at_micros = 0;
  std::string peer;          // remote address, e.g. "127.0.0.1:53122"
  std::string sender;        // MSH-3 + "|" + MSH-4, raw
  std::string control_id;    // MSH-10
  std::string message_type;  // "ORU^R01"
  std::string version;       // MSH-12
  MessageStatus status = MessageStatus::kAccepted;
  std::string raw;   // the message as received
  std::string ack;   // the ACK returned
  std::string note;  // why it is 'error' / 'rejected'; "" otherwise
};

// What an accepted message does when an earlier accepted message of the same sender used its
// control id (MSH-10) for other content. Senders do reuse control ids (counter resets, several
// feeds behind one application name), so by default it is a new message; kReject restores the
// strict reading (--hl7-duplicate-control-id=reject).
enum class ReusedControlId { kAccept, kReject };

// What archive_message() should store. `status` is what the caller decided (accepted after a
// good parse, rejected after a bad one). Everything the store writes is decided before the
// transaction: the ACK for the normal case, and for kReject the one for a reused control id.
struct ArchiveRequest {
  std::string peer, sender, control_id, message_type, version;
  MessageStatus status = MessageStatus::kAccepted;
  std::string raw;
  std::string note;
  std::string ack;  // the ACK stored with the message and sent; "" when none is sent
  ReusedControlId on_reused = ReusedControlId::kAccept;
  std::string reused_ack;  // kReject only: the ACK stored and sent instead of `ack`
};

struct ArchiveOutcome {
  // True: an accepted message with this sender, control id and identical raw text was already
  // archived; `stored` is that earlier row (send its ACK again) and nothing was written.
  bool duplicate = false;
  ArchivedMessage stored;
  // True: an earlier accepted message of this sender had this control id with other content
  // (the new row's note starts with "control-id-reused"; with kReject its status is 'error').
  bool control_id_reused = false;
};

// Completion of Store::archive_message_async: called exactly once, after COMMIT (or with the
// failure). It may run on a store thread: it must not block or throw (post to your executor).
using ArchiveDone = std::function<void(Result<ArchiveOutcome>)>;

struct MessageFilter {
  std::optional<MessageStatus> status;
  std::string message_type;                  // exact, "" = any
  std::optional<std::int64_t> since_micros;  // received_at >= since
  std::optional<std::int64_t> before_id;     // id < before_id: the paging cursor
  std::int64_t limit = 100;                  // newest first
};

class Store {
 public:
  virtual ~Store() = default;

  // The current version. kNotFound if never existed; kGone if its current version is a
  // deletion (the deleted version is returned through `deleted_out` when non-null).
  virtual Result<ResourceVersion> read(std::string_view type, std::string_view id,
                                       ResourceVersion* deleted_out = nullptr) = 0;

  // A specific version. kNotFound if absent; a deletion marker version yields kGone.
  virtual Result<ResourceVersion> vread(std::string_view type, std::string_view id,
                                        std::int64_t version) = 0;

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

  virtual Result<HistoryPage> history(const HistoryQuery& query) = 0;

  // Current (not deleted) resources of query.resource_type matching every clause of `query`
  // (fhir/search/search_query.h), through the search index written with each version.
  // Errors: kUnavailable / kInternal for backend failures.
  virtual Result<SearchPage> search(const fhir::search::SearchQuery& query) = 0;

  // Archives one inbound message in one transaction, committed before this returns. Requests
  // with status accepted and a non-empty control id are checked against earlier accepted rows
  // of the same (sender, control_id): identical raw text is a duplicate (that row is returned,
  // nothing written); other raw text is a reused control id, stored as a new accepted message
  // whose note starts with "control-id-reused" and names the earlier row (kReject: stored as
  // 'error' with request.reused_ack). Everything else is stored as requested. The lookup is by
  // a stored content hash, so a sender reusing one control id many times costs no more.
  // Errors: kUnavailable / kInternal for backend failures (then nothing was stored).
  virtual Result<ArchiveOutcome> archive_message(const ArchiveRequest& request) = 0;

  // archive_message without blocking the caller, when async_archive() is true: the request is
  // queued, written by a store thread together with whatever else is queued (one commit for
  // all), and `done` runs on that thread after the commit. `request` is kept alive until `done`
  // has returned. Otherwise (the default) it runs archive_message on the calling thread.
  virtual void archive_message_async(std::shared_ptr<const ArchiveRequest> request,
                                     ArchiveDone done) {
    done(archive_message(*request));
  }

  // True when archive_message_async returns at once (an event-loop thread may call it).
  virtual bool async_archive() const { return false; }

  // One archived message; kNotFound when absent.
  virtual Result<ArchivedMessage> read_message(std::int64_t id) = 0;

  // Archived messages matching `filter`, newest first, at most filter.limit, without their raw
  // text (`raw` is empty: read_message has it), so a listing costs no message bodies.
  virtual Result<std::vector<ArchivedMessage>> list_messages(const MessageFilter& filter) = 0;

  // Engine name for logs and the CapabilityStatement: "sqlite" or "postgresql".
  virtual std::string_view engine() const = 0;

  // True when read() and vread() never wait on a network round trip or on a writer: they are
  // answered from an embedded file in microseconds, so a server may call them on its event-loop
  // threads instead of handing them to a worker (which costs more than the read itself).
  virtual bool quick_reads() const { return false; }
};

// Opens (creating and migrating when needed) the store named by `url`:
//   sqlite:PATH          an embedded SQLite file (WAL), directories created as needed
//   sqlite::memory:      an in-memory database (tests); every open is a new, empty database
//   postgresql://user:pass@host:port/db   (also postgres://; any libpq URI parameters)
// Errors: kInvalidArgument for an unknown scheme, kUnavailable when the database cannot be
// opened or reached, kInternal when a migration fails or the database's schema is newer than
// this binary knows (it is then left untouched).
Result<std::unique_ptr<Store>> open_store(std::string_view url);

// As above, with last_updated taken from `clock`, which must outlive the returned store.
Result<std::unique_ptr<Store>> open_store(std::string_view url, const Clock& clock);

// Applies pending migrations and returns the schema version now in place (hearth migrate).
Result<int> migrate_store(std::string_view url);

}  // namespace hearth::storage
