// Token search parameters whose values are codings: every union branch of the parameter's
// expression, as it applies to a resource type (expression_branches.h), ends at an element the
// model types Coding or CodeableConcept, or at `as Coding` / `as CodeableConcept`: Observation
// `code`, `category`, `value-concept` ((Observation.value as CodeableConcept)), `combo-code`,
// `_tag`, `_security`. Not identifiers, ContactPoints, booleans, or `code` elements such as
// Patient.gender and Observation.status (enumerations, indexed without a system). Decided from
// the generated tables (fhir/model.h) and the expression's path walk (fhirpath/path_walk.h):
// an expression outside the walk's subset, or a step whose type the model does not fix (a
// choice without `as`, a reference resolved), is not one. The storage layer keeps some of these
// codes by date for its date walk (storage/sql/token_date_index.h).
#pragma once

#include <span>
#include <string_view>

namespace hearth::fhir::search {

// The codes of `resource_type`'s indexed token parameters (its own and its bases') whose values
// are codings, sorted; empty for an unknown type. The span views static storage built once for
// every type on first use; thread-safe.
std::span<const std::string_view> coded_token_params(std::string_view resource_type);

// Is `code` one of coded_token_params(resource_type)?
bool is_coded_token(std::string_view resource_type, std::string_view code);

}  // namespace hearth::fhir::search
