// ADT^A40 (merge patient, patient identifier list) and ADT^A39 (merge person), structure
// ADT_A39, which the IG has no map for: PID is the surviving patient, MRG-1 the identifiers of
// the patient merged into it. Hearth maps the merge as FHIR records one
// (https://hl7.org/fhir/R4/patient.html#links): the survivor, mapped from PID exactly as an
// ADT^A08 would map it (a conditional update by PID-3), gets `link` {other: the merged patient,
// type: replaces}; the merged patient, found by MRG-1 read as a PID-3 would be, is patched to
// `active` false with `link` {other: the survivor, type: replaced-by}. The Bundle's entries of the
// two are named in MappedMessage (survivor_entry, merged_entry): the ingest moves the references
// of resources that point at the merged patient in the same transaction
// (api/hl7/merge_references.h).
//
// Thread-safety: as MessageMapper (pure functions of their arguments).
#pragma once

#include <functional>
#include <string>

#include "hl7/to_fhir/message_mapper.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

// True for an ADT^A40 or ADT^A39 with an MRG segment.
bool is_patient_merge(const Message& message);

// The merge's transaction Bundle, as above, through `mapper` for the PID and MRG-1. Errors:
// kInvalidArgument when PID-3 or MRG-1 gives no identifier (the patient could not be found) or
// MRG-1 names the survivor itself; the mapper's errors.
Result<MappedMessage> map_patient_merge(const MessageMapper& mapper, const Message& message,
                                        const std::function<std::string()>& make_id);

}  // namespace hearth::hl7::to_fhir
