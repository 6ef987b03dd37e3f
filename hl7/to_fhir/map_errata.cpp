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

}  // namespace

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
