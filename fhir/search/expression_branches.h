// A SearchParameter expression as it applies to one resource type: R4 writes one expression for
// several types ("AllergyIntolerance.code | Condition.code | ..."), and only the union branches
// that start at the type itself (or at no resource type) can give it values. Private to
// fhir/search: used by extract_index (which evaluates the pruned expression) and by
// param_parts (which compares the pruned expressions of two parameters).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fhir/model.h"

namespace hearth::fhir::search::detail {

// The top-level operands of `expression`'s unions ("A.x | (B.y as Z) | C.z" -> three views into
// `expression`, untrimmed); only the whole expression when something binding looser than '|'
// stands at its top level.
std::vector<std::string_view> union_branches(std::string_view expression);

// `expression` without the union branches that start at a resource type `type` does not derive
// from, the kept branches joined by '|' as written; "" when no branch applies. The whole
// expression when something binding looser than '|' stands at its top level.
std::string branches_for(const TypeDef* type, std::string_view expression);

}  // namespace hearth::fhir::search::detail
