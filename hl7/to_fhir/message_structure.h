// The abstract message structure a message map describes (its rows in order: segments with
// their v2 syntax "[{ NK1 }]", groups opened by "{", "[", "[{" and closed by a row whose
// identifier starts with "/"), and the place of each segment of a real message in it: which
// structure row it is and which occurrence of each enclosing group, so that the second
// ORDER_OBSERVATION's OBX rows make other resources than the first one's.
//
// Placement is forgiving, as receivers in the wild must be: a segment is matched at the next
// place in the structure that accepts it (skipping optional and, leniently, required places), in
// a new occurrence of the innermost repeating group that holds it, or not at all (a Z segment,
// a segment out of any order): such a segment gets no place and is left unmapped.
//
// Thread-safety: a built structure is immutable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "hl7/to_fhir/map_tables.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

struct StructureNode {
  std::string name;        // "PID", a group's "ORDER_OBSERVATION", the root's "ORU_R01"
  std::string identifier;  // the rows' identifier: "ORU_R01.PATIENT_RESULT.ORDER_OBSERVATION.OBR"
  bool group = false;
  bool optional = false;
  bool repeating = false;
  std::vector<std::unique_ptr<StructureNode>> children;
};

// The message map for `message`: the one named after its message type and event ("ADT_A11"),
// else after its structure: MSH-9.3, or, when the sender left it out (v2.3) or named one that
// has no map ("SIU^S15^SIU_S15", where table 0354 lists S15 under SIU_S12), the structure HL7
// table 0354 lists for the event (the IG's MessageStructure vocabulary: ADT^A04 -> ADT_A01).
// nullptr when the IG has no map for it.
const MessageMapTable* message_map_for(const Message& message);

// The structure table 0354 lists for `message`'s event ("ADT_A01" for ADT^A04); "" when it
// lists none.
std::string standard_structure_of(const Message& message);

// kInvalidArgument when the rows do not nest (a group closed that was not open).
Result<std::unique_ptr<StructureNode>> build_structure(const MessageMapTable& map);

struct SegmentPlace {
  const StructureNode* node = nullptr;       // nullptr: no place (left unmapped)
  std::vector<const StructureNode*> groups;  // the groups enclosing it, outermost first
  // The occurrence (1-based) of each of `groups`, then the
  // segment's own repetition there: {2, 1, 3} = third OBX of the first OBSERVATION of the second
  // ORDER_OBSERVATION.
  std::vector<int> occurrences;
};

// One place per segment of `message`, in order (MSH included).
std::vector<SegmentPlace> place_segments(const Message& message, const StructureNode& root);

}  // namespace hearth::hl7::to_fhir
