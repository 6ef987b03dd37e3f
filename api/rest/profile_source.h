// Where profiles come from when a request names one (the `profile` parameter of $validate, the
// `meta.profile` claims of a written resource under --enforce-profiles): the StructureDefinitions
// stored in Hearth, found by canonical URL (`StructureDefinition?url=...`, the newest current
// one), compiled (fhir/profile.h) and kept in a process-wide cache keyed by URL and checked
// against the stored (id, version) on every lookup: an update or a delete of the
// StructureDefinition is seen by the next request, on every replica. A URL with none stored is
// the official package's profile by that URL when it ships one (fhir/shipped_profiles.h).
//
// Thread-safe (one mutex around the cache; a compiled Profile is immutable and shared).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/profile.h"
#include "storage/resource_store.h"

namespace hearth::api {

// At most this many compiled profiles are cached (the cache is emptied when full).
inline constexpr std::size_t kMaxCachedProfiles = 512;

// A lookup of stored profiles through `reader`, for fhir::compile_profile and
// fhir::validate_against_profile. A URL with no current StructureDefinition and no shipped
// profile, or a stored one that does not compile, is nullptr; the reason of the latter is added to
// `problems` (when non-null) as a warning naming the URL. Base profiles are looked up the same way
// (at most fhir::kMaxProfileBaseDepth deep, which also ends a cycle of bases). Valid while `reader`
// is.
fhir::ProfileLookup stored_profiles(storage::ResourceReader& reader, std::vector<Issue>* problems);

// Validates `resource` against the profile `url`: its issues, rooted at `root_path` (the
// resource type when empty; "Bundle.entry[1].resource" for a resource inside another), or one
// warning naming the URL when no such profile is stored or shipped (IssueType "not-supported"),
// or when its type is not the resource's.
std::vector<Issue> validate_against_stored_profile(storage::ResourceReader& reader,
                                                   const fhir::JsonValue& resource,
                                                   std::string_view url,
                                                   std::string_view root_path = {});

// At most this many profile claims are checked in one resource, its nested ones included.
inline constexpr std::size_t kMaxProfileClaims = 1000;
// Resources inside resources are searched for claims this deep (a Bundle in a Bundle's entry).
inline constexpr int kMaxClaimNesting = 4;

// One meta.profile claim: the resource making it and where its issues are rooted.
struct ProfileClaim {
  const fhir::JsonValue* resource;
  std::string path;  // "Patient", "Patient.contained[0]", "Bundle.entry[2].resource"
  std::string_view url;
};

// Every claim in `resource`: its own meta.profile, then those of the resources inside it
// (`contained`, a Bundle's `entry.resource`, at most kMaxClaimNesting deep), in document order.
// `root_path` is where the resource itself is (its type when empty: "Bundle.entry[3].resource"
// for a transaction entry's). Beyond kMaxProfileClaims: kUnprocessable naming the bound.
Result<std::vector<ProfileClaim>> profile_claims(const fhir::JsonValue& resource,
                                                 std::string_view root_path = {});

// The issues of every claim of `resource` (profile_claims), each claim validated as
// validate_against_stored_profile does; skipping `except` (a profile already checked) on the
// resource itself. A claim beyond the bound is one error issue.
std::vector<Issue> claimed_profile_issues(storage::ResourceReader& reader,
                                          const fhir::JsonValue& resource,
                                          std::string_view except = {},
                                          std::string_view root_path = {});

// The check a write makes under --enforce-profiles: ok, or kUnprocessable with every issue of
// every claim (claimed_profile_issues: the resource's own, its contained resources', a Bundle's
// entries') when one of them is an error. A claimed profile that is neither stored nor shipped
// is not an error (only $validate reports its warning).
Status enforce_claimed_profiles(storage::ResourceReader& reader, const fhir::JsonValue& resource,
                                std::string_view root_path = {});

}  // namespace hearth::api
