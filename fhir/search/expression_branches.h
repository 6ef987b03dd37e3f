// A SearchParameter expression as it applies to one resource type: R4 writes one expression for
// several types ("AllergyIntolerance.code | Condition.code | ..."), and only the union branches
// that start at the type itself (or at no resource type) can give it values. Private to
// fhir/search: used by extract_index (which evaluates the pruned expression) and by
// param_parts (which compares the pruned expressions of two parameters).
#pragma once

#include <string>
#include <string_view>

#include "fhir/model.h"

namespace hearth::fhir::search::detail {

// `expression` without the union branches that start at a resource type `type` does not derive
// from, the kept branches joined by '|' as written; "" when no branch applies. The whole
// expression when something binding looser than '|' stands at its top level.
std::string branches_for(const TypeDef* type, std::string_view expression);

}  // namespace hearth::fhir::search::detail
