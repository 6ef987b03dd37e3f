// Outbound HL7 v2 messages from stored FHIR resources (issue 14, Deliver 6), without I/O: the
// resources come in as FHIR JSON values, the message goes out as ER7 text (segments ended by CR,
// every value escaped by hl7/v2/escape.h), version 2.5.1, UTF-8 (MSH-18 "UNICODE UTF-8").
//   ADT^<event>^ADT_A01  MSH, EVN, PID from the Patient, PV1 from the Encounter when one is given
//   ORU^R01^ORU_R01      MSH, PID from the report's Patient when given, OBR from the
//                        DiagnosticReport, an OBX per Observation in the order given
// PID, PV1, OBR and OBX are the IG's segment maps read backwards (reverse_map.h: PID[Patient],
// PV1[Encounter], OBR[DiagnosticReport], OBX[Observation]); what the maps leave to prose is
// written here, each place naming the row: MSH (MSH[MessageHeader] maps a MessageHeader, which
// Hearth does not store), EVN-2, the set ids PID-1, PV1-1, OBR-1 and OBX-1 (no map row).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::hl7::to_v2 {

// What the header says that no resource gives.
struct MessageHeaderValues {
  std::string sending_application = "HEARTH";  // MSH-3
  std::string sending_facility;                // MSH-4
  std::string control_id;                      // MSH-10 (the caller's unique id)
  std::string timestamp;                       // MSH-7 and EVN-2: a FHIR instant
};

// The events an ADT can be rendered for: those of the ADT_A01 structure, as the IG's
// MessageStructure vocabulary (table 0354) lists them: A01, A04, A08, A13.
std::vector<std::string> adt_events();

// An ADT of `event` for `patient` (FHIR JSON of a Patient) and, when not empty, `encounter`.
// kInvalidArgument for an event adt_events() does not list (naming them), or a body that is not
// a JSON object of the right resource type.
Result<std::string> render_adt(std::string_view event, std::string_view patient,
                               std::string_view encounter, const MessageHeaderValues& header);

// An ORU^R01 for `report` (a DiagnosticReport) with `observations` (its results, in order) and,
// when not empty, `patient`. At most kMaxObservations; more is kInvalidArgument. Errors as
// render_adt.
inline constexpr std::size_t kMaxObservations = 1000;
Result<std::string> render_oru(std::string_view patient, std::string_view report,
                               const std::vector<std::string>& observations,
                               const MessageHeaderValues& header);

}  // namespace hearth::hl7::to_v2
