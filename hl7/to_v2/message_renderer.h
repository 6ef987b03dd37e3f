// Outbound HL7 v2 messages from stored FHIR resources (issue 14, Deliver 6), without I/O: the
// resources come in as FHIR JSON values, the message goes out as ER7 text (segments ended by CR,
// every value escaped by hl7/v2/escape.h), version 2.5.1, UTF-8 (MSH-18 "UNICODE UTF-8").
//   ADT^<event>^ADT_A01  MSH, EVN, PID from the Patient, PV1 from the Encounter when one is given
//   ORU^R01^ORU_R01      MSH, PID from the report's Patient when given, ORC from the order
//                        (ServiceRequest) the report is based on when given, OBR from the
//                        DiagnosticReport, an OBX per Observation in the order given, each
//                        followed by an NTE per Observation.note, then an SPM per Specimen
// PID, PV1, ORC, OBR, OBX, NTE and SPM are the IG's segment maps read backwards (reverse_map.h:
// PID[Patient], PV1[Encounter], ORC[ServiceRequest], OBR[DiagnosticReport], OBX[Observation],
// NTE[ServiceRequest] (the notes ORU's OBSERVATION.NTE row writes), SPM[Specimen]); what the maps
// leave to prose is written here, each place naming the row: MSH (MSH[MessageHeader] maps a
// MessageHeader, which Hearth does not store), EVN-2, the set ids PID-1, PV1-1, OBR-1, OBX-1,
// NTE-1 and SPM-1 (no map row), ORC-1 "RE" (observations to follow: a result's order control),
// and an Observation with `component` and no value (OBX[Observation-Component], which ORU's
// OBX row uses when OBX-5 repeats): OBX-3 its code, OBX-5 a repetition per component's value,
// OBX-2 and OBX-6 those of the first component.
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

// The resources of an ORU^R01 (FHIR JSON each; "" or empty for none).
struct OruResources {
  std::string_view patient;
  std::string_view order;  // the ServiceRequest of DiagnosticReport.basedOn
  std::string_view report;
  std::vector<std::string> observations;  // at most kMaxObservations
  std::vector<std::string> specimens;     // DiagnosticReport.specimen; at most kMaxObservations
};
Result<std::string> render_oru(const OruResources& resources, const MessageHeaderValues& header);

}  // namespace hearth::hl7::to_v2
