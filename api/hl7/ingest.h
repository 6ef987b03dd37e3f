// The HL7 v2 ingest use case: raw ER7 bytes and the peer's address in, the ACK bytes out,
// through one completion-based call. Parse -> check the accepted types/versions -> build the
// planned ACK (all on the calling thread, no store) -> archive (one store transaction) -> the
// completion, after the COMMIT. A message acknowledged AA/CA is in the archive; a duplicate
// (same sender, MSH-10 and content) gets its original ACK again and is not stored twice.
// With a mapping context (Hl7IngestOptions::mapping), an accepted message is also mapped to FHIR
// (message_mapping.h) before the store is asked, and its resources are written in the same
// transaction as its archive row: AA/CA means archived and mapped. Content that cannot be mapped
// is AE/CE with ERR segments naming where, archived as 'error', with no resource written; a type
// the IG has no map for is archived and acknowledged with the note `unmapped` (or AR with ERR
// 200 under Hl7MappingContext::reject_unmapped). Values the mapping had to leave out are ERR
// warnings (severity W) in an AA.
//
// ACK codes: AA/CA accepted; AR/CR for bytes that do not parse (the ERR from
// hl7::build_reject_ack) and for an unaccepted type (ERR 200) or version (ERR 203); AR/CR with
// ERR 207 when the store failed or is overloaded (nothing stored: the sender resends, which AR
// asks for in original mode). A control id the sender already used for a different message
// is a new message, accepted and archived with a `control-id-reused` note; with
// ReusedControlId::kReject it gets AE/CE with ERR 205 instead (archived as 'error').
// In enhanced mode MSH-15 may ask for no accept ACK (NE, ER, SU): `ack` is then empty.
//
// X12: a payload that opens with "ISA" is an X12 interchange, handed to X12Ingest
// (x12_ingest.h) with the same archive, clock, ids, mapping context and reused-control-id policy.
//
// Thread-safety: ingest() may be called concurrently; the archive, clock and id generator must
// be thread-safe and outlive the Hl7Ingest.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/hl7/message_mapping.h"
#include "core/clock.h"
#include "storage/message_archive.h"

namespace hearth::api {

struct Hl7IngestOptions {
  // Accepted MSH-9 values, as "ORU^R01" (that event) or "ORU" (every event); empty: all.
  std::vector<std::string> message_types;
  // Accepted MSH-12 versions; empty: every version the parser supports (2.1 - 2.8.2).
  std::vector<std::string> versions;
  // A control id reused by the same sender for other content (--hl7-duplicate-control-id).
  storage::ReusedControlId on_reused_control_id = storage::ReusedControlId::kAccept;
  // Where accepted messages are mapped to FHIR; null: archived only.
  const Hl7MappingContext* mapping = nullptr;
};

// Where a message came from: the connection's remote address ("127.0.0.1:53122", "replay:12")
// and, on an MLLP/TLS connection under mutual TLS, the subject of the client certificate the
// handshake verified ("" otherwise). Both are archived (storage::ArchivedMessage::peer,
// sender_identity). Views: the strings must outlive the call they are passed to.
struct Hl7Peer {
  Hl7Peer(std::string_view address_text, std::string_view identity_text = {})
      : address(address_text), identity(identity_text) {}
  Hl7Peer(const char* address_text) : address(address_text) {}
  Hl7Peer(const std::string& address_text) : address(address_text) {}
  std::string_view address;
  std::string_view identity;
};

struct Hl7IngestResult {
  std::string ack;         // ER7, CR-separated (X12: TA1/999 interchanges); empty when none is sent
  std::string ack_code;    // "AA", "AE", "AR", "CA", "CE", "CR" (X12: "A", "P", "R"), "" with none
  std::string control_id;  // received MSH-10 ("" when unreadable)
  std::string message_type;     // received MSH-9 as "ORU^R01" ("" when unreadable)
  std::int64_t archive_id = 0;  // the archive row (the original one for a duplicate); 0: none
  bool duplicate = false;
  bool control_id_reused = false;  // a new message under a control id used before
  std::string store_error;  // why the archive failed (the ACK is then AR/CR 207); "" otherwise
  bool unmapped = false;    // accepted and archived, but the IG has no map for its type
  // The versions the message wrote ("Patient/1/_history/2"), its Provenance last; empty when
  // nothing was mapped, the mapped resources could not be written (mapping_failed), or every
  // one was already stored as it is (linked, not written).
  std::vector<std::string> written;
  bool mapping_failed = false;  // AE/CE: the content could not be mapped or written
  // No acknowledgment can be given (X12 only: the store failed, or no readable ISA): a
  // connection-based sender is hung up on, so that it sends the interchange again.
  bool hang_up = false;
};

// How many frames that do not parse one connection may have archived: a sender spraying
// garbage costs a bounded number of rows; the rest still get AR but are only counted. A token
// bucket: `per_minute` at once, refilled at that rate. Not thread-safe: one per connection.
class RejectAllowance {
 public:
  explicit RejectAllowance(int per_minute = 60);
  // True: archive this reject (and use up one); false: count it as dropped.
  bool take(std::int64_t now_micros);
  std::uint64_t dropped() const { return dropped_; }

 private:
  double tokens_, per_micro_, capacity_;
  std::int64_t last_micros_ = 0;
  std::uint64_t dropped_ = 0;
};

class X12Ingest;

class Hl7Ingest {
 public:
  Hl7Ingest(storage::MessageArchive& archive, const Clock& clock, IdGenerator& ids,
            Hl7IngestOptions options = {});
  ~Hl7Ingest();

  // Ingests one message without blocking: parsing, the checks and the planned ACK run on the
  // calling thread (microseconds, no store: an event-loop thread may call this), the archive
  // write is handed to the store (MessageArchive::archive), and `done` runs exactly once with
  // the outcome: on a store thread after the COMMIT, or on the calling thread, before ingest
  // returns, when nothing is archived. `done` must not block or throw. Never fails: every
  // outcome, store failures included, is an ACK. With `rejects` (the connection's allowance,
  // used on the calling thread only), a frame that does not parse is archived only while the
  // allowance lasts (archive_id 0 otherwise).
  using Done = std::function<void(Hl7IngestResult)>;
  void ingest(std::string raw, const Hl7Peer& peer, RejectAllowance* rejects, Done done);

  // The answer to a frame over the size limit, of which only `head` (its start) was kept: AR
  // (CR in enhanced mode) with ERR 207 naming the limit, addressed from whatever of the MSH is
  // in `head`. Nothing is archived (the message was not received whole). Never blocks.
  Hl7IngestResult reject_oversize(std::string_view head, std::uint64_t limit_bytes) const;

 private:
  struct Pending;
  std::string ack_control_id() const;  // a fresh MSH-10 for an ACK
  std::shared_ptr<Pending> prepare(std::string raw, const Hl7Peer& peer,
                                   RejectAllowance* rejects) const;
  void map(Pending& pending) const;
  static Hl7IngestResult finish(Pending& pending, Result<storage::ArchiveOutcome> archived);

  storage::MessageArchive& archive_;
  const Clock& clock_;
  IdGenerator& ids_;
  Hl7IngestOptions options_;
  std::unique_ptr<X12Ingest> x12_;
};

// ingest() for a caller that may block (a worker thread, the CLI, tests): waits for the
// completion and returns it. Never call it on an event-loop thread.
Hl7IngestResult ingest_and_wait(Hl7Ingest& ingest, std::string raw, const Hl7Peer& peer);

}  // namespace hearth::api
