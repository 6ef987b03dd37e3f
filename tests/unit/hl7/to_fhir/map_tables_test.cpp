// The V2-to-FHIR IG's maps as compiled tables: every sheet of the vendored folder is a table,
// rows carry the IG's cells (spot checks against the CSV text), and the cross references between
// maps (data type maps, vocabulary maps, segment maps of messages) are counted and printed.
#include "hl7/to_fhir/map_tables.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

#include "tests/test_paths.h"

namespace hearth::hl7::to_fhir {
namespace {

namespace fs = std::filesystem;

// The sheets of one kind: the IG's (maps/mappings) and Hearth's own (maps/hearth).
std::size_t csv_files(const char* kind) {
  std::size_t n = 0;
  for (const char* dir : {"hl7/to_fhir/maps/mappings", "hl7/to_fhir/maps/hearth"}) {
    const fs::path path = fs::path(hearth::test::source_dir()) / dir / kind;
    if (!fs::is_directory(path)) continue;
    for (const auto& entry : fs::directory_iterator(path)) {
      n += entry.path().extension() == ".csv" ? 1 : 0;
    }
  }
  return n;
}

const MapRow* row_of(const MapTable& map, std::string_view source, std::string_view target) {
  for (const MapRow& row : map.rows) {
    if (row.source == source && row.target == target) return &row;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("v2 map tables: one table per sheet of the vendored IG maps and of Hearth's own") {
  CHECK(segment_maps().size() == csv_files("segments"));
  CHECK(data_type_maps().size() == csv_files("datatypes"));
  CHECK(concept_maps().size() == csv_files("codesystems"));
  CHECK(message_maps().size() == csv_files("messages"));
  CHECK(segment_maps().size() > 70);
  CHECK(message_maps().size() >= 14);
  CHECK(find_segment_map("FT1[ChargeItem]") != nullptr);  // Hearth's own (maps/hearth)
}

TEST_CASE("v2 map tables: an extension's url from past the Assignment column") {
  struct Case {
    const char *map, *source, *target;
  };
  for (const Case& c : {Case{"OBX[Observation]", "OBX-19", "extension[2].url"},
                        Case{"OBX[Observation-Component]", "OBX-19", "extension[1].url"},
                        Case{"OBR[ServiceRequest]", "OBR-17", "requester.extension[1].url"}}) {
    CAPTURE(c.map);
    const MapTable* map = find_segment_map(c.map);
    REQUIRE(map != nullptr);
    const MapRow* row = row_of(*map, c.source, c.target);
    REQUIRE(row != nullptr);
    CHECK(row->assignment.starts_with("http://hl7.org/fhir/StructureDefinition/"));
  }
  // An attachment's url is a value, not a constant: nothing is read past its Assignment.
  const MapTable* document = find_segment_map("OBX[DocumentReference]");
  REQUIRE(document != nullptr);
  const MapRow* content_url = row_of(*document, "OBX-5", "content[3].url");
  REQUIRE(content_url != nullptr);
  CHECK(content_url->assignment.empty());
}

TEST_CASE("v2 map tables: segment and data type rows carry the IG's cells") {
  const MapTable* pid = find_segment_map("PID[Patient]");
  REQUIRE(pid != nullptr);
  const MapRow* gender = row_of(*pid, "PID-8", "gender");
  REQUIRE(gender != nullptr);
  CHECK(gender->position == 8);
  CHECK(gender->type_map == "CWE[code]");
  CHECK(gender->vocabulary == "AdministrativeSex");
  const MapRow* birth_time = row_of(*pid, "PID-7", "birthDate.extension[1].url");
  REQUIRE(birth_time != nullptr);
  CHECK(birth_time->condition == "IF PID-7 LENGTH GREATER THAN 8");
  CHECK(birth_time->assignment == "http://hl7.org/fhir/StructureDefinition/patient-birthTime");
  const MapRow* home = row_of(*pid, "PID-13", "telecom[1].use");
  REQUIRE(home != nullptr);
  CHECK(home->assignment == "home");
  CHECK(home->condition == "IF PID-13.2 IS NOT VALUED");
  CHECK(row_of(*pid, "PID-3", "identifier[2]") != nullptr);

  const MapTable* cx = find_data_type_map("CX[Identifier]");
  REQUIRE(cx != nullptr);
  const MapRow* value = row_of(*cx, "CX.1", "value");
  REQUIRE(value != nullptr);
  CHECK(value->position == 1);
  CHECK(value->fhir_type == "string");
  CHECK(find_data_type_map("XPN[HumanName]") != nullptr);
  CHECK(find_segment_map("PID[Nonsense]") == nullptr);
}

TEST_CASE("v2 map tables: vocabulary and message rows") {
  const ConceptMapTable* sex = find_concept_map("AdministrativeSex");
  REQUIRE(sex != nullptr);
  bool female = false;
  for (const ConceptRow& row : sex->rows) {
    if (row.v2_code != "F") continue;
    female = true;
    CHECK(row.v2_system == "HL70001");
    CHECK(row.fhir_code == "female");
    CHECK(row.fhir_system == "http://hl7.org/fhir/administrative-gender");
  }
  CHECK(female);

  const MessageMapTable* a01 = find_message_map("ADT_A01");
  REQUIRE(a01 != nullptr);
  bool patient = false;
  bool nk1 = false;
  for (const MessageRow& row : a01->rows) {
    if (row.segment == "PID" && row.target == "Patient[1]") {
      patient = row.segment_map == "PID[Patient]";
    }
    if (row.segment == "NK1" && row.target == "RelatedPerson[2]") {
      nk1 = row.references == "RelatedPerson[2].patient.reference=Patient[1].id";
    }
  }
  CHECK(patient);
  CHECK(nk1);
}

TEST_CASE("v2 map tables: cross references between the maps (counts)") {
  std::set<std::string_view> missing_types;
  std::set<std::string_view> missing_vocabularies;
  std::size_t type_refs = 0;
  std::size_t vocabulary_refs = 0;
  auto check_rows = [&](std::span<const MapTable> maps) {
    for (const MapTable& map : maps) {
      for (const MapRow& row : map.rows) {
        if (!row.type_map.empty()) {
          ++type_refs;
          if (find_data_type_map(row.type_map) == nullptr) missing_types.insert(row.type_map);
        }
        if (!row.vocabulary.empty()) {
          ++vocabulary_refs;
          if (find_concept_map(row.vocabulary) == nullptr) {
            missing_vocabularies.insert(row.vocabulary);
          }
        }
      }
    }
  };
  check_rows(segment_maps());
  check_rows(data_type_maps());
  std::size_t segment_refs = 0;
  std::set<std::string_view> missing_segments;
  for (const MessageMapTable& message : message_maps()) {
    for (const MessageRow& row : message.rows) {
      if (row.segment_map.empty()) continue;
      ++segment_refs;
      if (find_segment_map(row.segment_map) == nullptr) missing_segments.insert(row.segment_map);
    }
  }
  std::printf(
      "v2-to-fhir maps: %zu segment, %zu data type, %zu vocabulary, %zu message maps; "
      "references: %zu to data type maps (%zu names without a sheet), %zu to vocabulary maps "
      "(%zu names without a sheet), %zu to segment maps (%zu names without a sheet)\n",
      segment_maps().size(), data_type_maps().size(), concept_maps().size(), message_maps().size(),
      type_refs, missing_types.size(), vocabulary_refs, missing_vocabularies.size(), segment_refs,
      missing_segments.size());
  // The maps the first messages (ADT, ORU) lean on all have their sheet.
  for (const char* name : {"CX[Identifier]", "XPN[HumanName]", "XAD[Address]", "XTN[ContactPoint]",
                           "CWE[CodeableConcept]", "DTM[dateTime]", "XCN[Practitioner]",
                           "PL[Location]", "EI[Identifier-DefaultAssigner]"}) {
    CHECK_MESSAGE(find_data_type_map(name) != nullptr, name);
  }
  for (const char* name : {"PID[Patient]", "PV1[Encounter]", "OBX[Observation]",
                           "OBR[DiagnosticReport]", "NK1[RelatedPerson]", "AL1[AllergyIntolerance]",
                           "DG1[Condition]", "IN1[Coverage]", "SPM[Specimen]"}) {
    CHECK_MESSAGE(find_segment_map(name) != nullptr, name);
  }
  CHECK(type_refs > 300);
  CHECK(vocabulary_refs > 50);
}

}  // namespace hearth::hl7::to_fhir
