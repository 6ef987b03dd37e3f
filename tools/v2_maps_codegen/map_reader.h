// Reads the IG's mapping folder (messages/, segments/, datatypes/, codesystems/) into plain
// rows, one struct per kind of map, named as hl7/to_fhir/map_tables.h describes. A map's name
// comes from its file name ("HL7 Segment - FHIR R4_ PID[Patient] - PID.csv" -> "PID[Patient]");
// columns are found by the IG's header row, so the few sheets with an extra or missing column
// read the same.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace hearth::codegen {

struct FieldMapRow {
  std::string source, v2_type, condition, target, fhir_type, type_map, vocabulary, assignment;
  int position = 0;
};
struct ConceptMapRow {
  std::string v2_code, v2_text, v2_system, condition, fhir_code, display, fhir_system;
};
struct MessageMapRow {
  std::string sort_order, identifier, segment, syntax, condition, narrative, target, segment_map,
      references;
};

template <class Row>
struct NamedMap {
  std::string name;
  std::vector<Row> rows;
};

struct V2Maps {
  std::vector<NamedMap<FieldMapRow>> segments, data_types;
  std::vector<NamedMap<ConceptMapRow>> concepts;
  std::vector<NamedMap<MessageMapRow>> messages;
};

// Each kind sorted by name. Errors: a missing folder, an unreadable file, a file name without
// a map name, two files of one kind with the same map name.
// `own_dir` (optional, "" for none): Hearth's own maps in the same CSV form, for messages the
// IG has no map for (DFT_P03); its folders may be missing, and a name the IG uses is kConflict.
Result<V2Maps> read_v2_maps(const std::filesystem::path& mappings_dir,
                            const std::filesystem::path& own_dir = {});

}  // namespace hearth::codegen
