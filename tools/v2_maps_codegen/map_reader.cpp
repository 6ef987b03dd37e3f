// One reader per kind of sheet; the data rows start after the IG's two header rows (messages,
// segments, data types) or one (vocabulary).
#include "tools/v2_maps_codegen/map_reader.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "tools/v2_maps_codegen/csv_reader.h"

namespace hearth::codegen {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::string cell(const CsvRow& row, int column) {
  if (column < 0 || static_cast<std::size_t>(column) >= row.size()) return {};
  return trim(row[static_cast<std::size_t>(column)]);
}

// The `nth` (0-based) header cell starting with `prefix`, or -1.
int column_of(const CsvRow& header, std::string_view prefix, int nth = 0) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (std::string_view(header[i]).substr(0, prefix.size()) == prefix && nth-- == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// "HL7 Segment - FHIR R4_ PID[Patient] - PID.csv" -> "PID[Patient]": after the first "_ ", up
// to the last " - ".
std::string map_name(const std::string& file_name) {
  const auto start = file_name.find("_ ");
  const auto end = file_name.rfind(" - ");
  if (start == std::string::npos || end == std::string::npos || end <= start + 2) return {};
  return trim(std::string_view(file_name).substr(start + 2, end - start - 2));
}

// A quoted constant ("\"home\"") without its quotes; anything else as it is.
std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// The number after the identifier's '-' or '.': "PID-7" -> 7, "CX.4" -> 4, "XPN.10" -> 10.
int position_of(const std::string& identifier) {
  const auto mark = identifier.find_first_of("-.");
  if (mark == std::string::npos) return 0;
  int value = 0;
  for (std::size_t i = mark + 1; i < identifier.size() && std::isdigit(identifier[i]) != 0; ++i) {
    value = value * 10 + (identifier[i] - '0');
  }
  return value;
}

Result<std::vector<CsvRow>> read_csv(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(Code::kNotFound, "cannot read " + file.string());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_csv(text);
}

// An extension's url the IG wrote past the Assignment column, in the comments (OBR-17's
// callback phone, OBX-19's analysis time in OBX[Observation] and OBX[Observation-Component]):
// read from there, since without it the url would take the field's value. "" for any other row.
std::string url_past_assignment(const CsvRow& row, const std::string& target, int assignment) {
  if (!target.ends_with(".url") || target.find("extension") == std::string::npos) return {};
  for (std::size_t c = static_cast<std::size_t>(assignment) + 1; c < row.size(); ++c) {
    std::string value = unquote(row[c]);
    if (value.starts_with("http://") || value.starts_with("https://")) return value;
  }
  return {};
}

// Field rows of a segment or data type sheet. Rows without a target send the value nowhere.
std::vector<FieldMapRow> field_rows(const std::vector<CsvRow>& csv) {
  std::vector<FieldMapRow> rows;
  if (csv.size() < 2) return rows;
  const CsvRow& header = csv[1];
  const int target = column_of(header, "FHIR Attribute");
  const int assignment = column_of(header, "Assignment");
  for (std::size_t i = 2; i < csv.size(); ++i) {
    FieldMapRow row;
    row.source = cell(csv[i], 1);
    row.target = cell(csv[i], target);
    if (row.source.empty() || row.target.empty()) continue;
    row.position = position_of(row.source);
    row.v2_type = cell(csv[i], 3);
    row.condition = cell(csv[i], column_of(header, "Computable"));
    row.fhir_type = cell(csv[i], target + 2);
    row.type_map = cell(csv[i], column_of(header, "Data Type Mapping"));
    row.vocabulary = cell(csv[i], column_of(header, "Vocabulary Mapping"));
    row.assignment = unquote(cell(csv[i], assignment));
    if (row.assignment.empty()) {
      row.assignment = url_past_assignment(csv[i], row.target, assignment);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<ConceptMapRow> concept_rows(const std::vector<CsvRow>& csv) {
  std::vector<ConceptMapRow> rows;
  if (csv.size() < 2) return rows;
  const CsvRow& header = csv[1];
  const int v2_code = column_of(header, "Code");
  const int v2_text = column_of(header, "Text");
  const int v2_system = column_of(header, "Code System");
  const int condition = column_of(header, "Computable");
  const int fhir_code = column_of(header, "Code", 2);  // "Code", "Code System", then "Code"
  const int display = column_of(header, "Display");
  const int fhir_system = column_of(header, "Code System", 1);
  for (std::size_t i = 2; i < csv.size(); ++i) {
    ConceptMapRow row{cell(csv[i], v2_code),    cell(csv[i], v2_text),   cell(csv[i], v2_system),
                      cell(csv[i], condition),  cell(csv[i], fhir_code), cell(csv[i], display),
                      cell(csv[i], fhir_system)};
    if (row.v2_code.empty() && row.fhir_code.empty()) continue;
    rows.push_back(std::move(row));
  }
  return rows;
}

// "ADT_A01.NEXT_OF_KIN.NK1" -> "NK1"; a group's row ("ADT_A01.NEXT_OF_KIN") -> "".
std::string segment_of(const std::string& identifier, const std::string& syntax) {
  if (syntax.find("---") != std::string::npos) return {};
  const auto dot = identifier.rfind('.');
  std::string last = dot == std::string::npos ? identifier : identifier.substr(dot + 1);
  const bool id = last.size() == 3 && std::all_of(last.begin(), last.end(), [](char c) {
                    return std::isupper(static_cast<unsigned char>(c)) != 0 ||
                           std::isdigit(static_cast<unsigned char>(c)) != 0;
                  });
  return id ? last : std::string();
}

std::vector<MessageMapRow> message_rows(const std::vector<CsvRow>& csv) {
  std::vector<MessageMapRow> rows;
  if (csv.size() < 2) return rows;
  const CsvRow& header = csv[1];
  const int target = column_of(header, "Primary Target");
  for (std::size_t i = 2; i < csv.size(); ++i) {
    MessageMapRow row;
    row.sort_order = cell(csv[i], 0);
    row.identifier = cell(csv[i], 1);
    if (row.identifier.empty()) continue;
    row.syntax = cell(csv[i], 2);
    row.segment = segment_of(row.identifier, cell(csv[i], 3));
    row.condition = cell(csv[i], column_of(header, "Computable"));
    row.narrative = cell(csv[i], column_of(header, "Narrative"));
    row.target = cell(csv[i], target);
    row.segment_map = cell(csv[i], column_of(header, "Segment Map"));
    row.references = cell(csv[i], column_of(header, "References"));
    rows.push_back(std::move(row));
  }
  return rows;
}

template <class Row, class Read>
Status read_kind(const fs::path& dir, std::vector<NamedMap<Row>>& out, Read read_rows,
                 bool optional = false) {
  if (!fs::is_directory(dir)) {
    return optional ? Status() : Status(Code::kNotFound, "no folder " + dir.string());
  }
  std::set<std::string> seen;
  for (const auto& map : out) seen.insert(map.name);
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".csv") continue;
    const std::string name = map_name(entry.path().filename().string());
    if (name.empty()) return Status(Code::kMalformed, "no map name in " + entry.path().string());
    if (!seen.insert(name).second) {
      return Status(Code::kConflict, "two maps named " + name + " in " + dir.string());
    }
    HEARTH_ASSIGN_OR_RETURN(std::vector<CsvRow> csv, read_csv(entry.path()));
    out.push_back({name, read_rows(csv)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return Status();
}

}  // namespace

Result<V2Maps> read_v2_maps(const fs::path& mappings_dir, const fs::path& own_dir) {
  V2Maps maps;
  HEARTH_RETURN_IF_ERROR(read_kind(mappings_dir / "segments", maps.segments, field_rows));
  HEARTH_RETURN_IF_ERROR(read_kind(mappings_dir / "datatypes", maps.data_types, field_rows));
  HEARTH_RETURN_IF_ERROR(read_kind(mappings_dir / "codesystems", maps.concepts, concept_rows));
  HEARTH_RETURN_IF_ERROR(read_kind(mappings_dir / "messages", maps.messages, message_rows));
  if (!own_dir.empty()) {
    if (!fs::is_directory(own_dir)) return Status(Code::kNotFound, "no folder " + own_dir.string());
    HEARTH_RETURN_IF_ERROR(read_kind(own_dir / "segments", maps.segments, field_rows, true));
    HEARTH_RETURN_IF_ERROR(read_kind(own_dir / "datatypes", maps.data_types, field_rows, true));
    HEARTH_RETURN_IF_ERROR(read_kind(own_dir / "codesystems", maps.concepts, concept_rows, true));
    HEARTH_RETURN_IF_ERROR(read_kind(own_dir / "messages", maps.messages, message_rows, true));
  }
  return maps;
}

}  // namespace hearth::codegen
