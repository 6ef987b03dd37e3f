// The FHIR side of an accepted X12 interchange, decided before the store: its accepted
// transaction sets mapped into one transaction Bundle (hl7/to_fhir/x12_mapper.h), checked and
// repaired like a v2 message's (hl7/to_fhir/bundle_repair.h), and planned into the archive's
// MessageEffect (message_mapping.h: plan_mapped_bundle), with the same meta.source and
// Provenance/hl7-message-<archive id>.
//
// Thread-safety: map_x12 may run concurrently.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "api/hl7/message_mapping.h"
#include "hl7/x12/document.h"

namespace hearth::api {

struct X12SetRef {
  std::size_t interchange = 0, group = 0, transaction = 0;
};

// kUnmapped when none of `sets` has a map (or nothing maps to a resource); kFailed (with the
// note) when the Bundle is not valid FHIR after repair or cannot be planned. Values left out
// are in the note of a kMapped outcome's `errors` (as warnings).
MessageMapping map_x12(const hl7::x12::Document& document, const std::vector<X12SetRef>& sets,
                       std::string_view message_type, std::string_view sender,
                       std::string_view control_id, const Hl7MappingContext& context);

}  // namespace hearth::api
