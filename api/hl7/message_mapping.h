// An accepted HL7 v2 message's FHIR side, decided before the store: the message mapped into a
// transaction Bundle by the IG's maps (hl7/to_fhir/message_mapper.h), checked like any Bundle
// posted to the REST API (fhir/validate.h), and planned by the entry runner
// (api/rest/entry_runner.h). What comes out is the archive's MessageEffect
// (storage/message_archive.h): it runs inside the transaction that archives the message, so an
// acknowledged message is both archived and mapped, or neither.
//
// Each written resource carries meta.source = "urn:hearth:hl7-message:<archive id>", and the
// effect writes Provenance/hl7-message-<archive id> whose targets are the versions written and
// whose entity names the message (docs/mapping/v2-to-fhir.md, "Provenance").
//
// Thread-safety: map_message may run concurrently; a MessageMapping is used by one message.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/request.h"
#include "api/rest/rest_limits.h"
#include "core/clock.h"
#include "fhir/json.h"
#include "hl7/to_fhir/message_mapper.h"
#include "hl7/v2/ack.h"
#include "hl7/v2/message.h"
#include "storage/message_archive.h"
#include "storage/resource_store.h"

namespace hearth::api {

// What mapping needs from the process: the resource store (for the entry runner's reads), the
// clock and ids every write uses, the REST limits every write obeys, and the compiled maps. All
// must outlive the Hl7Ingest.
struct Hl7MappingContext {
  storage::ResourceStore& store;
  Clock& clock;
  IdGenerator& ids;
  const RestLimits& limits;
  const hl7::to_fhir::MessageMapper& mapper;
  // --hl7-unmapped=reject: a message type without a map is refused (AR, ERR 200) instead of
  // archived and acknowledged as `unmapped`.
  bool reject_unmapped = false;
  // A message's lookups are made, and its writes prepared, before the transaction, on the
  // calling thread (plan_transaction's resolve_first): for a store with cheap reads and one
  // writer, when cores are left over for this work (server/scheduling.h).
  bool resolve_before_commit = false;
};

// The prefix of meta.source on every resource a message produced; the archive id follows.
inline constexpr std::string_view kMessageSourcePrefix = "urn:hearth:hl7-message:";
// Provenance ids: this prefix and the archive id.
inline constexpr std::string_view kMessageProvenancePrefix = "hl7-message-";

struct MessageMapping {
  enum class Outcome {
    kMapped,    // `effect` writes the resources
    kUnmapped,  // the IG has no map for this message type: archived only (note says so)
    kFailed,    // the content cannot be mapped: AE with `errors`, nothing written
  };
  Outcome outcome = Outcome::kUnmapped;
  std::string note;                   // kUnmapped, kFailed: why, for the archive's note
  std::vector<hl7::AckError> errors;  // kFailed: the ERR segments; kMapped: warnings (values
                                      // left out), severity W
  storage::MessageEffect effect;      // kMapped
  std::size_t resources = 0;          // kMapped: entries of the Bundle
  // kMapped: a patient merge, whose effect fails with kNotFound when the store does not have the
  // merged patient (MRG-1): the ingest then answers ERR 204 (unknown key identifier).
  bool merge = false;
  // kMapped, after a successful commit: "Type/id/_history/n" of every version written (not what
  // it only links: a conditional create's match, an update that changed nothing), then
  // "Provenance/hl7-message-<id>"; empty, and no Provenance, when it wrote nothing.
  std::shared_ptr<std::vector<std::string>> written;
};

// Maps `message` (already accepted by type and version) as described above. Never fails: a
// problem is an outcome. `message_type` ("ORU^R01") and `sender` ("LAB|HOSP") name the message
// in its Provenance.
MessageMapping map_message(const hl7::Message& message, std::string_view message_type,
                           std::string_view sender, const Hl7MappingContext& context);

// The planning half of map_message, shared with X12 (x12_mapping.h): `bundle`, a transaction
// Bundle already checked as valid FHIR holding `resources` entries, planned by the entry runner
// into the effect that writes it and the Provenance naming the message (`message_type`,
// `control_id`, `sender`). kFailed with a note and one error when it cannot be planned.
// `survivor_entry` / `merged_entry` (>= 0 for a patient merge, hl7::to_fhir::MappedMessage): after
// the Bundle, the resources referencing the merged patient are moved to the survivor
// (merge_references.h), listed in `written` and the Provenance.
MessageMapping plan_mapped_bundle(std::shared_ptr<fhir::JsonDocument> bundle, std::size_t resources,
                                  std::string sender, std::string control_id,
                                  std::string message_type, const Hl7MappingContext& context,
                                  int survivor_entry = -1, int merged_entry = -1);

}  // namespace hearth::api
