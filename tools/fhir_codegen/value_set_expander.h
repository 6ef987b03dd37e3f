// Expands the ValueSets that the base definitions bind `required`, from the ValueSets and
// CodeSystems the package ships, so that the binary can check codes without a data directory.
// What can be expanded: a compose include of a whole code system whose content is "complete",
// listed concepts, other value sets (recursively), and compose excludes of the same shapes. What
// cannot: code systems the package does not hold in full (SNOMED CT, LOINC, UCUM, BCP-13 and
// BCP-47 codes, ...) and includes with filters; their systems are recorded as unknown, so a code
// of them is neither accepted nor refused (fhir/value_set.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tools/fhir_codegen/package_reader.h"

namespace hearth::codegen {

struct ExpandedValueSet {
  std::string url;                                         // without "|version"
  std::vector<std::pair<std::string, std::string>> codes;  // (system, code), sorted, unique
  // Sorted, unique; "*" when some part could not be resolved at all (a ValueSet the package
  // lacks), so that every code outside `codes` is unknown.
  std::vector<std::string> unknown_systems;
  bool known = true;  // false: the package has no such ValueSet
};

// The expansions of `urls` (canonicals; "|version" ignored), sorted by url, one per distinct url.
std::vector<ExpandedValueSet> expand_value_sets(const Package& package,
                                                const std::vector<std::string>& urls);

}  // namespace hearth::codegen
