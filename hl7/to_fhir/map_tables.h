// The HL7 V2-to-FHIR Implementation Guide's maps as compiled tables: message maps (which
// segment becomes which resource), segment and data type maps (which field or component goes
// to which FHIR element, under which condition, through which nested map), and vocabulary maps
// (v2 code -> FHIR code). tools/v2_maps_codegen writes the tables at build time from the IG's
// CSV files, vendored unchanged in hl7/to_fhir/maps/; nothing here is typed by hand and the
// binary reads no file at run time.
//
// The texts are the IG's own: a condition stays as its "Computable ANTLR" text (compiled by the
// mapping engine, which lists the ones it cannot compute), a target as its "FHIR Attribute"
// path. Empty string = the IG's cell is empty.
//
// Thread-safety: immutable static data.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hearth::hl7::to_fhir {

// One row of a segment map ("PID[Patient]") or a data type map ("CX[Identifier]").
struct MapRow {
  std::string_view source;      // "PID-7", "CX.4": the v2 field or component
  std::uint16_t position;       // its number: field of the segment, component of the type
  std::string_view v2_type;     // "DTM"
  std::string_view condition;   // "IF PID-7 LENGTH GREATER THAN 8"
  std::string_view target;      // "birthDate.extension[1].valueDateTime", "[1].family"
  std::string_view fhir_type;   // "dateTime", "Reference(Organization)"
  std::string_view type_map;    // "CX[Identifier]": the map applied to the value
  std::string_view vocabulary;  // "AdministrativeSex": the vocabulary map of the value
  std::string_view assignment;  // a constant the target takes, unquoted ("home")
};

struct MapTable {
  std::string_view name;  // "PID[Patient]", "CX[Identifier]"
  std::span<const MapRow> rows;
};

// One row of a vocabulary map.
struct ConceptRow {
  std::string_view v2_code;    // "F"
  std::string_view v2_text;    // "Female"; MessageStructure: its events ("A01, A04, A08, A13")
  std::string_view v2_system;  // "HL70001"
  std::string_view condition;
  std::string_view fhir_code;    // "female"
  std::string_view display;      // "Female"
  std::string_view fhir_system;  // "http://hl7.org/fhir/administrative-gender"
};

struct ConceptMapTable {
  std::string_view name;  // "AdministrativeSex"
  std::span<const ConceptRow> rows;
};

// One row of a message map: a segment of the message structure and what it produces.
struct MessageRow {
  std::string_view sort_order;  // "15.1": the row's place in the structure
  std::string_view identifier;  // "ADT_A01.NEXT_OF_KIN.NK1", "ADT_A01:follow:PID.ROL"
  std::string_view segment;     // "NK1" ("" for a group's begin or end row)
  std::string_view syntax;      // "[{ NK1 }]", "[{" for a group
  std::string_view condition;
  std::string_view narrative;    // the IG's prose condition: "If in context of an encounter"
  std::string_view target;       // "RelatedPerson[2]", "Patient[1]"
  std::string_view segment_map;  // "NK1[RelatedPerson]"
  std::string_view references;   // "RelatedPerson[2].patient.reference=Patient[1].id"
};

struct MessageMapTable {
  std::string_view name;  // "ADT_A01": the message structure
  std::span<const MessageRow> rows;
};

// Every map of each kind, sorted by name.
std::span<const MapTable> segment_maps();
std::span<const MapTable> data_type_maps();
std::span<const ConceptMapTable> concept_maps();
std::span<const MessageMapTable> message_maps();

// The map of that exact name, or nullptr.
const MapTable* find_segment_map(std::string_view name);
const MapTable* find_data_type_map(std::string_view name);
const ConceptMapTable* find_concept_map(std::string_view name);
const MessageMapTable* find_message_map(std::string_view name);

}  // namespace hearth::hl7::to_fhir
