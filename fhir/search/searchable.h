// Which SearchParameters a server can answer for a resource type: its own and its bases'
// (DomainResource, Resource), limited to what the index holds plus _id and _lastUpdated. The
// CapabilityStatement claims exactly these; the query parser accepts exactly these.
#pragma once

#include <span>
#include <string_view>

#include "fhir/model.h"

namespace hearth::fhir::search {

// The parameters of `resource_type` that Hearth searches, sorted by code; empty for an
// unknown type. The span views static storage built once.
std::span<const SearchParamDef* const> searchable_params(std::string_view resource_type);

// Is `param` one Hearth answers (indexed, or _id / _lastUpdated)?
bool is_searchable(const SearchParamDef& param);

// Does searchable `param` of a reference type follow references (chains, _include, _has)?
bool is_searchable_reference(const SearchParamDef& param);

}  // namespace hearth::fhir::search
