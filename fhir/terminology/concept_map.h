// The ConceptMaps of the official R4 package (v2/v3 tables to FHIR codes and back, and between
// FHIR value sets), compiled into constant tables by tools/fhir_codegen (terminology_writer.h),
// and the ConceptMap/$translate search over them (conceptmap-operation-translate.html).
// Unmapped-code rules (group.unmapped) and dependsOn/product are not kept. Everything points
// into static constant data; thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace hearth::fhir::terminology {

struct Mapping {
  std::string_view source_code;
  std::string_view target_code;  // "" for an unmatched source
  std::string_view target_display;
  std::string_view equivalence;  // ConceptMapEquivalence code
};

struct ConceptMapGroup {
  std::string_view source;  // code system URLs
  std::string_view target;
  std::span<const Mapping> mappings;  // sorted by source_code
};

struct ConceptMap {
  std::string_view url;
  std::string_view name;
  std::string_view version;
  std::string_view source;  // value set canonicals ("" when the map names none)
  std::string_view target;
  std::span<const ConceptMapGroup> groups;
};

// The built-in concept maps, sorted by url.
std::span<const ConceptMap> concept_maps();
const ConceptMap* find_concept_map(std::string_view url);  // "|version" ignored

// What $translate asks. Empty fields match anything; `system` and `code` are required.
struct TranslateQuery {
  std::string_view url;     // a concept map
  std::string_view source;  // the source value set
  std::string_view target;  // the target value set
  std::string_view system;  // the code's system
  std::string_view code;
  std::string_view target_system;
  bool reverse = false;  // map from target to source
};

struct TranslateMatch {
  const ConceptMap* map;
  std::string_view equivalence;
  std::string_view system;  // the system of the result
  std::string_view code;
  std::string_view display;
};

// Every mapping of the code by the built-in maps the query selects, in map order. Bounded by the
// size of the tables (a code has a handful of mappings).
std::vector<TranslateMatch> translate(const TranslateQuery& q);
// The same over `maps` (stored ones, stored_concept_map.h, and built-in ones).
std::vector<TranslateMatch> translate(const TranslateQuery& q,
                                      std::span<const ConceptMap* const> maps);

}  // namespace hearth::fhir::terminology
