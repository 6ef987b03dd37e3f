// TestScript asserts: evaluating one `assert` element against the run's state (the last
// exchange, or the fixture named by sourceId).
//
// Supported: response, responseCode, contentType, headerField, resource, minimumId,
// navigationLinks, requestMethod, requestURL, expression (FHIRPath; or `path` in the XPath subset
// of simple_xpath.h) with value or
// compareToSourceId + compareToSourceExpression, and every operator (equals, notEquals, in,
// notIn, greaterThan, lessThan, empty, notEmpty, contains, notContains, eval), validateProfileId
// (the TestScript.profile it names must be the base StructureDefinition of an R4 resource type;
// the resource is checked with fhir/validate.h); warningOnly turns a failure into a warning.
// Paths outside that subset and other profile URLs are reported as skipped (unsupported),
// unknown elements likewise; an assert is never passed without a check.
#pragma once

#include "conformance/results.h"
#include "conformance/script_state.h"
#include "fhir/json.h"

namespace hearth::conformance {

ActionResult run_assert(const fhir::JsonValue& assert_element, ScriptState& state);

}  // namespace hearth::conformance
