// After a patient merge (ADT^A40 / A39, hl7/to_fhir/patient_merge.h), the resources that
// reference the merged patient are made to reference the surviving one, in the transaction that
// archives the message and writes the merge (issue 14: "references move").
//
// Found through the reference index (every reference a search parameter of its type indexes, as
// `_revinclude=*:*` would find them: Encounter.subject, Observation.subject and .performer,
// AllergyIntolerance.patient, ...); in each, every reference exactly "Patient/<merged>" becomes
// "Patient/<survivor>", wherever it sits (extensions and contained resources too), and the
// resource is written as a new version carrying `meta_source`. Left as they are: the two patients
// themselves (their links name each other), Provenance and AuditEvent (records of what was), and
// versioned references ("Patient/<merged>/_history/2" names that version).
//
// Bound: at most kMaxMovedResources resources; a merged patient referenced by more is
// kUnprocessable (the message gets AE and nothing is written; merge in steps).
//
// Thread-safety: runs on the transaction's thread, as the transaction body does.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "storage/resource_store.h"

namespace hearth::api {

inline constexpr std::size_t kMaxMovedResources = 10000;

// The versions written, in the store's order (type, then id). Errors: kUnprocessable as above,
// the store's.
Result<std::vector<storage::ResourceVersion>> move_patient_references(
    storage::StoreTransaction& tx, const std::string& merged_id, const std::string& survivor_id,
    const std::string& meta_source, std::size_t max_index_rows);

}  // namespace hearth::api
