// The profiles the official package ships (its 441 constraint StructureDefinitions: vitalsigns,
// bp, bodyweight, the lipid profile, shareablevalueset, every extension definition, ...),
// generated into constant tables by tools/fhir_codegen (profile_writer.h) and compiled
// (fhir/profile.h) on first use, then kept for the life of the process: they never change.
//
// Thread-safe (one mutex around the compiled cache; a compiled Profile is immutable).
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "fhir/profile.h"

namespace hearth::fhir {

// One shipped profile: its canonical URL and its StructureDefinition reduced to what
// compile_profile() reads (FHIR JSON).
struct ShippedProfile {
  std::string_view url;
  std::string_view json;
};

// All shipped profiles, sorted by url.
std::span<const ShippedProfile> shipped_profiles();

// The compiled shipped profile `url` ("|version" ignored; its base profiles shipped too), or
// nullptr when the package has none by that URL.
std::shared_ptr<const Profile> shipped_profile(std::string_view url);

namespace detail {
extern const std::span<const ShippedProfile> kShippedProfiles;  // profile_tables.gen.cpp
}  // namespace detail

}  // namespace hearth::fhir
