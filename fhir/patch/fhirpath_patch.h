// FHIRPath Patch (https://hl7.org/fhir/R4/fhirpatch.html): a Parameters resource whose
// `operation` parameters each name a type (add, insert, delete, replace, move), a FHIRPath
// `path` evaluated on the resource (fhir/fhirpath/), and the parts that type needs:
//   add      path = the one element to add to, name = the child, value  (appended when the child
//            repeats; an error when a single child already exists: use replace)
//   insert   path = a repeating element, index (0..count), value
//   delete   path = at most one element (none: nothing to do)
//   replace  path = exactly one element, value
//   move     path = a repeating element, source and destination (0..count-1; as if removed at
//            source, then inserted at destination)
// Values are value[x], a resource, or nested parts (patch_value.h). For insert and move the
// index counts every entry of the JSON array the selected elements sit in, also when the path
// filters them (`identifier.where(...)`). Elements left empty by a delete are removed with their
// empty ancestors (no `{}` or `[]` remains), as FHIR JSON requires.
//
// Atomicity is the caller's: on error `resource` may hold the operations applied before the
// failing one, so apply the patch to a copy. The result is not validated here (fhir/validate.h).
//
// Thread-safety: reentrant; `resource` is not synchronised.
#pragma once

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir::patch {

// Applies `parameters` (a Parameters resource in FHIR JSON) to `resource`. Every error names the
// 0-based operation index and its type, e.g. "operation 1 (replace): path Patient.name matches 2
// elements; replace needs exactly one".
// Errors:
//  - kInvalidArgument for a malformed patch: not a Parameters resource, more than
//    kMaxPatchOperations operations (patch_limits.h), a parameter not named `operation`, an
//    unknown or missing type, a missing, repeated or unknown part, a part of the wrong type
//    (type is a code, path and name strings, index/source/destination integers), a path that
//    does not compile or is longer than kMaxPatchPathBytes;
//  - kUnprocessable for a patch that does not apply: a path that fails to evaluate, selects a
//    computed value or the resource itself, selects no element where one is needed or several
//    where one is allowed, an add to a single element that already exists, an insert or move on
//    elements that do not share one repeating element, an index out of range, a child the model
//    does not define, more than kMaxPatchNewNodes values created, a result deeper than
//    kMaxPatchedDepth.
Status apply_fhirpath_patch(const JsonValue& parameters, JsonDocument& resource);

}  // namespace hearth::fhir::patch
