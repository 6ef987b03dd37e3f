// Absence guards of a boolean FHIRPath expression: the child names of its focus whose absence
// alone decides it. An invariant such as dom-2, `contained.contained.empty()`, holds on every
// resource that has no `contained`, whatever else the resource holds; fhir/invariants.h skips
// the evaluation of such an invariant on a value that lacks the child, which is most of them.
//
// A guard is found by evaluating the compiled tree abstractly, once per candidate name (each
// name navigated from the focus at the top of the expression): the candidate's navigation is
// the empty collection, every other value unknown. The candidate is a guard when the result is
// then known to be `true` or empty (which an invariant takes as holding) and no step can fail:
// and/or on a collection of several items, an operator on values of unknown type, a function
// whose behaviour on unknown input is not modelled, an unknown variable, a JSON choice name.
// The model is deliberately small: any node it does not know makes the result unknown and
// failing, so an expression it cannot decide simply has no guards.
//
// The analysis assumes the evaluation options of the invariants (fhirpath.h EvalOptions): not
// strict, no check of ordered functions, as() filtering several items, and no trace sink or
// extra variables.
//
// Thread-safe (pure function of the immutable Expression).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"

namespace hearth::fhir::fhirpath {

// The FHIRPath element names ("contained", "value" for a choice element) that are guards of
// `expression`, in the order they first appear; empty when there is none.
std::vector<std::string> absence_guards(const Expression& expression);

// A child of the focus whose value alone decides a boolean expression when it is one string that
// does not start with `prefix`: ref-1, `reference.startsWith('#').not() or (...)`, holds on every
// Reference whose `reference` is not a local "#id" one, which is nearly all of them. Found as the
// absence guards are, with the child taken as one string of which only that is known: the result
// must then be known `true` or empty, with no step that can fail. Candidates are the children
// the expression tests with startsWith('<literal>') from its focus at the top.
struct PrefixGuard {
  std::string name;    // "reference"
  std::string prefix;  // "#"
};
std::vector<PrefixGuard> prefix_guards(const Expression& expression);

// Presence guards: the children of the focus whose presence alone decides a boolean expression.
// bdl-5, `resource.exists() or request.exists() or response.exists()`, holds on every entry that
// has a `resource`; qty-3, `code.empty() or system.exists()`, on every Quantity with a `system`.
// Found as the absence guards are, with the candidate's navigation taken as at least one item
// (of which nothing else is known): exists() of it is true, empty() false, and the result must
// then be known `true` or empty with no step that can fail. A caller may take a child as present
// only when navigating it surely gives an item (fhir/invariants.cpp: a JSON property of exactly
// that name holding a value).
std::vector<std::string> presence_guards(const Expression& expression);

// For a search parameter's expression, evaluated on a resource of type `type`
// ("Observation.code | Observation.component.code"): the child names of the resource it
// navigates from its focus at the top (where the type's name stands for the focus), when a
// resource that holds none of them is known to give the empty collection or an error, which
// index nothing alike. Empty when there is no such set: the expression then has to be evaluated
// on every resource. Assumes the evaluation options of the search index (no strict mode).
std::vector<std::string> emptiness_guards(const Expression& expression, std::string_view type);

}  // namespace hearth::fhir::fhirpath
