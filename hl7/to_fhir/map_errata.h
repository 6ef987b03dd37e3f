// Corrections of IG rows whose computable text says other than the map means. The IG's CSV files
// stay as they are (maps/SOURCES.md); an erratum names the row and the exact text it replaces,
// so that once the IG is fixed the erratum matches nothing and a test says so
// (tests/unit/hl7/to_fhir/map_errata_test.cpp). docs/mapping/v2-to-fhir.md lists them.
#pragma once

#include <span>
#include <string_view>

#include "hl7/to_fhir/map_tables.h"

namespace hearth::hl7::to_fhir {

// A message row's condition, written one way, meant another.
struct ConditionErratum {
  std::string_view message;     // "VXU_V04": the message map
  std::string_view identifier;  // the row's identifier ("VXU_V04.ORDER.OBSERVATION.OBX")
  std::string_view written;     // its Computable ANTLR condition, exactly as the IG has it
  std::string_view meant;       // the condition applied instead
};

std::span<const ConditionErratum> condition_errata();

// The condition to compile for `row` of the message map `message`: the erratum's when one names
// it, else the row's own.
std::string_view condition_of(std::string_view message, const MessageRow& row);

// A segment or data type row's assignment (a constant the target takes), written one way, meant
// another.
struct AssignmentErratum {
  std::string_view map;      // "PID[Patient]"
  std::string_view source;   // "PID-19"
  std::string_view target;   // "identifier[4].system"
  std::string_view written;  // the row's assignment, exactly as the IG has it (unquoted)
  std::string_view meant;    // the assignment applied instead
};

std::span<const AssignmentErratum> assignment_errata();

// The assignment `row` of `map` applies: the erratum's when one names it, else the row's own.
std::string_view assignment_of(std::string_view map, const MapRow& row);

}  // namespace hearth::hl7::to_fhir
