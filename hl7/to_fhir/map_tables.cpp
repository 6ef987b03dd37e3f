// The lookups by name: binary search, the generated arrays being sorted by name.
#include "hl7/to_fhir/map_tables.h"

#include <algorithm>

namespace hearth::hl7::to_fhir {
namespace {

template <class Table>
const Table* find_by_name(std::span<const Table> tables, std::string_view name) {
  const auto it = std::lower_bound(tables.begin(), tables.end(), name,
                                   [](const Table& t, std::string_view n) { return t.name < n; });
  return it != tables.end() && it->name == name ? &*it : nullptr;
}

}  // namespace

const MapTable* find_segment_map(std::string_view name) {
  return find_by_name(segment_maps(), name);
}
const MapTable* find_data_type_map(std::string_view name) {
  return find_by_name(data_type_maps(), name);
}
const ConceptMapTable* find_concept_map(std::string_view name) {
  return find_by_name(concept_maps(), name);
}
const MessageMapTable* find_message_map(std::string_view name) {
  return find_by_name(message_maps(), name);
}

}  // namespace hearth::hl7::to_fhir
