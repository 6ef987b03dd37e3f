// Writes the package's constraint StructureDefinitions (profiles: vitalsigns, bp, the extension
// definitions, ...) as C++ constant data (profile_tables.gen.cpp) for fhir/shipped_profiles.h:
// per profile its url and its JSON reduced to what fhir/profile.h compiles (url, name, type,
// baseDefinition, derivation, kind and, of each differential element, id, path, sliceName,
// min, max, type, binding, slicing, constraint, fixed[x], pattern[x]), numbers kept as their
// text.
// Deterministic text (profiles sorted by url).
#pragma once

#include <filesystem>
#include <string>

#include "core/status.h"

namespace hearth::codegen {

// The full text of profile_tables.gen.cpp from the StructureDefinition-*.json files of `dir`;
// `source` names the package in the header line. Errors: kMalformed for a file that is not
// JSON.
Result<std::string> write_profile_tables(const std::filesystem::path& dir,
                                         const std::string& source);

}  // namespace hearth::codegen
