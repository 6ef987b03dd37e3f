// Synthetic patient histories shaped like Synthea's output, for the transaction ingest benchmark
// (bench/run_transactions.sh): one history is one FHIR R4 transaction Bundle whose
// first entry is a Patient (Synthea's identifiers, name, telecom, address with geolocation,
// marital status, language, US Core race/ethnicity/birth-sex extensions, narrative) followed by
// encounters in date order, each with the resources written during it: vital signs (height,
// weight, BMI, blood-pressure panel, heart and respiratory rate), sometimes a lab panel
// (metabolic or lipid), a Condition (SNOMED CT), the MedicationRequest treating it (RxNorm), a
// Procedure, an Immunization (CVX) at wellness visits.
//
// Every entry has `fullUrl: urn:uuid:<uuid v4>` and `request: {method: POST, url: <type>}`; the
// resources carry no id and refer to each other only through those urn:uuid placeholders
// (subject/patient -> the Patient, encounter -> its Encounter, reasonReference -> the
// Condition), always to an earlier entry. Quantities are in UCUM with decimals written as fixed
// text (valueQuantity.value "72.4").
//
// Deterministic: the same (seed, index, options) give the same bytes on every platform (own
// PRNG, no std distributions, no clock). Pure; thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hearth::bench {

struct HistoryOptions {
  // Exactly this many entries (at least 2: the Patient and an Encounter).
  std::size_t entries = 100;
};

struct History {
  std::string json;  // the Bundle, compact JSON
  std::size_t entries = 0;
};

// History number `index` of the population `seed`.
History make_history(std::uint64_t seed, std::uint64_t index, const HistoryOptions& options = {});

}  // namespace hearth::bench
