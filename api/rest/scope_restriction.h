// Holding a request to what SMART v2 granular scopes allow (`patient/Observation.rs?category=
// laboratory`; smart_scopes.h, Reach::kRestricted): a search gets the restriction's parameters
// ANDed to its own (and the patient compartment for patient/ scopes), so every page and the
// total are the restricted ones; a read, vread or instance history needs the resource's
// current version to match; resources a search adds (_include, _revinclude) are kept only when
// they match. Matching is the store's search, so a scope's `category=laboratory` means exactly
// what `GET Observation?category=laboratory` means.
//
// A restriction that is not a search Hearth can run on the type (an unknown parameter, a
// malformed value) allows nothing: kForbidden, never a wider result.
//
// Thread-safety: pure functions over the reader they are given.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "api/rest/route.h"
#include "api/rest/smart_scopes.h"
#include "core/status.h"
#include "fhir/search/search_query.h"
#include "storage/resource_store.h"

namespace hearth::api {

// The restriction `request` is held to on `route`; nullopt when it is not held (no grant, or
// a grant that reaches the route without restricted scopes).
// Errors: restriction_of's (kForbidden).
Result<std::optional<ScopeRestriction>> held_to_restriction(const Request& request,
                                                            const Route& route);

// Adds `restriction` (of `request`'s grant) to `query`, a search of `type`.
// Errors: kForbidden when the restriction is not a search of `type`.
Status restrict_search(const ScopeRestriction& restriction, const Request& request,
                       std::string_view type, fhir::search::SearchQuery& query);

// kForbidden (naming type/id) unless type/id's current version matches `restriction`.
// Errors: also the reader's.
Status require_matching(storage::ResourceReader& reader, const ScopeRestriction& restriction,
                        const Request& request, std::string_view type, std::string_view id);

// Removes from `resources` (in place, keeping the order) those of types `request`'s grant
// reaches with Reach::kRestricted that do not match that type's read restriction; others are
// left alone. Errors: the reader's.
Status keep_matching(storage::ResourceReader& reader, const Request& request,
                     std::vector<storage::ResourceVersion>& resources);

}  // namespace hearth::api
