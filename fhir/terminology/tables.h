// The generated terminology tables (build/fhir/generated/terminology_tables.gen.cpp, written by
// tools/fhir_codegen from the official package). Private to fhir/terminology/: use
// code_system.h, value_set_compose.h and concept_map.h instead.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "fhir/terminology/code_system.h"
#include "fhir/terminology/concept_map.h"
#include "fhir/terminology/value_set_compose.h"

namespace hearth::fhir::terminology::detail {

extern const std::span<const char> kText;                  // the pooled texts, back to back
extern const std::span<const std::uint32_t> kTextOffsets;  // text i is [off[i], off[i + 1])
extern const std::span<const CodeSystem> kCodeSystems;     // sorted by url

// The hierarchy links of a built-in code system's parent/child properties (beyond its nesting):
// (parent, child) concept index pairs, flattened. code_system.cpp builds its graph from them.
struct CodeSystemLinks {
  std::string_view url;
  std::span<const std::uint32_t> pairs;
};
extern const std::span<const CodeSystemLinks> kCodeSystemLinks;  // sorted by url
extern const std::span<const ValueSet> kValueSets;               // sorted by url
extern const std::span<const ConceptMap> kConceptMaps;           // sorted by url

inline std::string_view text(std::uint32_t i) {
  return {kText.data() + kTextOffsets[i], kTextOffsets[i + 1] - kTextOffsets[i]};
}

}  // namespace hearth::fhir::terminology::detail
