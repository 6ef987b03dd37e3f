// A minimal valid instance of any R4 resource type, made from the generated model (fhir/model.h)
// rather than written per type: every element with min >= 1 gets a placeholder value of its
// (first) type, recursively; a complex value that would otherwise be empty gets one optional
// primitive child (a string one when there is one), because FHIR forbids empty objects. The
// result is then checked with fhir/validate.h, so what is returned is valid by Hearth's own
// validator (which does not check invariants or terminology bindings: a required code is filled
// with "unknown"). Used by the capability smoke suite (capability_suite.h).
//
// Thread-safe (reads static tables only).
#pragma once

#include <string_view>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::conformance {

// The minimal resource of `type` with id `id`. Errors: kInvalidArgument when `type` is not a
// concrete R4 resource type; kNotImplemented when a required element cannot be filled
// generically (a Resource-typed element, recursion deeper than the model allows) or the
// generated resource does not validate; the message says which element and why.
Result<fhir::JsonDocument> minimal_resource(std::string_view type, std::string_view id);

}  // namespace hearth::conformance
