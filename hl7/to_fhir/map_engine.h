// Applies the IG's segment maps (and, through them, its data type and vocabulary maps) to the
// segments of a parsed message, writing resources into a ResourceBuilder. One generic walk over
// the tables: for each row of the map, each repetition of its field that is valued and meets
// the row's condition goes to the row's target path, as a constant, through the row's data type
// map (recursively), through its vocabulary map, or converted to the target's FHIR type.
//
// Rows the engine cannot compute (a condition or target the IG wrote as prose, a path the R4
// model refuses) are skipped; values it cannot convert (a bad date in PID-7) are skipped and
// reported as MappingIssues with their v2 location, for the message-level mapping to turn into
// an AE with ERR segments when the field is required.
//
// Thread-safety: the compiled rows are built once per process (thread-safe); a MapEngine holds
// no state between calls, so one may serve any number of threads.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "hl7/to_fhir/map_tables.h"
#include "hl7/to_fhir/primitive_conversion.h"
#include "hl7/to_fhir/resource_builder.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

// A value the mapping could not use, where it is in the message.
struct MappingIssue {
  std::string segment;  // "PID"
  int sequence = 0;     // which segment of the message (1-based), for ERR-2
  int field = 0;
  int repetition = 0;
  int component = 0;    // 0 when the whole field
  std::string message;  // "'19621320' is not a FHIR date"
};

// True for the rows whose condition the IG wrote as prose and that Hearth takes as always true
// (CX[Identifier] CX.4 -> system: the assigning authority is the identifier's system). The
// outbound maps (hl7/to_v2/reverse_map.h) read them backwards alike.
bool condition_taken_as_true(const MapTable& map, const MapRow& row);

class MapEngine {
 public:
  explicit MapEngine(ConversionOptions options = {});
  const ConversionOptions& options() const { return options_; }

  // Applies `map` (a segment map, e.g. "PID[Patient]") to segment `segment` of `message`,
  // writing into `target` (a resource's root). Issues are appended to `issues`.
  // `occurrence` > 0: the segment is that occurrence of a repeating segment whose rows write an
  // element of a resource another segment made (an OBX's NTEs into its Observation's `note`):
  // the elements its rows start from are instances of their own for each occurrence, so every
  // NTE is a note of its own.
  // `reuse`: resources the segment map's own rows reference instead of making new ones of their
  // type (DG1[Encounter]'s `diagnosis.condition(Condition.code)` writing into the Condition that
  // DG1[Condition] made, as the message map's References say); nested data type maps still make
  // their own.
  void apply_segment(const Message& message, std::size_t segment, const MapTable& map, Node& target,
                     ResourceBuilder& builder, std::vector<MappingIssue>& issues,
                     int occurrence = 0, std::span<Resource* const> reuse = {}) const;

 private:
  ConversionOptions options_;
};

}  // namespace hearth::hl7::to_fhir
