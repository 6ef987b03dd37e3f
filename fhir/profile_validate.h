// Validation of a value against a compiled profile (fhir/profile.h), after the base validation
// of validate.h: only what the profile adds is checked, on the elements its differentials
// constrained. Every issue is collected (up to kMaxValidationIssues), each with a FHIRPath
// expression as the official validator writes it (`Patient.identifier[1].system`, a choice as
// `Observation.value.ofType(Quantity)`) and diagnostics ending with the profile's URL:
// - cardinality (IssueType "structure"; a missing element is reported at its parent, as the
//   official validator does: `Observation`, "minimum required = 1, but only found 0");
// - fixed[x] (exact JSON equality) and pattern[x] (the value holds every property and array
//   item of the pattern) (IssueType "value");
// - types: a choice value of a type the profile removed, a Reference whose target type is not
//   one of the target profiles' types (IssueType "structure"); a type's own profiles (an
//   extension's definition, a datatype profile) are validated recursively;
// - bindings: a code outside a required binding's value set is an error, outside an extensible
//   one a warning (IssueType "code-invalid"); codes of value sets Hearth cannot expand pass;
// - slicing: each repetition is matched to a slice by the discriminators (value, pattern, type,
//   profile, exists over a dotted path, `$this`, `ofType(T)`, `extension('url')`); each slice's
//   cardinality, the slice's own constraints on its members, closed slicing (a repetition that
//   matches no slice is an error). A discriminator path with `resolve()` cannot be followed
//   without the store: such a slice matches nothing, and one warning says so.
// - a profile URL that `lookup` does not know (a type profile, a target profile's type): a
//   warning naming the URL (IssueType "not-supported").
// - the profile's own invariants (profile_constraint.h): each failing constraint an issue of its
//   severity (IssueType "invariant", "vs-2: <human> (from <url>)"), at the value's path.
// Not checked: mustSupport, ordered slicing.
//
// Reentrant; thread-safe when `lookup` is.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/profile.h"

namespace hearth::fhir {

// Profiles applied one inside another (an extension's profile inside a resource's) beyond this
// are not followed (a warning).
inline constexpr int kMaxProfileNesting = 16;

// Issues of `value` against `profile`. `root_path` is where issues are rooted: the resource
// type for a resource (the default when empty), "Patient.extension[0]" for a datatype.
std::vector<Issue> validate_against_profile(const JsonValue& value, const Profile& profile,
                                            const ProfileLookup& lookup,
                                            std::string_view root_path = {});

}  // namespace hearth::fhir
