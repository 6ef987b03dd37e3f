// The X12 ingest use case: raw X12 bytes (one or more interchanges, ISA..IEA) and the peer in,
// the acknowledgment out, with the same pipeline and guarantees as HL7 v2 (ingest.h), which hands
// every payload that opens with "ISA" here (MLLP frames, POST /x12, replay). Parse -> build the
// TA1/999 from the findings (hl7/x12/ack.h) and, with a mapping context, map the accepted
// transaction sets to FHIR (x12_mapping.h), all on the calling thread -> archive and write the
// resources in one store transaction -> the completion, after the COMMIT.
//
// Archive columns: sender "ISA05:ISA06" (trimmed), control id ISA13, type ST01 of the first
// transaction set ("837"), version GS08 of the first group ("005010X222A1"). An identical resend
// (same sender, ISA13 and bytes) gets its original acknowledgment and writes nothing; ISA13
// reused for other bytes is a new interchange (the archive's `control-id-reused` note).
//
// Outcomes (Hl7IngestResult::ack_code): "A" every transaction set accepted (and, when mapped,
// written); "P" some accepted; "R" none (an interchange rejected by its TA1, or every set
// rejected by the 999), archived as 'rejected'. When the accepted sets cannot be mapped or
// their resources cannot be written, nothing of the interchange is written, it is archived as
// 'error' and the 999 rejects those sets too (IK5 R, code 5; the archive note says why). When
// the store fails, nothing is stored and there is no acknowledgment at all (`ack` empty,
// `hang_up` set): no positive ack is ever sent for an interchange that is not stored, and the
// sender's retry is the remedy. Bytes without a readable ISA get no acknowledgment either
// (nothing to address it to): archived as 'rejected' (within the connection's allowance) with
// `hang_up` set.
//
// Thread-safety: ingest() may be called concurrently; archive, clock and ids must be
// thread-safe and outlive the X12Ingest.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/hl7/ingest.h"
#include "api/hl7/message_mapping.h"
#include "core/clock.h"
#include "storage/message_archive.h"

namespace hearth::api {

// True when `raw` opens, after an optional UTF-8 BOM and whitespace, with "ISA".
bool looks_like_x12(std::string_view raw);

class X12Ingest {
 public:
  // `mapping` null: interchanges are archived and acknowledged only.
  X12Ingest(storage::MessageArchive& archive, const Clock& clock, IdGenerator& ids,
            const Hl7MappingContext* mapping, storage::ReusedControlId on_reused);

  // As Hl7Ingest::ingest: never blocks, `done` runs exactly once (on a store thread after the
  // COMMIT, or on the calling thread when nothing is archived). Never fails.
  void ingest(std::string raw, const Hl7Peer& peer, RejectAllowance* rejects, Hl7Ingest::Done done);

 private:
  struct Pending;
  std::shared_ptr<Pending> prepare(std::string raw, const Hl7Peer& peer,
                                   RejectAllowance* rejects) const;
  static Hl7IngestResult finish(Pending& pending, Result<storage::ArchiveOutcome> archived);

  storage::MessageArchive& archive_;
  const Clock& clock_;
  IdGenerator& ids_;
  const Hl7MappingContext* mapping_;
  storage::ReusedControlId on_reused_;
};

}  // namespace hearth::api
