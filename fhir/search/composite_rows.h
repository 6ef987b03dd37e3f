// The index rows of one composite parameter (fhir/search/composite.h), used by extract_index
// (fhir/search/index_values.h). Private to fhir/search: the public contract is extract_index.
#pragma once

#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/index_values.h"

namespace hearth::fhir::search::detail {

// Appends to `out` the rows of composite `param` for `items`, the elements its expression
// selected in `resource`: for each element, each component's expression (`components`, compiled
// from param.components in order) is evaluated with the element as its context (%resource is
// `resource`) and each value converted as its component parameter converts it (item_to_index).
// An element gives a group only when every component has a value (one without can never
// match); groups are numbered from 0 in the order kept. Duplicate values within a component of a
// group are dropped. Never fails: a component expression that fails on an element gives it no
// values.
void composite_rows(const SearchParamDef& param,
                    const std::vector<fhirpath::Expression>& components,
                    const fhirpath::Collection& items, const JsonValue& resource,
                    const fhirpath::EvalOptions& options, std::vector<CompositeIndex>& out);

}  // namespace hearth::fhir::search::detail
