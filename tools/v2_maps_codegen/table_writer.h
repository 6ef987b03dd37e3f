// Writes the maps as the C++ tables declared in hl7/to_fhir/map_tables.h: one constexpr
// array of rows per map, one array of maps per kind, and the four accessors.
#pragma once

#include <string>

#include "tools/v2_maps_codegen/map_reader.h"

namespace hearth::codegen {

// The whole generated source file; `source` names what it was generated from.
std::string write_v2_map_tables(const V2Maps& maps, const std::string& source);

}  // namespace hearth::codegen
