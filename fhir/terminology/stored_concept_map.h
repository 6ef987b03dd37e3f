// A ConceptMap resource (one stored in Hearth) read into the shape of the built-in ones
// (concept_map.h), so that $translate treats both alike: each group's source and target systems
// and its mappings (element.code -> target.code, display, equivalence; an element without target
// is `unmatched`), sorted by source code. `unmapped` rules and dependsOn/product are not kept, as
// for the built-in maps.
//
// No I/O. A compiled concept map is immutable and may be shared between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/terminology/concept_map.h"

namespace hearth::fhir::terminology {

// Bounds on what compile_concept_map() accepts (kInvalidArgument beyond each).
inline constexpr std::size_t kMaxMapGroups = 1000;
inline constexpr std::size_t kMaxMapMappings = 100000;  // mappings of all groups together

class CompiledConceptMap {
 public:
  CompiledConceptMap(const CompiledConceptMap&) = delete;
  CompiledConceptMap& operator=(const CompiledConceptMap&) = delete;
  // The map in the built-in shape; its views point into this object.
  const ConceptMap& view() const { return view_; }

 private:
  friend Result<std::shared_ptr<const CompiledConceptMap>> compile_concept_map(const JsonValue&);
  CompiledConceptMap() = default;
  JsonDocument doc_;  // a copy of the resource, which the views point into
  std::vector<std::vector<Mapping>> mappings_;
  std::vector<ConceptMapGroup> groups_;
  ConceptMap view_{};
};

// Compiles `resource`, a ConceptMap as FHIR JSON. Errors, kInvalidArgument with the FHIRPath of
// the culprit (`ConceptMap.group[0].element[3].code`): not a ConceptMap, `group` or `element`
// or `target` not an array, an element without code, and every bound above.
Result<std::shared_ptr<const CompiledConceptMap>> compile_concept_map(const JsonValue& resource);

}  // namespace hearth::fhir::terminology
