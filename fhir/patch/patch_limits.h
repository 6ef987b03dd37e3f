// Bounds shared by both patch engines (json_patch.h, fhirpath_patch.h), so that a hostile patch
// fails with a precise error instead of exhausting time, memory or stack.
#pragma once

#include <cstddef>

namespace hearth::fhir::patch {

// Operations in one patch document (JSON Patch array entries, FHIRPath Patch `operation`
// parameters). Real patches hold a handful; 10,000 keeps the worst case (each operation walks
// the resource once) to well under a second for resources of the body limit's size.
inline constexpr std::size_t kMaxPatchOperations = 10'000;

// Bytes in one JSON Pointer (`path`, `from`) or FHIRPath Patch `path`/`name`.
inline constexpr std::size_t kMaxPatchPathBytes = 4096;

// JSON values (every object, array and scalar) an entire patch may create by `add`, `replace`,
// `copy` and `insert`. `copy` can double a document per operation; this stops it at ~1 Mi nodes.
inline constexpr std::size_t kMaxPatchNewNodes = std::size_t{1} << 20;

// Nesting of the patched document, the same bound parse_json (fhir/json.h) puts on any input, so
// a patched resource can be written, stored and read back.
inline constexpr int kMaxPatchedDepth = 256;

}  // namespace hearth::fhir::patch
