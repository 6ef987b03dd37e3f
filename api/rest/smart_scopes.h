// SMART on FHIR scopes (App Launch 1.0 and 2.0, "Scopes for requesting clinical data") as
// values, and the one authorisation decision the REST core makes with them for each
// interaction. Pure functions, thread-safe.
//
// Forms read: v1 `patient/Observation.read`, `user/*.write`, `system/*.*`; v2
// `patient/Observation.rs`, `user/Encounter.cruds` (letters in that order, each at most once)
// with an optional `?name=value&...` restriction (`patient/Observation.rs?category=laboratory`).
// Scopes that are not about resources (openid, fhirUser, launch, offline_access, ...) and
// malformed ones are skipped: they grant nothing.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/rest/route.h"
#include "core/status.h"

namespace hearth::api {

enum class ScopeContext { kPatient, kUser, kSystem };

struct ScopePermissions {
  bool create = false, read = false, update = false, remove = false, search = false;
  bool operator==(const ScopePermissions&) const = default;
};

struct SmartScope {
  ScopeContext context = ScopeContext::kUser;
  std::string resource_type;  // a type, or "*" for every type
  ScopePermissions permissions;
  // v2 granular restriction: `?category=laboratory` -> {{"category", "laboratory"}}.
  std::vector<std::pair<std::string, std::string>> restriction;
  bool operator==(const SmartScope&) const = default;
};

// One scope; kInvalidArgument for anything that is not a resource scope in a form above.
Result<SmartScope> parse_smart_scope(std::string_view scope);

// Every resource scope of a space-separated `scope` claim, in order; others skipped.
std::vector<SmartScope> parse_smart_scopes(std::string_view scope_claim);

// May a bearer granted `scopes` run `interaction` on `type` ("" for system-level routes)?
// user/ and system/ scopes grant what their letters say: read and vread need r; search and
// history s; create c; update and patch u; delete d; a conditional update or patch also s, a
// conditional delete d and s. A transaction or batch needs c, r, u, d and s on every type
// (its entries are not yet authorised one by one). patient/ scopes grant nothing yet: the
// patient compartment is not enforced, so they cannot be honoured safely. A restricted (v2
// `?...`) scope grants nothing either, for the same reason. metadata and the SMART
// configuration need nothing.
// Errors: kForbidden naming the interaction and the type.
Status authorize(const std::vector<SmartScope>& scopes, Interaction interaction,
                 std::string_view type);

// May a bearer granted `scopes` read the server's operational endpoint GET /metrics? It shows
// no resource, but it describes the whole server's traffic: a system-level scope that reads
// every type (system/*.read, system/*.r, system/*.rs, system/*.*, system/*.cruds), without a
// granular restriction, is required. Errors: kForbidden naming the scope needed.
Status authorize_operations(const std::vector<SmartScope>& scopes);

}  // namespace hearth::api
