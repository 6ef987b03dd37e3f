// The IG's segment maps read backwards: a stored FHIR resource -> the v2 fields its map row
// names. One generic walk over the same tables the inbound mapping applies
// (hl7/to_fhir/map_tables.h): for each row of the map, the FHIR element at the row's target
// path, when the resource has it, goes to the row's field or component
//   - through the row's vocabulary map, FHIR code -> the first v2 code mapped to it;
//   - through the row's data type map, read backwards in turn (CWE[CodeableConcept]: coding[1]
//     -> CWE.1-3, coding[2] -> CWE.4-6), components and then subcomponents;
//   - as a primitive (hl7/to_v2/v2_primitive.h), a Coding's system as its table 0396 name.
// A row's condition is read backwards (backward_condition.h): OBX-5 written from valueQuantity
// makes OBX-2 "NM". Rows of one place are alternatives in the IG's order, the first value wins.
//
// Not read backwards (documented in docs/mapping/v2-to-fhir.md, Outbound): rows whose target is
// a reference to another resource (OBX-16, PV1-3 ...: those resources are not rendered), rows
// writing constants (they are the FHIR side's; some tell instances apart, below), joins, rows
// whose condition does not compile backwards, rows naming a vocabulary or data type map the IG
// does not publish, and data types nested deeper than subcomponents.
//
// Instances. The IG numbers the instances of a repeating element that several fields write
// (PID-2, -3, -4, -19, -20 -> identifier[1..5]); backwards, an item of such an element belongs to
// the field whose constant rows match it (PID-19: type.coding.code "SS"; PID-14: use "work"; an
// extension: its url), else to the field the table in reverse_map.cpp names for the element
// (PID-3 for identifier), else to the only field that writes it. Each item a field owns is one
// repetition of it.
//
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <rapidjson/document.h>

#include "hl7/to_fhir/map_tables.h"
#include "hl7/to_v2/segment_values.h"

namespace hearth::hl7::to_v2 {

// Applies segment map `map` ("PID[Patient]") backwards to `resource` (a FHIR JSON object of the
// map's resource type, numbers parsed as strings), writing into `out` (whose id is the map's
// segment). Places already written in `out` keep their values.
void reverse_segment(const to_fhir::MapTable& map, const rapidjson::Value& resource,
                     SegmentValues& out);

}  // namespace hearth::hl7::to_v2
