// Internal to fhir/search: the UCUM tables that tools/ucum_codegen generates from the UCUM
// essence's data (@lhncbc/ucum-lhc, pinned by hash in tools/ucum_package.lock); read through
// fhir/search/ucum.h. Static storage, immutable.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace hearth::fhir::search::detail {

struct UcumPrefix {
  std::string_view code;  // "m", "da"
  double value = 0;       // 0.001, 10
};

struct UcumUnit {
  std::string_view code;  // case-sensitive UCUM code: "mg", "mm[Hg]", "mg/dL"
  // The unit in base units (m, s, g, rad, K, C, cd), amounts of substance (mol, eq) divided out.
  double magnitude = 0;
  std::array<int, 7> dims{};  // exponents of the base units, in ucum_base_units() order
  int mole = 0;               // exponent of mol
  int equivalent = 0;         // exponent of eq
  bool metric = false;        // takes prefixes
};

// Sorted longest code first.
std::span<const UcumPrefix> ucum_prefixes();
// Sorted by code.
std::span<const UcumUnit> ucum_units();
// The base unit of each dimension.
std::span<const std::string_view, 7> ucum_base_units();

}  // namespace hearth::fhir::search::detail
