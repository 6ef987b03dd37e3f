// One HL7 v2 message -> one FHIR transaction Bundle, by the IG's message map: each segment is
// placed in the map's structure (message_structure.h), each of the map's rows for that place
// whose condition holds applies its segment map (map_engine.h) to the row's resource instance,
// and the rows' References ("Observation[2].subject.reference=Patient[1].id") link the
// instances once every segment is mapped.
//
// Instances. "Observation[2]" names one resource per occurrence of the groups it lives in: its
// home is the innermost part of the structure holding every row that writes it (the OBSERVATION
// group for ORU's Observation[2], the whole message for ADT's Patient[1], written by PID, PD1,
// NK1 and PV1), and each occurrence of a repeating group on the way there (or of the segment
// itself, when the home is one repeating segment such as AL1) is another instance.
//
// Not mapped here, by decision (docs/mapping/v2-to-fhir.md): the rows that make the message's
// own Bundle, MessageHeader and Provenance (Hearth archives the message and writes its own
// provenance) and resources left empty by their rows. Patient merges (A40, A39), which the IG
// has no map for, are mapped by patient_merge.h.
//
// Thread-safety: the compiled message maps are built once per process; map() may run
// concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "hl7/to_fhir/map_engine.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

struct MappedMessage {
  std::string map_name;  // "ADT_A01"
  // A FHIR transaction Bundle (fhir/json.h: numbers kept as text), POST entries with urn:uuid
  // fullUrls; built as a value, never as text (fhir/json_builder.h).
  fhir::JsonDocument bundle;
  std::size_t resources = 0;
  std::vector<MappingIssue> issues;  // values left out (a bad date), where they are
  // A patient merge (patient_merge.h): the Bundle entries (0-based) writing the surviving
  // patient and patching the merged one, whose referrers the ingest moves to the survivor;
  // -1 for any other message.
  int survivor_entry = -1;
  int merged_entry = -1;
};

// Where a FHIR element comes from in v2: the segment and field of the first row of a segment map
// "<SEG>[<resource type>]" that writes `element` ("code" of Observation -> OBX-3), so that a
// refusal can name the v2 field a sender has to fill. nullopt when no map writes it.
struct V2Source {
  std::string_view segment;  // "OBX"
  int field = 0;             // 3
};
std::optional<V2Source> v2_source_of(std::string_view resource_type, std::string_view element);

class MessageMapper {
 public:
  explicit MessageMapper(ConversionOptions options = {});

  // kNotImplemented when the IG has no map for the message's type and event (the message is
  // "unmapped"); kMalformed when a mapped value cannot be JSON (write_transaction_bundle).
  // `make_id` names each resource (its fullUrl is "urn:uuid:" + the id).
  Result<MappedMessage> map(const Message& message, std::function<std::string()> make_id) const;

 private:
  MapEngine engine_;
};

}  // namespace hearth::hl7::to_fhir
