// The errata of the IG's rows (map_errata.h).
#include "hl7/to_fhir/map_errata.h"

namespace hearth::hl7::to_fhir {
namespace {

constexpr ConditionErratum kConditionErrata[] = {
    // The two OBX rows of every other OBX place (VXU_V04.PERSON_OBSERVATION, ORU_R01, ADT_A01,
    // ... 14 rows) split an OBX in two: one value or a "NA" type -> OBX[Observation], several
    // values of another type -> OBX[Observation-Component]. This row's AND instead of OR leaves
    // every OBX about a vaccination with one value and a type other than NA (the VIS document
    // and its date, the funding eligibility: almost all of them) without an Observation.
    {"VXU_V04", "VXU_V04.ORDER.OBSERVATION.OBX",
     R"(IF OBX-5 LST.count LESS THAN OR EQUALS 1 AND OBX-2 IS "NA")",
     R"(IF OBX-5 LST.count LESS THAN OR EQUALS 1 OR OBX-2 IS "NA")"},
};

constexpr AssignmentErratum kAssignmentErrata[] = {
    // The SSN's system with a trailing period, which no other row (NK1-37's) and no identifier
    // registry has: a patient stored with it is not found by
    // identifier=http://hl7.org/fhir/sid/us-ssn|... as every other system writes it.
    {"PID[Patient]", "PID-19", "identifier[4].system", "http://hl7.org/fhir/sid/us-ssn.",
     "http://hl7.org/fhir/sid/us-ssn"},
};

}  // namespace

std::span<const AssignmentErratum> assignment_errata() {
  return kAssignmentErrata;
}

std::string_view assignment_of(std::string_view map, const MapRow& row) {
  for (const AssignmentErratum& e : kAssignmentErrata) {
    if (e.map == map && e.source == row.source && e.target == row.target &&
        e.written == row.assignment) {
      return e.meant;
    }
  }
  return row.assignment;
}

std::span<const ConditionErratum> condition_errata() {
  return kConditionErrata;
}

std::string_view condition_of(std::string_view message, const MessageRow& row) {
  for (const ConditionErratum& e : kConditionErrata) {
    if (e.message == message && e.identifier == row.identifier && e.written == row.condition) {
      return e.meant;
    }
  }
  return row.condition;
}

}  // namespace hearth::hl7::to_fhir
