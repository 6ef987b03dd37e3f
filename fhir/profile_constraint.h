// A profile's own invariants: the `constraint`s its differential elements declare (vitalsigns'
// vs-1..vs-3, SimpleQuantity's sqty-1, an IG's us-core-*), read and compiled with Hearth's
// FHIRPath once, when the profile is compiled (fhir/profile.h), and evaluated on each value of
// their element when a resource is validated against the profile (fhir/profile_validate.h).
//
// A differential that repeats a constraint of the base definitions (ele-1, dom-2, ...; those are
// evaluated by the base validation, fhir/invariants.h) keeps only the profile's new keys.
// Evaluation is strict (fhirpath.h EvalOptions::strict): an expression that names an element its
// context type does not define cannot be evaluated, and is a warning, not an error, as the
// official validator reports an expression it cannot check. A constraint of severity `error`
// that evaluates to false is an error; one of severity `warning`, a warning; an empty result
// passes.
//
// Thread-safe: a compiled ProfileConstraint is immutable and shared by the profiles derived from
// the one that declares it.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"

namespace hearth::fhir {

// Bounds on what read_profile_constraints() accepts (kInvalidArgument beyond each).
inline constexpr std::size_t kMaxElementConstraints = 64;      // constraints of one element
inline constexpr std::size_t kMaxConstraintExpression = 4096;  // bytes of one expression
inline constexpr std::size_t kMaxConstraintText = 1024;        // bytes of a key or human text

struct ProfileConstraint {
  std::string key;  // "vs-2"
  Severity severity = Severity::kError;
  std::string human;       // the definition's sentence
  std::string expression;  // as written
  std::shared_ptr<const fhirpath::Expression> compiled;
};

// Appends the constraints of differential element `element` to `out`, skipping keys the base
// definitions declare and keys `out` already holds (a derived profile repeating its base's).
// Errors, kInvalidArgument with `where` + ".constraint[i]" as the expression: `constraint` not
// an array, a constraint that is not an object or lacks key, human or expression, a severity
// other than error or warning, an expression that does not compile (the FHIRPath error in the
// diagnostics), and every bound above.
Status read_profile_constraints(const JsonValue& element, std::string_view where,
                                std::vector<ProfileConstraint>& out);

// Where a value is evaluated: the value as a FHIRPath node ($this), the resource holding it
// (%resource, also %rootResource) and the issue location.
struct ConstraintContext {
  fhirpath::Item node;
  const JsonValue* resource = nullptr;  // the value itself when nullptr
  std::string_view path;                // "Observation.component[0]"
  std::string_view profile_url;         // named in the diagnostics
};

// Evaluates `constraints` at `context`; appends one issue per failing constraint (IssueType
// "invariant", diagnostics "vs-2: <human> (from <profile url>)", expression the path) and one
// warning per constraint that cannot be evaluated. Stops adding once `issues` holds `cap`.
void check_profile_constraints(std::span<const ProfileConstraint> constraints,
                               const ConstraintContext& context, std::vector<Issue>& issues,
                               std::size_t cap);

}  // namespace hearth::fhir
