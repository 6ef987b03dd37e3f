// The inbound message archive (HL7 v2 today): every message received, kept raw with its
// sender, control id, type, status (accepted / rejected / error), the ACK sent and a note, so a
// message can be listed, inspected and replayed. The archive sees plain values: sender,
// control id and type are extracted by the caller (storage does not parse HL7), and every ACK
// it may store is built by the caller before the transaction (storage never calls back up).
//
// Thread-safety: shared by every connection; every method may be called concurrently.
// archive() never blocks its caller: the write runs on a store thread (SQLite: the group
// commit's, together with whatever else is queued; PostgreSQL: the archive's own small thread
// pool) and completes there. read_message and list_messages block until the database answered.
// Errors: kNotFound (read_message of an unknown id), kUnavailable / kInternal for backend
// failures (then nothing was stored). No method throws.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/resource_store.h"

namespace hearth::storage {

enum class MessageStatus { kAccepted, kRejected, kError };
// "accepted", "rejected", "error" (the `status` column).
std::string_view message_status_text(MessageStatus status);
std::optional<MessageStatus> parse_message_status(std::string_view text);

// One archived message, as stored.
struct ArchivedMessage {
  std::int64_t id = 0;
  std::int64_t received_at_micros = 0;
  std::string peer;    // remote address, e.g. "127.0.0.1:53122"
  std::string sender;  // MSH-3 + "|" + MSH-4, raw
  // Who the connection proved to be: the subject of the client certificate verified on an
  // MLLP/TLS connection with --mllp-client-ca ("CN=lab-1,O=Acme Labs"); "" otherwise.
  std::string sender_identity;
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

// What an accepted message does to the resource store (an HL7 v2 message's mapped FHIR
// transaction), run inside the archive's transaction right after the message's row is inserted,
// with that row's id (for meta.source and Provenance). Its writes commit with the row or not at
// all. It returns ok to keep them, or an error: its writes are then rolled back (PostgreSQL: a
// savepoint; SQLite: the batch, run again without the effect), the row kept as 'error' with
// `effect_failed_ack` as its ACK (`effect_not_found_ack` when the error is kNotFound and that ACK
// is set) and the error's diagnostics as its note. As a TransactionBody
// it may run more than once (PostgreSQL runs the whole archiving again after a retryable failure;
// SQLite's group commit a batch another write rolled back) and must start clean each time. A
// database failure inside it fails the whole archiving (nothing stored, kUnavailable/kInternal).
using MessageEffect = std::function<Status(StoreTransaction&, std::int64_t message_id)>;

// What MessageArchive::archive should store. `status` is what the caller decided (accepted after a
// good parse, rejected after a bad one). Everything the store writes is decided before the
// transaction: the ACK for the normal case, and for kReject the one for a reused control id.
struct ArchiveRequest {
  std::string peer, sender, control_id, message_type, version;
  std::string sender_identity;  // as ArchivedMessage::sender_identity
  MessageStatus status = MessageStatus::kAccepted;
  std::string raw;
  std::string note;
  std::string ack;  // the ACK stored with the message and sent; "" when none is sent
  ReusedControlId on_reused = ReusedControlId::kAccept;
  std::string reused_ack;  // kReject only: the ACK stored and sent instead of `ack`
  // Run for a new accepted message only (never for a duplicate, a rejected one, or one stored
  // as 'error' for a reused control id). Unset: the message is archived only.
  MessageEffect effect;
  std::string effect_failed_ack;  // the ACK stored and sent when `effect` returned an error
  // The ACK stored and sent instead when that error is kNotFound (the message names a resource
  // the store does not have: HL7 ERR-3 204, unknown key identifier); "": effect_failed_ack.
  std::string effect_not_found_ack;
};

struct ArchiveOutcome {
  // True: an accepted message with this sender, control id and identical raw text was already
  // archived; `stored` is that earlier row (send its ACK again) and nothing was written.
  bool duplicate = false;
  ArchivedMessage stored;
  // True: an earlier accepted message of this sender had this control id with other content
  // (the new row's note starts with "control-id-reused", followed by "; " and the request's
  // note when it has one; with kReject its status is 'error').
  bool control_id_reused = false;
  // The error `effect` returned (the row is then 'error' with effect_failed_ack); ok otherwise.
  Status effect_error;
};

// Completion of MessageArchive::archive: called exactly once, after COMMIT (or with the
// failure). It runs on a store thread: it must not block or throw (post to your executor).
using ArchiveDone = std::function<void(Result<ArchiveOutcome>)>;

struct MessageFilter {
  std::optional<MessageStatus> status;
  std::string message_type;                  // exact, "" = any
  std::optional<std::int64_t> since_micros;  // received_at >= since
  std::optional<std::int64_t> before_id;     // id < before_id: the paging cursor
  std::int64_t limit = 100;                  // newest first
};

class MessageArchive {
 public:
  virtual ~MessageArchive() = default;

  // Archives one inbound message in one transaction and calls `done` after its COMMIT (or
  // with the failure: kUnavailable / kInternal, nothing stored). Requests with status
  // accepted and a non-empty control id are checked against earlier accepted rows of the same
  // (sender, control_id): identical raw text is a duplicate (that row is returned, nothing
  // written); other raw text is a reused control id, stored as a new accepted message whose
  // note starts with "control-id-reused", names the earlier row and ends with "; " and the
  // request's note when it has one (kReject: stored as
  // 'error' with request.reused_ack). Everything else is stored as requested. The lookup is by
  // a stored content hash, so a sender reusing one control id many times costs no more.
  // Returns at once; `request` is kept alive until `done` has returned. Archivings still
  // queued when the store is destroyed are run (and completed) first.
  virtual void archive(std::shared_ptr<const ArchiveRequest> request, ArchiveDone done) = 0;

  // One archived message; kNotFound when absent.
  virtual Result<ArchivedMessage> read_message(std::int64_t id) = 0;

  // Archived messages matching `filter`, newest first, at most filter.limit, without their raw
  // text (`raw` is empty: read_message has it), so a listing costs no message bodies.
  virtual Result<std::vector<ArchivedMessage>> list_messages(const MessageFilter& filter) = 0;
};

}  // namespace hearth::storage
