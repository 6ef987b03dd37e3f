// The value sets of the base definitions' required bindings, expanded at build time from the
// official package by tools/fhir_codegen (value_set_expander.h) into constant tables: which
// (system, code) pairs each holds, and which systems it draws from that Hearth does not hold in
// full (SNOMED CT, LOINC, UCUM, MIME types, ...), whose codes can be neither accepted nor refused.
//
// Everything points into static constant data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hearth::fhir {

// One code of a value set: indices into the interned code texts and system URLs.
struct ValueSetCode {
  std::uint32_t code;
  std::uint16_t system;
};

struct ValueSetDef {
  std::string_view url;                            // canonical, without "|version"
  std::span<const ValueSetCode> codes;             // sorted by code text, then system
  std::span<const std::uint16_t> unknown_systems;  // system indices; "*" means any system
};

// The expanded value sets, sorted by url; ElementDef::value_set_index indexes this.
std::span<const ValueSetDef> value_sets();
// The value set with canonical `url` ("|version" ignored), or nullptr.
const ValueSetDef* find_value_set(std::string_view url);

enum class Membership : std::uint8_t {
  kMember,     // the code is in the value set
  kNotMember,  // it is not, and the value set is known well enough to say so
  kUnknown,    // its system (or, with no system, the value set) is one Hearth cannot expand
};

// The text of a code and the URL of its system.
std::string_view code_text(const ValueSetCode& code);
std::string_view code_system(const ValueSetCode& code);

// Is `code` of `system` in `vs`? An empty `system` (a `code` element) matches any system.
Membership check_code(const ValueSetDef& vs, std::string_view system, std::string_view code);

// Does `vs` draw any code from `system` (expanded or not)?
bool uses_system(const ValueSetDef& vs, std::string_view system);

}  // namespace hearth::fhir
