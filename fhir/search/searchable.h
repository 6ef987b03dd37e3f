// Which SearchParameters a server can answer for a resource type: its own and its bases'
// (DomainResource, Resource), limited to what the index holds plus _id and _lastUpdated. The
// CapabilityStatement claims exactly these; the query parser accepts exactly these.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/model.h"

namespace hearth::fhir::search {

// The parameters of `resource_type` that Hearth searches, sorted by code; empty for an
// unknown type. "Resource" gives those every type has (_id, _lastUpdated, _tag, ...), which a
// system-level search takes. The span views static storage built once.
std::span<const SearchParamDef* const> searchable_params(std::string_view resource_type);

// Is `param` one Hearth answers (indexed, _id / _lastUpdated, or _text / _content from the
// full-text table)?
bool is_searchable(const SearchParamDef& param);

// Does searchable `param` of a reference type follow references (chains, _include, _has)?
bool is_searchable_reference(const SearchParamDef& param);

// The _include values a search of `resource_type` takes, as the CapabilityStatement lists them:
// "Type:param" for each of its searchable reference parameters, sorted, then "*". Built once
// per process (static storage, like the spans above); empty for an unknown type.
std::span<const std::string> include_values(std::string_view resource_type);

// The _revinclude values: "Source:param" for every searchable reference parameter of any type
// that may reference `resource_type` (its targets name it, or it has none: any type), sorted by
// source type then code, then "*". Built once per process; empty for an unknown type.
std::span<const std::string> revinclude_values(std::string_view resource_type);

}  // namespace hearth::fhir::search
