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

#include <optional>
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

// What a request's bearer was granted, from its validated token (server/auth): its resource
// scopes, its SMART launch patient and whether it is an administrator.
struct Grant {
  std::vector<SmartScope> scopes;
  // The token's "patient" claim (SMART launch context); "" when it has none. patient/ scopes
  // grant access to this patient's compartment only, and nothing without it.
  std::string patient;
  // The configured administrator claim and value were in the token (server/auth JwtPolicy):
  // the /hl7 operating API (message views, $replay) needs it.
  bool admin = false;
};

// May a bearer granted `scopes` run `interaction` on `type` ("" for system-level routes), with
// user/ or system/ scopes? They grant what their letters say: read and vread need r; search
// and history s; create c; update and patch u; delete d; a conditional update or patch also s,
// a conditional delete d and s. A transaction or batch needs nothing itself: each entry is
// authorised as the request it stands for (entry_runner.h). metadata and the SMART
// configuration need nothing. patient/ scopes and restricted (v2 `?...`) scopes are not
// counted here.
// Errors: kForbidden naming the interaction and the type.
Status authorize(const std::vector<SmartScope>& scopes, Interaction interaction,
                 std::string_view type);

// How far an allowed interaction reaches.
enum class Reach {
  kAll,                 // every resource of the type (user/ or system/ scopes)
  kPatientCompartment,  // only resources in Patient/{grant.patient}'s compartment
  kRestricted,          // only resources matching restriction_of() (v2 granular scopes)
};

// What v2 granular scopes (`Observation.rs?category=laboratory`) hold a request to: resources
// of the type that match every parameter of `params` as a search would (a value may list
// alternatives with commas), and with `patient` also in Patient/{grant.patient}'s compartment.
struct ScopeRestriction {
  bool patient = false;
  std::vector<std::pair<std::string, std::string>> params;
};

// The one authorisation decision of the REST core, for a routed request or a Bundle entry:
// user/ and system/ scopes as authorize() above (Reach::kAll); failing those, patient/ scopes
// with the same letters reach the compartment of the grant's patient (the official Patient
// CompartmentDefinition) when the route can be held to it: read, vread, instance history,
// create, update, patch and delete of a type in the compartment, its type search and the
// compartment search of Patient/{patient} itself, $validate. Not held to it, so refused under
// patient/ scopes: system and type history, system search, the conditional update, patch and
// delete, another compartment's search, a type outside the compartment. Failing those,
// restricted v2 scopes (`?category=...`) whose letters cover the interaction give
// Reach::kRestricted (restriction_of) to read, vread, instance history, the type search and
// (patient/ ones) the compartment search of Patient/{patient}; they never allow a write, a
// system-level or type-level history, or a $validate.
// Errors: kForbidden naming the interaction and the type.
Result<Reach> authorize(const Grant& grant, const Route& route);

// The restriction of the grant's restricted scopes on `type` whose letters cover `want`: of
// user/ and system/ scopes if any cover it, else of patient/ ones (with a patient claim). One
// scope gives its parameters; several give their union, which a search can express only when
// each has one parameter of the same name (then their values become one comma list).
// Errors: kForbidden when no restricted scope covers `want`, or their union cannot be
// expressed (it names the scopes' parameters, never values).
Result<ScopeRestriction> restriction_of(const Grant& grant, std::string_view type,
                                        const ScopePermissions& want);

// May a bearer granted `grant` see resources of `type` that a search adds on its own
// (_include, _revinclude)? The type's read or search permission, and the reach it comes with
// (kRestricted: restriction_of with read); nullopt when neither is granted.
std::optional<Reach> reach_of_type(const Grant& grant, std::string_view type);

// May a bearer granted `grant` export `types` in bulk (Bulk Data $export, and its status and
// file URLs)? Each type needs a system/ scope that reads it (system/Type.read, system/*.rs,
// ...) without a granular restriction; user/ and patient/ scopes do not count.
// Errors: kForbidden naming the first type without one.
Status authorize_bulk_export(const Grant& grant, const std::vector<std::string>& types);

// The /hl7 operating API: the administrator claim. Errors: kForbidden saying what is needed.
Status authorize_admin(const Grant& grant);

// May a bearer granted `scopes` read the server's operational endpoint GET /metrics? It shows
// no resource, but it describes the whole server's traffic: a system-level scope that reads
// every type (system/*.read, system/*.r, system/*.rs, system/*.*, system/*.cruds), without a
// granular restriction, is required. Errors: kForbidden naming the scope needed.
Status authorize_operations(const std::vector<SmartScope>& scopes);

}  // namespace hearth::api
