// The index rows of one composite parameter (fhir/search/composite.h), used by extract_index
// (fhir/search/index_values.h). Private to fhir/search: the public contract is extract_index.
#pragma once

#include <optional>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/fhirpath/path_walk.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/index_values.h"

namespace hearth::fhir::search::detail {

// A component's expression, and its walk when it is a plain path (fhirpath/path_walk.h).
struct ComponentExpression {
  fhirpath::Expression expression;
  std::optional<fhirpath::PathWalk> walk;
};

// Appends to `out` the rows of composite `param` for `items`, the elements its expression
// selected in `resource`: for each element, each component's expression (`components`, compiled
// from param.components in order) is evaluated with the element as its context (%resource is
// `resource`) and each value converted as its component parameter converts it (item_to_index).
// An element gives a group only when every component has a value (one without can never
// match); groups are numbered from 0 in the order kept. Duplicate values within a component of a
// group are dropped. Never fails: a component expression that fails on an element gives it no
// values. A component with a walk is walked (IndexPaths::kWalk) instead of evaluated: the same
// rows, since repeats are dropped.
void composite_rows(const SearchParamDef& param, const std::vector<ComponentExpression>& components,
                    const fhirpath::Collection& items, const JsonValue& resource,
                    const fhirpath::EvalOptions& options, IndexPaths paths,
                    std::vector<CompositeIndex>& out);

}  // namespace hearth::fhir::search::detail
