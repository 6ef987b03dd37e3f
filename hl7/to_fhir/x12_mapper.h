// X12 transaction sets -> one FHIR transaction Bundle, by the maps of x12_map_table.h applied to
// the loop structure the parser found (hl7/x12/document.h, Transaction::loops).
//
// Instances. A `resource KEY TYPE LOOP` row makes one resource per occurrence of LOOP. A segment
// writes into the KEY resource of its own loop or the nearest enclosing one (an 837P's NM1 in
// 2010BA into the Patient of that 2010BA, into the Coverage of the enclosing 2000B); when no
// enclosing loop has one, into every KEY resource below the segment's loop (BHT, in the header,
// into every Claim). References (`ref`, `copy`) go to the nearest target: walking up from the
// resource's loop, the first loop that is, or directly holds, a target's loop (a claim under a
// 2000C refers to that 2000C's patient, a claim under a 2000B to the subscriber); an occurrence
// of the target's loop that has none (its `resource` condition failed) ends the walk with none
// (an 834 subscriber's coverage does not refer to another member's RelatedPerson).
//
// Identity. Entries are written by their map's mode: `update` is a conditional update on the
// resource's first identifier that has a system (a repeated claim replaces the earlier one),
// `ifnone` a create with ifNoneExist on it (patients, payers, providers found again by member
// id + payer, NPI or payer id), `create` a plain create; without such an identifier, a create.
// Two resources of one Bundle with the same identity are one entry (references move to it).
// Elements a map row cannot write (a malformed date) are left out and reported as issues.
//
// Thread-safety: map_x12 may run concurrently (the maps are immutable).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "hl7/to_fhir/message_mapper.h"
#include "hl7/x12/document.h"

namespace hearth::hl7::to_fhir {

struct X12SetIndex {
  std::size_t interchange = 0, group = 0, transaction = 0;  // as in x12::Document
};

// Maps `sets` of `document` (each by the map of its set id and guide; sets without one are
// skipped) into one transaction Bundle. kNotImplemented when none of them has a map. `make_id`
// names each resource (fullUrl "urn:uuid:" + id). MappedMessage::issues hold the segment id,
// its position in the document (sequence) and the element (field) of each value left out.
Result<MappedMessage> map_x12(const x12::Document& document, const std::vector<X12SetIndex>& sets,
                              std::function<std::string()> make_id);

}  // namespace hearth::hl7::to_fhir
