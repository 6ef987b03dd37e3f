// JSON Patch (RFC 6902, https://hl7.org/fhir/R4/http.html#patch): the operations add, remove,
// replace, move, copy and test applied in order to a JSON document, paths being JSON Pointers
// (RFC 6901: ~0/~1 escapes, "-" for the end of an array in add/move/copy targets).
//
// Atomicity is the caller's: on error `doc` may hold the operations applied before the failing
// one, so apply the patch to a copy and keep it only on success.
//
// Numbers are kept as text (fhir/json.h); `test` compares them by value ("1.0" equals "1") and
// never equal to a string ("10" the string is not 10 the number).
//
// Thread-safety: reentrant; `doc` is not synchronised.
#pragma once

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir::patch {

// Applies `patch`, which must be an array of operation objects, to `doc`; values are copied
// into doc's allocator. Members an operation does not define are ignored (RFC 6902 section 4).
// Every error names the 0-based index of the operation in the array and its op, e.g.
// "operation 2 (replace): path /name/5 does not exist".
// Errors:
//  - kInvalidArgument for a malformed patch: not an array, more than kMaxPatchOperations entries
//    (patch_limits.h), an entry that is not an object, a missing or unknown `op`, a missing
//    `path`/`from`/`value`, a pointer that is not a string or not RFC 6901 syntax or longer than
//    kMaxPatchPathBytes, a `move` into its own child;
//  - kUnprocessable for a patch that does not apply: a target or `from` that does not exist, an
//    add whose parent does not exist or is a scalar, an array index that is not "-" (add only)
//    or a decimal within 0..size, removing or moving the whole document, a failing `test`, more
//    than kMaxPatchNewNodes values created, a result nested deeper than kMaxPatchedDepth.
Status apply_json_patch(const JsonValue& patch, JsonDocument& doc);

}  // namespace hearth::fhir::patch
