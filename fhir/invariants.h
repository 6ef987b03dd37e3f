// Evaluation of the base definitions' invariants (fhir/constraint.h) with Hearth's FHIRPath, at
// the places the validator's walk records (validate.h): each constraint is compiled once per
// process, on first use, and evaluated with the element's value as $this, the resource holding
// it as %resource and the outermost resource that is not a Bundle's as %rootResource.
//
// ele-1 (an element has a value or children) and ext-1 (an extension has a value or extensions,
// not both) apply to nearly every element, so the validator checks them natively, in its walk,
// instead of once per element through FHIRPath; skipped_constraints() lists the others left out,
// with the reason. A constraint whose result is empty passes (only `false` fails); one whose
// evaluation fails is reported as a warning, not an error.
//
// Most constraints are decided by the absence of one child of the value they are declared on
// (dom-2 `contained.contained.empty()` holds on every resource without `contained`). Each
// constraint's absence guards are found when it is compiled (fhirpath/absence_guards.h); a value
// that lacks a guard's child passes that constraint without any FHIRPath evaluation, with the
// same outcome the evaluation would have had. Likewise a value whose prefix guard's child is one
// string not starting with the guard's prefix (ref-1 on a Reference that is not "#id").
// Guarding::kOff evaluates every constraint (the tests compare both ways on the official
// examples).
//
// Thread-safe: the compiled expressions are immutable once built.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/constraint.h"
#include "fhir/fhirpath/item.h"
#include "fhir/json.h"

namespace hearth::fhir {

// A value the constraints of its element apply to.
struct InvariantSite {
  std::span<const ConstraintDef> constraints;
  fhirpath::Item node;             // $this
  const JsonValue* resource;       // %resource
  const JsonValue* root_resource;  // %rootResource
  std::string path;                // where issues point, "Patient.contact[0]"
};

struct SkippedConstraint {
  std::string_view key;
  std::string_view reason;
};

// The constraints of the base definitions that are not evaluated through FHIRPath, each with why
// (ele-1 and ext-1 among them: checked natively).
std::span<const SkippedConstraint> skipped_constraints();

enum class Guarding : std::uint8_t {
  kOn,   // a constraint decided by a guard (absent child, other prefix) passes unevaluated
  kOff,  // every constraint is evaluated through FHIRPath
};

// The absence guards of a constraint (fhirpath/absence_guards.h): element names; empty for one
// without guards, a skipped one, or one that is not in all_constraints().
std::span<const std::string> constraint_guards(const ConstraintDef& constraint);

// Does `node` (a value of the element the constraints are declared on) need FHIRPath at all: is
// one of the constraints neither natively checked nor skipped, nor (Guarding::kOn) decided by the
// absence of a child of `node`?
bool needs_evaluation(std::span<const ConstraintDef> constraints, const fhirpath::Item& node,
                      Guarding guarding = Guarding::kOn);

// Evaluates every site's constraints; appends one issue per failing constraint (severity error,
// IssueType "invariant", diagnostics "key: human text", expression = the site's path) and one
// warning per constraint that could not be evaluated. Stops adding once `issues` holds `cap`.
void check_invariants(std::span<const InvariantSite> sites, std::vector<Issue>& issues,
                      std::size_t cap, Guarding guarding = Guarding::kOn);

}  // namespace hearth::fhir
