// Composite search parameters (search.html#composite): a parameter whose value is a tuple
// (`code-value-quantity=http://loinc.org|8480-6$gt100`) that matches when one element the
// parameter's expression selects (an Observation, one of its components, a useContext ...)
// holds a match for every part. Each part is read and matched as its component parameter (the
// SearchParameter.component.definition, a parameter of its own type) on the values the
// component's expression gives when evaluated on that element.
//
// Index rows (fhir/search/index_values.h, CompositeIndex) keep each element's values apart by
// a group number, so a search asks for one group with a match per component.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "fhir/model.h"

namespace hearth::fhir::search {

// The component parameters of composite `param`, in its order; empty when `param` is not a
// composite, when a component's definition is not an R4 SearchParameter, or when one is of a
// type a composite does not hold here (uri, composite, special: none of R4's). Views static
// storage built once; thread-safe.
std::span<const SearchParamDef* const> composite_components(const SearchParamDef& param);

// The FHIRPath expression of component `index` of composite `param` (relative to the element the
// composite's expression selects): param.components[index].expression, except for two slips in
// the R4 definitions, corrected here (a table in composite.cpp):
// - Observation code-value-date: `value.as(DateTime)` names the System type, which no FHIR
//   dateTime node is: read as `value.as(dateTime)` (the R4 value-date parameter's own type);
// - DocumentReference relationship: its components' expressions are swapped (the reference
//   `relatesto` reads `code`, the token `relation` reads `target`): read crosswise.
// Precondition: index < param.components.size().
std::string_view composite_expression(const SearchParamDef& param, std::size_t index);

}  // namespace hearth::fhir::search
